package dev.linkpulse.smartlinks;

import dev.linkpulse.common.IpAddresses;
import dev.linkpulse.enrich.Device;
import dev.linkpulse.enrich.GeoLocator;
import dev.linkpulse.enrich.UserAgentClassifier;

/**
 * What the rules may ask of one request. The device and the country cost a user-agent parse and a
 * geolocation, so they are worked out only when a condition asks, once per request.
 */
final class Visit {

    private final UserAgentClassifier userAgents;
    private final GeoLocator geo;
    final String userAgent;
    final String clientIp;
    final String acceptLanguage;
    final String rawQuery;
    final long now;
    private Device device;
    private String country;
    private boolean located;

    Visit(UserAgentClassifier userAgents, GeoLocator geo, String userAgent, String clientIp, String acceptLanguage,
            String rawQuery, long now) {
        this.userAgents = userAgents;
        this.geo = geo;
        this.userAgent = userAgent;
        this.clientIp = clientIp;
        this.acceptLanguage = acceptLanguage;
        this.rawQuery = rawQuery;
        this.now = now;
    }

    Device device() {
        if (device == null) {
            device = userAgents.classify(userAgent);
        }
        return device;
    }

    /** ISO 3166-1 alpha-2, or null when unknown. */
    String country() {
        if (!located) {
            located = true;
            country = clientIp == null ? null : IpAddresses.parse(clientIp).map(ip -> geo.locate(ip).country()).orElse(null);
        }
        return country;
    }
}
