package dev.linkpulse.clicks;

/**
 * What the redirect knows about a click, captured on the request path; everything else is
 * derived later, off that path. Strings are already cut to their stored limits.
 *
 * @param clientIp the full client IP; it stays in memory and never reaches the disk unmasked
 * @param derived what the IP gives (masked IP, geolocation, visitor hash), once the journal thread
 *     derived it; null before, or for a click without an IP
 * @param matchedRule the index of the smart-link targeting rule that chose the destination (issue 17);
 *     null when no rule matched or the link has none. Journal lines written before it existed read as null.
 * @param variantId the A/B test variant the click was sent to (issue 17), null when none; likewise
 * @param qrScan true when the request carried the QR scan marker (issue 15): the enricher looks up
 *     which QR code owns the link; false for journal lines written before it existed
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
        Utm utm,
        IpDerived derived,
        Integer matchedRule,
        String variantId,
        boolean qrScan) {

    public static final int MAX_USER_AGENT = 1_024;
    public static final int MAX_REFERRER = 2_048;
    public static final int MAX_UTM = 255;

    /** A click as the redirect sees it: nothing derived yet. */
    /** A click without the QR scan marker. */
    public ClickEvent(String id, long clickedAt, String linkId, String workspaceId, String destination, String clientIp,
            String userAgent, String referrer, Utm utm, IpDerived derived, Integer matchedRule, String variantId) {
        this(id, clickedAt, linkId, workspaceId, destination, clientIp, userAgent, referrer, utm, derived, matchedRule, variantId, false);
    }

    public ClickEvent(String id, long clickedAt, String linkId, String workspaceId, String destination, String clientIp,
            String userAgent, String referrer, Utm utm) {
        this(id, clickedAt, linkId, workspaceId, destination, clientIp, userAgent, referrer, utm, null, null, null);
    }

    public ClickEvent(String id, long clickedAt, String linkId, String workspaceId, String destination, String clientIp,
            String userAgent, String referrer, Utm utm, IpDerived derived) {
        this(id, clickedAt, linkId, workspaceId, destination, clientIp, userAgent, referrer, utm, derived, null, null);
    }

    public ClickEvent withDerived(IpDerived d) {
        return new ClickEvent(id, clickedAt, linkId, workspaceId, destination, clientIp, userAgent, referrer, utm, d, matchedRule, variantId, qrScan);
    }

    public ClickEvent withIp(String ip) {
        return new ClickEvent(id, clickedAt, linkId, workspaceId, destination, ip, userAgent, referrer, utm, derived, matchedRule, variantId, qrScan);
    }
}
