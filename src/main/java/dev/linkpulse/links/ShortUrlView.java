package dev.linkpulse.links;

import dev.linkpulse.common.Timestamps;
import java.util.LinkedHashMap;
import java.util.Map;

/** The short URL object of spec §3, as the API shows it. */
public final class ShortUrlView {

    private ShortUrlView() {}

    static Map<String, Object> of(ShortUrl s, String baseUrl, long humanClicks) {
        return of(s, baseUrl, humanClicks, java.util.List.of());
    }

    static Map<String, Object> of(ShortUrl s, String baseUrl, long humanClicks, java.util.List<String> tags) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("short_code", s.shortCode());
        m.put("short_url", baseUrl + "/" + s.shortCode());
        m.put("original_url", s.originalUrl());
        m.put("name", s.name());
        m.put("custom_alias", s.customAlias() ? s.shortCode() : null);
        m.put("clicks", humanClicks);
        m.put("click_count", humanClicks);
        m.put("tracking_enabled", s.trackingEnabled());
        m.put("is_dynamic", s.dynamic());
        m.put("forward_query", s.forwardQuery());
        m.put("disabled", s.disabled());
        m.put("url_type", "standard");
        m.put("subdomain", null);
        m.put("branded_domain", null);
        m.put("campaign_id", s.campaignId());
        m.put("tags", tags);
        m.put("expires_at", Timestamps.formatNullable(s.expiresAt()));
        m.put("created_at", Timestamps.format(s.createdAt()));
        m.put("updated_at", Timestamps.format(s.updatedAt()));
        return m;
    }
}
