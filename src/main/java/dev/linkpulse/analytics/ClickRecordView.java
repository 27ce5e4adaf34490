package dev.linkpulse.analytics;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.common.Timestamps;
import java.util.LinkedHashMap;
import java.util.Map;

/** A click as the click log shows it (spec §4.1): the twelve fields, then the extensions. */
public final class ClickRecordView {

    /** The record's fields in order: the twelve of spec §4.1, then the extensions. */
    static final java.util.List<String> FIELDS = java.util.List.of("id", "short_code", "original_url", "clicked_at",
            "ip_address", "user_agent", "referrer", "country", "city", "device_type", "browser", "os", "short_url_id",
            "region", "referrer_domain", "source", "traffic_class", "utm_source", "utm_medium", "utm_campaign", "utm_term",
            "utm_content");

    private ClickRecordView() {}

    /** The record's values in {@link #FIELDS} order, as text (null stays null). */
    static String[] values(Click c, String shortCode) {
        return new String[] {c.id(), shortCode, c.destination(), Timestamps.format(c.clickedAt()), c.ipAddress(),
                c.userAgent(), c.referrer(), c.country(), c.city(), c.deviceType(), c.browser(), c.os(), c.linkId(),
                c.region(), c.referrerDomain(), c.source(), c.trafficClass().label(), c.utm().source(), c.utm().medium(),
                c.utm().campaign(), c.utm().term(), c.utm().content()};
    }

    /** Writes the record as one JSON object, without building a map first (exports write millions). */
    static void write(com.fasterxml.jackson.core.JsonGenerator g, Click c, String shortCode) throws java.io.IOException {
        String[] values = values(c, shortCode);
        g.writeStartObject();
        for (int i = 0; i < values.length; i++) {
            g.writeStringField(FIELDS.get(i), values[i]);
        }
        g.writeEndObject();
    }

    public static Map<String, Object> of(Click c, String shortCode) {
        String[] values = values(c, shortCode);
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            m.put(FIELDS.get(i), values[i]);
        }
        return m;
    }
}
