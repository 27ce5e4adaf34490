package dev.linkpulse.domains;

import dev.linkpulse.common.RandomCodes;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.links.Hosts;
import dev.linkpulse.links.LinkDomains;
import dev.linkpulse.links.LinkService;
import dev.linkpulse.store.ChangeFeed;
import java.time.Clock;
import java.util.HashMap;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Subdomains of the base domain and branded domains (spec §6.5), and the in-memory registry the
 * redirect resolves a request's Host with. The registry is rebuilt from the store after every
 * change here and, on PostgreSQL, after every change another process announces.
 */
public final class DomainService implements LinkDomains {

    /** Labels no workspace may take: the server's own names and the usual infrastructure ones. */
    static final Set<String> RESERVED = Set.of("www", "api", "app", "admin", "administrator", "dashboard", "assets", "static",
            "cdn", "mail", "email", "smtp", "imap", "pop", "pop3", "ftp", "ns", "ns1", "ns2", "dns", "mx", "webmail", "status",
            "health", "metrics", "docs", "help", "support", "blog", "root", "localhost", "linkpulse", "auth", "login", "account",
            "billing", "secure", "vpn", "git", "dev", "staging", "test");

    static final String CHANNEL = "linkpulse_domains";
    static final String TXT_PREFIX = "_linkpulse.";

    /** What the redirect needs: registered labels, verified branded hosts, and their workspaces. */
    private record Registry(Map<String, String> labels, Map<String, String> branded) {
        boolean isEmpty() {
            return labels.isEmpty() && branded.isEmpty();
        }
    }

    private final DomainStore store;
    private final String baseHost;
    private final DnsTxt dns;
    private final ChangeFeed changes;
    private final Clock clock;
    private volatile Registry registry = new Registry(Map.of(), Map.of());

    public DomainService(Jdbi jdbi, String baseUrl, String dnsResolver, ChangeFeed changes, Clock clock) {
        this.store = new DomainStore(jdbi);
        this.baseHost = Hosts.baseHost(baseUrl);
        this.dns = new DnsTxt(dnsResolver);
        this.changes = changes;
        this.clock = clock;
        reload();
        changes.subscribe(CHANNEL, payload -> reload(), this::reload);
    }

    private void reload() {
        Map<String, String> labels = new HashMap<>();
        store.allSubdomains().forEach(s -> labels.put(s.subdomain(), s.workspaceId()));
        Map<String, String> branded = new HashMap<>();
        store.allVerifiedBranded().forEach(b -> branded.put(b.domain(), b.workspaceId()));
        registry = new Registry(Map.copyOf(labels), Map.copyOf(branded));
    }

    private void changed() {
        reload();
        changes.publish(CHANNEL, "*");
    }

    String baseHost() {
        return baseHost;
    }

    // --- LinkDomains ---

    @Override
    public boolean hasSubdomain(String workspaceId, String label) {
        return workspaceId.equals(registry.labels().get(label));
    }

    @Override
    public boolean hasVerifiedBranded(String workspaceId, String host) {
        return workspaceId.equals(registry.branded().get(host));
    }

    @Override
    public boolean isEmpty() {
        return registry.isEmpty();
    }

