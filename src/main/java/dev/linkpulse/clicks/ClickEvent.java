package dev.linkpulse.clicks;

/**
 * What the redirect knows about a click, captured on the request path; everything else is
 * derived later, off that path. Strings are already cut to their stored limits.
 *
 * @param clientIp the full client IP; it stays in memory and never reaches the disk unmasked
 */
public record ClickEvent(
        String id,
        long clickedAt,
        String linkId,
        String workspaceId,
        String destination,
        String clientIp,
        String userAgent,
        String referrer,
        Utm utm) {

    public static final int MAX_USER_AGENT = 1_024;
    public static final int MAX_REFERRER = 2_048;
    public static final int MAX_UTM = 255;
}
