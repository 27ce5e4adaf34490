package dev.linkpulse.links;

/**
 * What links need to know of domains (issue 16): which subdomains and branded domains a workspace
 * may put links on, and which host a request for a short code came to.
 */
public interface LinkDomains {

    LinkDomains NONE = new LinkDomains() {
        @Override
        public boolean hasSubdomain(String workspaceId, String label) {
            return false;
        }

        @Override
        public boolean hasVerifiedBranded(String workspaceId, String host) {
            return false;
        }

        @Override
        public String domainOfHost(String host) {
            return "";
        }

        @Override
        public boolean isEmpty() {
            return true;
        }
    };

    /** True while no subdomain or verified branded domain exists: the redirect need not read the Host. One volatile read. */
    boolean isEmpty();

    /** True when the workspace registered this subdomain label. */
    boolean hasSubdomain(String workspaceId, String label);

    /** True when the workspace registered this branded domain and it is verified. */
    boolean hasVerifiedBranded(String workspaceId, String host);

    /**
     * The {@link ShortUrl#domain} a request's Host (without port, any case) resolves codes in: a
     * registered subdomain's label, a verified branded domain, or '' (the standard domain) for any
     * other host, so a server reached by IP or through a proxy keeps working. Called per redirect:
     * no I/O, no locks.
     */
    String domainOfHost(String host);
}
