package dev.linkpulse.links;

/** A short link as stored. Times are epoch milliseconds; {@code expiresAt} may be null. */
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
        boolean smart) {

    /**
     * A link without smart-link settings. {@code smart} (issue 17) says the link has targeting rules
     * or a click limit; only smartlinks sets it, and only such links leave the plain redirect path.
     */
    public ShortUrl(String id, String workspaceId, String shortCode, boolean customAlias, String originalUrl, String name,
            boolean trackingEnabled, boolean dynamic, boolean forwardQuery, boolean disabled, String campaignId,
            Long expiresAt, long createdAt, long updatedAt) {
        this(id, workspaceId, shortCode, customAlias, originalUrl, name, trackingEnabled, dynamic, forwardQuery, disabled,
                campaignId, expiresAt, createdAt, updatedAt, false);
    }

    public boolean isExpiredAt(long nowMillis) {
        return expiresAt != null && expiresAt <= nowMillis;
    }
}
