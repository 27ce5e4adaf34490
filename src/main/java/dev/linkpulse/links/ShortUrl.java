package dev.linkpulse.links;

/**
 * A short link as stored. Times are epoch milliseconds; {@code expiresAt} may be null.
 * {@code domain} is the host it answers on (issue 16): '' for the standard domain, a subdomain's
 * label ({@code urlType} "subdomain") or a branded domain's host ({@code urlType} "branded").
 */
public record ShortUrl(
        String id,
        String workspaceId,
        String shortCode,
        boolean customAlias,
        String originalUrl,
        String name,
        boolean trackingEnabled,
        boolean dynamic,
        boolean forwardQuery,
        boolean disabled,
        String campaignId,
        Long expiresAt,
        long createdAt,
        long updatedAt,
        String urlType,
        String domain,
        boolean smart) {

    public static final String STANDARD = "standard";
    public static final String SUBDOMAIN = "subdomain";
    public static final String BRANDED = "branded";

    /** A link on the standard domain without smart-link settings. */
    public ShortUrl(String id, String workspaceId, String shortCode, boolean customAlias, String originalUrl, String name,
            boolean trackingEnabled, boolean dynamic, boolean forwardQuery, boolean disabled, String campaignId, Long expiresAt,
            long createdAt, long updatedAt) {
        this(id, workspaceId, shortCode, customAlias, originalUrl, name, trackingEnabled, dynamic, forwardQuery, disabled,
                campaignId, expiresAt, createdAt, updatedAt, STANDARD, "", false);
    }

    /**
     * A link on a host, without smart-link settings. {@code smart} (issue 17) says the link has
     * targeting rules or a click limit; only smartlinks sets it, and only such links leave the plain
     * redirect path.
     */
    public ShortUrl(String id, String workspaceId, String shortCode, boolean customAlias, String originalUrl, String name,
            boolean trackingEnabled, boolean dynamic, boolean forwardQuery, boolean disabled, String campaignId, Long expiresAt,
            long createdAt, long updatedAt, String urlType, String domain) {
        this(id, workspaceId, shortCode, customAlias, originalUrl, name, trackingEnabled, dynamic, forwardQuery, disabled,
                campaignId, expiresAt, createdAt, updatedAt, urlType, domain, false);
    }

    public boolean isExpiredAt(long nowMillis) {
        return expiresAt != null && expiresAt <= nowMillis;
    }

    /** The link cache's key: the code alone on the standard domain, else code@domain (a code never holds '@'). */
    public String cacheKey() {
        return cacheKey(domain, shortCode);
    }

    static String cacheKey(String domain, String code) {
        return domain.isEmpty() ? code : code + "@" + domain;
    }
}