    @Override
    public String domainOfHost(String host) {
        Registry r = registry;
        if (r.isEmpty() || host == null) {
            return "";
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        int labelEnd = h.length() - baseHost.length() - 1;
        if (labelEnd > 0 && h.endsWith(baseHost) && h.charAt(labelEnd) == '.') {
            String label = h.substring(0, labelEnd);
            return r.labels().containsKey(label) ? label : "";
        }
        return r.branded().containsKey(h) ? h : "";
    }

    // --- subdomains ---

    /** Why a label cannot be taken, or empty when it can. */
    Optional<String> subdomainProblem(String label) {
        if (label.length() < 3 || label.length() > 63 || !Hosts.isLabel(label)) {
            return Optional.of("subdomain must be 3 to 63 of a-z, 0-9 and '-', not starting or ending with '-'");
        }
        if (RESERVED.contains(label)) {
            return Optional.of("subdomain '" + label + "' is reserved");
        }
        return Optional.empty();
    }

    boolean isSubdomainTaken(String label) {
        return store.subdomainByLabel(label).isPresent();
    }

    DomainStore.Subdomain createSubdomain(String workspaceId, String label, String name, String description) {
        subdomainProblem(label).ifPresent(p -> {
            throw ApiException.validation("subdomain", p);
        });
        DomainStore.Subdomain s = new DomainStore.Subdomain(UUID.randomUUID().toString(), workspaceId, label, name, description,
                clock.millis());
        if (!store.insert(s)) {
            throw new ApiException(409, "ALREADY_EXISTS", "The subdomain '" + label + "' is already taken", Map.of("field", "subdomain"));
        }
        changed();
        return s;
    }

    List<DomainStore.Subdomain> subdomains(String workspaceId) {
        return store.subdomains(workspaceId);
    }

    Optional<DomainStore.Subdomain> subdomain(String workspaceId, String idOrLabel) {
        Optional<DomainStore.Subdomain> byId = store.subdomain(workspaceId, idOrLabel.toLowerCase(Locale.ROOT));
        if (byId.isPresent()) {
            return byId;
        }
        return store.subdomainByLabel(idOrLabel.toLowerCase(Locale.ROOT)).filter(s -> s.workspaceId().equals(workspaceId));
    }

    /** Deletes a subdomain; while links use it only with {@code force}, which deletes them. Returns the links deleted. */
    int deleteSubdomain(DomainStore.Subdomain s, boolean force, LinkService links) {
        int n = deleteLinks(s.workspaceId(), s.subdomain(), force, links);
        store.deleteSubdomain(s.id());
        changed();
        return n;
    }

    private static int deleteLinks(String workspaceId, String domain, boolean force, LinkService links) {
        int using = links.countOnDomain(workspaceId, domain);
        if (using > 0 && !force) {
            throw new ApiException(409, "DOMAIN_IN_USE", using + " links use this domain; delete them first or pass force=true",
                    Map.of("field", "force", "links", using));
        }
        return using == 0 ? 0 : links.deleteOnDomain(workspaceId, domain);
    }

    String fullDomain(String label) {
        return label + "." + baseHost;
    }

    // --- branded domains ---

    DomainStore.Branded createBranded(String workspaceId, String domain, String name, String description) {
        if (!Hosts.isHostname(domain)) {
            throw ApiException.validation("domain", "domain must be a host name such as go.example.com");
        }
        if (domain.equals(baseHost) || domain.endsWith("." + baseHost)) {
            throw ApiException.validation("domain", "the base domain and its subdomains are not branded domains; use /domains/subdomains");
        }
        DomainStore.Branded b = new DomainStore.Branded(UUID.randomUUID().toString(), workspaceId, domain, name, description,
                "linkpulse-verify=" + RandomCodes.base62(32), null, clock.millis());
        if (!store.insert(b)) {
            throw new ApiException(409, "ALREADY_EXISTS", "The domain '" + domain + "' is already registered", Map.of("field", "domain"));
        }
        return b;
    }

    List<DomainStore.Branded> brandedDomains(String workspaceId) {
        return store.brandedDomains(workspaceId);
    }

    Optional<DomainStore.Branded> branded(String workspaceId, String idOrDomain) {
        Optional<DomainStore.Branded> byId = store.branded(workspaceId, idOrDomain.toLowerCase(Locale.ROOT));
        if (byId.isPresent()) {
            return byId;
        }
        return store.brandedByDomain(idOrDomain.toLowerCase(Locale.ROOT)).filter(b -> b.workspaceId().equals(workspaceId));
    }

    /** The outcome of a verification: verified or not, and why not. */
    record Verification(DomainStore.Branded domain, boolean verified, String message) {}

    /** Looks for the TXT record {@code _linkpulse.<domain>} holding the token; verifies the domain when found. */
    Verification verify(DomainStore.Branded b) {
        if (b.verifiedAt() != null) {
            return new Verification(b, true, "Domain is verified");
        }
        List<String> values;
        try {
            values = dns.lookup(TXT_PREFIX + b.domain());
        } catch (DnsTxt.LookupFailed e) {
            return new Verification(b, false, "The DNS lookup did not answer; try again later");
        }
        if (!values.contains(b.token())) {
            return new Verification(b, false, values.isEmpty()
                    ? "No TXT record found at " + TXT_PREFIX + b.domain()
                    : "The TXT record at " + TXT_PREFIX + b.domain() + " does not hold the verification value");
        }
        long now = clock.millis();
        store.markVerified(b.id(), now);
        changed();
        return new Verification(new DomainStore.Branded(b.id(), b.workspaceId(), b.domain(), b.name(), b.description(), b.token(),
                now, b.createdAt()), true, "Domain is verified");
    }

    int deleteBranded(DomainStore.Branded b, boolean force, LinkService links) {
        int n = deleteLinks(b.workspaceId(), b.domain(), force, links);
        store.deleteBranded(b.id());
        changed();
        return n;
    }

}
