package dev.linkpulse.links;

import dev.linkpulse.common.Timestamps;
import java.util.LinkedHashMap;
import java.util.Map;

/** The short URL object of spec §3, as the API shows it. */
public final class ShortUrlView {

    private ShortUrlView() {}

    /**
     * The full short URL on the link's host: the base URL for the standard domain; for a subdomain
     * the base URL with the label before its host (same scheme and port); for a branded domain the
     * base URL's scheme and that host.
     */
    static String shortUrl(ShortUrl s, String baseUrl) {
        if (s.domain().isEmpty()) {
            return baseUrl + "/" + s.shortCode();
        }
        java.net.URI base = java.net.URI.create(baseUrl);
        if (s.urlType().equals(ShortUrl.SUBDOMAIN)) {
            String port = base.getPort() < 0 ? "" : ":" + base.getPort();
            return base.getScheme() + "://" + s.domain() + "." + base.getHost() + port + "/" + s.shortCode();
        }
        return base.getScheme() + "://" + s.domain() + "/" + s.shortCode();
    }

    public static Map<String, Object> of(ShortUrl s, String baseUrl, long humanClicks) {
        return of(s, baseUrl, humanClicks, java.util.List.of());
    }

    static Map<String, Object> of(ShortUrl s, String baseUrl, long humanClicks, java.util.List<String> tags) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("short_code", s.shortCode());
        m.put("short_url", shortUrl(s, baseUrl));
        m.put("original_url", s.originalUrl());
        m.put("name", s.name());
        m.put("custom_alias", s.customAlias() ? s.shortCode() : null);
        m.put("clicks", humanClicks);
        m.put("click_count", humanClicks);
        m.put("tracking_enabled", s.trackingEnabled());
        m.put("is_dynamic", s.dynamic());
        m.put("forward_query", s.forwardQuery());
        m.put("disabled", s.disabled());
        m.put("url_type", s.urlType());
        m.put("subdomain", s.urlType().equals(ShortUrl.SUBDOMAIN) ? s.domain() : null);
        m.put("branded_domain", s.urlType().equals(ShortUrl.BRANDED) ? s.domain() : null);
        m.put("campaign_id", s.campaignId());
        m.put("tags", tags);
        m.put("expires_at", Timestamps.formatNullable(s.expiresAt()));
        m.put("created_at", Timestamps.format(s.createdAt()));
        m.put("updated_at", Timestamps.format(s.updatedAt()));
        return m;
    }
}
