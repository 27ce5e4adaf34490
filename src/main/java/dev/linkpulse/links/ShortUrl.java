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
        long updatedAt) {

    public boolean isExpiredAt(long nowMillis) {
        return expiresAt != null && expiresAt <= nowMillis;
    }
}
