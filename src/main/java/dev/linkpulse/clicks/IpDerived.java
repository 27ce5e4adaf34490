package dev.linkpulse.clicks;

/**
 * Everything a click records that needs the full client IP, derived while the IP is still in
 * memory: when the click is journaled. None of it is secret (the IP is masked, the visitor hash is
 * salted with a salt the store destroys two days later), so the journal keeps it and a click
 * replayed by another process after a crash has the same identity as one stored at once.
 *
 * @param visitorHash null when the salt of the click's day was not at hand without waiting for the
 *     store; the click then keeps its sealed IP for the enricher (see docs/RELIABILITY.md)
 */
public record IpDerived(String maskedIp, String country, String region, String city, String visitorHash, String timezone) {

    /** Without a time zone, as journaled before V13. */
    public IpDerived(String maskedIp, String country, String region, String city, String visitorHash) {
        this(maskedIp, country, region, city, visitorHash, null);
    }
}
