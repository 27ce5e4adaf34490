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
        String timezone,
        String deviceBrand,
        String deviceModel,
        String browserVersion,
        String osVersion,
        Integer matchedRule,
        String variantId,
        String qrCodeId) {

    /** A click with everything but a QR code (issue 15): not a scan. */
    public Click(String id, String linkId, String workspaceId, long clickedAt, String destination, String ipAddress,
            String userAgent, String referrer, String referrerDomain, String source, String country, String region,
            String city, String deviceType, String browser, String os, TrafficClass trafficClass, String visitorHash,
            Utm utm, String timezone, String deviceBrand, String deviceModel, String browserVersion, String osVersion,
            Integer matchedRule, String variantId) {
        this(id, linkId, workspaceId, clickedAt, destination, ipAddress, userAgent, referrer, referrerDomain, source, country,
                region, city, deviceType, browser, os, trafficClass, visitorHash, utm, timezone, deviceBrand, deviceModel,
                browserVersion, osVersion, matchedRule, variantId, null);
    }

    /**
     * True when this click is a scan of a tracked QR code (issue 15). Not named isQrScan: Jackson
     * would write a bean property of that name into journal lines, and older readers refuse it.
     */
    public boolean fromQrScan() {
        return qrCodeId != null;
    }

    /** This click as a scan of that QR code (null: not a scan). */
    public Click withQrCode(String qrCode) {
        return new Click(id, linkId, workspaceId, clickedAt, destination, ipAddress, userAgent, referrer, referrerDomain, source,
                country, region, city, deviceType, browser, os, trafficClass, visitorHash, utm, timezone, deviceBrand, deviceModel,
                browserVersion, osVersion, matchedRule, variantId, qrCode);
    }

    /**
     * A click without the details added in V13 (time zone, device brand and model, browser and OS
     * versions) and of a link without smart-link rules (issue 17), as clicks stored or journaled
     * before them are.
     */
    public Click(String id, String linkId, String workspaceId, long clickedAt, String destination, String ipAddress,
            String userAgent, String referrer, String referrerDomain, String source, String country, String region,
            String city, String deviceType, String browser, String os, TrafficClass trafficClass, String visitorHash, Utm utm) {
        this(id, linkId, workspaceId, clickedAt, destination, ipAddress, userAgent, referrer, referrerDomain, source, country,
                region, city, deviceType, browser, os, trafficClass, visitorHash, utm, null, null, null, null, null, null, null);
    }

    /** A click with the smart-link rule and A/B variant it went through (issue 17), without the V13 details. */
    public Click(String id, String linkId, String workspaceId, long clickedAt, String destination, String ipAddress,
            String userAgent, String referrer, String referrerDomain, String source, String country, String region,
            String city, String deviceType, String browser, String os, TrafficClass trafficClass, String visitorHash,
            Utm utm, Integer matchedRule, String variantId) {
        this(id, linkId, workspaceId, clickedAt, destination, ipAddress, userAgent, referrer, referrerDomain, source, country,
                region, city, deviceType, browser, os, trafficClass, visitorHash, utm, null, null, null, null, null, matchedRule,
                variantId);
    }

    /** This click with the smart-link rule and A/B variant it went through (issue 17). */
    public Click withSmartLink(Integer matchedRule, String variantId) {
        return new Click(id, linkId, workspaceId, clickedAt, destination, ipAddress, userAgent, referrer, referrerDomain, source,
                country, region, city, deviceType, browser, os, trafficClass, visitorHash, utm, timezone, deviceBrand, deviceModel,
                browserVersion, osVersion, matchedRule, variantId, qrCodeId);
    }

    /** This click with the details V13 added. */
    public Click withDetails(String timezone, String deviceBrand, String deviceModel, String browserVersion, String osVersion) {
        return new Click(id, linkId, workspaceId, clickedAt, destination, ipAddress, userAgent, referrer, referrerDomain, source,
                country, region, city, deviceType, browser, os, trafficClass, visitorHash, utm, timezone, deviceBrand, deviceModel,
                browserVersion, osVersion, matchedRule, variantId, qrCodeId);
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
