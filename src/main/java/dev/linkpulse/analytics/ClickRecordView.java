package dev.linkpulse.analytics;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.common.Timestamps;
import java.util.LinkedHashMap;
import java.util.Map;

/** A click as the click log shows it (spec §4.1): the twelve fields, then the extensions. */
final class ClickRecordView {

    /** The record's fields in order: the twelve of spec §4.1, then the extensions. */
    static final java.util.List<String> FIELDS = java.util.List.of("id", "short_code", "original_url", "clicked_at",
            "ip_address", "user_agent", "referrer", "country", "city", "device_type", "browser", "os", "short_url_id",
            "region", "referrer_domain", "source", "traffic_class", "utm_source", "utm_medium", "utm_campaign", "utm_term",
            "utm_content");

    private ClickRecordView() {}

    static Map<String, Object> of(Click c, String shortCode) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("short_code", shortCode);
        m.put("original_url", c.destination());
        m.put("clicked_at", Timestamps.format(c.clickedAt()));
        m.put("ip_address", c.ipAddress());
        m.put("user_agent", c.userAgent());
        m.put("referrer", c.referrer());
        m.put("country", c.country());
        m.put("city", c.city());
        m.put("device_type", c.deviceType());
        m.put("browser", c.browser());
        m.put("os", c.os());
        m.put("short_url_id", c.linkId());
        m.put("region", c.region());
        m.put("referrer_domain", c.referrerDomain());
        m.put("source", c.source());
        m.put("traffic_class", c.trafficClass().label());
        m.put("utm_source", c.utm().source());
        m.put("utm_medium", c.utm().medium());
        m.put("utm_campaign", c.utm().campaign());
        m.put("utm_term", c.utm().term());
        m.put("utm_content", c.utm().content());
        return m;
    }
}
