package dev.linkpulse.clicks;

/** A click as stored in the click log: the event plus what enrichment derived from it. */
public record Click(
        String id,
        String linkId,
        String workspaceId,
        long clickedAt,
        String destination,
        String ipAddress,
        String userAgent,
        String referrer,
        String referrerDomain,
        String source,
        String country,
        String region,
        String city,
        String deviceType,
        String browser,
        String os,
        TrafficClass trafficClass,
        String visitorHash,
        Utm utm,
        Integer matchedRule,
        String variantId) {

    /** A click of a link without smart-link rules (issue 17): no rule matched. */
    public Click(String id, String linkId, String workspaceId, long clickedAt, String destination, String ipAddress,
            String userAgent, String referrer, String referrerDomain, String source, String country, String region,
            String city, String deviceType, String browser, String os, TrafficClass trafficClass, String visitorHash,
            Utm utm) {
        this(id, linkId, workspaceId, clickedAt, destination, ipAddress, userAgent, referrer, referrerDomain, source,
                country, region, city, deviceType, browser, os, trafficClass, visitorHash, utm, null, null);
    }

    /**
     * The click with nothing derived: no IP (the full one may not be stored), no geo or device,
     * and its own id as visitor hash, so it counts as one visitor.
     */
    public static Click unenriched(ClickEvent e) {
        return new Click(e.id(), e.linkId(), e.workspaceId(), e.clickedAt(), e.destination(), null,
                e.userAgent(), e.referrer(), null, "direct", null, null, null, "unknown", null, null,
                TrafficClass.HUMAN, e.id(), e.utm(), e.matchedRule(), e.variantId());
    }
}
