package dev.linkpulse.analytics;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.common.Timestamps;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A click as the click log shows it (spec §4.1): the twelve fields, then the extensions, then the
 * fields of jmpy's click payloads (spec §6.2; added after, never renamed). Webhooks send the same.
 */
public final class ClickRecordView {

    /** The record's fields in order: the twelve of spec §4.1, then the extensions, then spec §6.2's. */
    static final java.util.List<String> FIELDS = java.util.List.of("id", "short_code", "original_url", "clicked_at",
            "ip_address", "user_agent", "referrer", "country", "city", "device_type", "browser", "os", "short_url_id",
            "region", "referrer_domain", "source", "traffic_class", "utm_source", "utm_medium", "utm_campaign", "utm_term",
            "utm_content",
            "short_url", "country_code", "timezone", "is_unique", "device_brand", "device_model", "browser_version",
            "os_version", "traffic_source", "traffic_medium",
            "matched_rule", "variant_id",
            "is_qr_scan", "qr_code_id");

    /** The one field that is a boolean, not text. */
    private static final int IS_UNIQUE = FIELDS.indexOf("is_unique");
    /** matched_rule (issue 17) is a number in JSON: the 0-based index of the targeting rule that chose the destination. */
    private static final int MATCHED_RULE = FIELDS.indexOf("matched_rule");
    /** is_qr_scan (issue 15) is a boolean in JSON: the click came through a tracked QR code, qr_code_id names it. */
    private static final int IS_QR_SCAN = FIELDS.indexOf("is_qr_scan");

    private ClickRecordView() {}

    /**
     * The record's values in {@link #FIELDS} order, as text (null stays null).
     *
     * @param shortUrl the link's full short URL
     * @param unique whether the click is its visitor's first on the link that UTC day
     */
    static String[] values(Click c, String shortCode, String shortUrl, boolean unique) {
        return new String[] {c.id(), shortCode, c.destination(), Timestamps.format(c.clickedAt()), c.ipAddress(),
                c.userAgent(), c.referrer(), c.country(), c.city(), c.deviceType(), c.browser(), c.os(), c.linkId(),
                c.region(), c.referrerDomain(), c.source(), c.trafficClass().label(), c.utm().source(), c.utm().medium(),
                c.utm().campaign(), c.utm().term(), c.utm().content(),
                shortUrl, c.country(), c.timezone(), Boolean.toString(unique), c.deviceBrand(), c.deviceModel(),
                c.browserVersion(), c.osVersion(), c.source(), medium(c),
                c.matchedRule() == null ? null : c.matchedRule().toString(), c.variantId(),
                Boolean.toString(c.fromQrScan()), c.qrCodeId()};
    }

    /**
     * The traffic medium: the request's {@code utm_medium} when it had one, else what the referrer
     * says, in the words analytics tools use ({@code none} for direct, {@code organic} for search).
     */
    static String medium(Click c) {
        if (c.utm().medium() != null) {
            return c.utm().medium();
        }
        return switch (c.source() == null ? "direct" : c.source()) {
            case "direct" -> "none";
            case "search" -> "organic";
            default -> c.source(); // social, email, referral
        };
    }

    /** Writes the record as one JSON object, without building a map first (exports write millions). */
    static void write(com.fasterxml.jackson.core.JsonGenerator g, Click c, String shortCode, String shortUrl, boolean unique)
            throws java.io.IOException {
        String[] values = values(c, shortCode, shortUrl, unique);
        g.writeStartObject();
        for (int i = 0; i < values.length; i++) {
            if (i == IS_UNIQUE) {
                g.writeBooleanField(FIELDS.get(i), unique);
            } else if (i == IS_QR_SCAN) {
                g.writeBooleanField(FIELDS.get(i), c.fromQrScan());
            } else if (i == MATCHED_RULE && c.matchedRule() != null) {
                g.writeNumberField(FIELDS.get(i), c.matchedRule());
            } else {
                g.writeStringField(FIELDS.get(i), values[i]);
            }
        }
        g.writeEndObject();
    }

    public static Map<String, Object> of(Click c, String shortCode, String shortUrl, boolean unique) {
        String[] values = values(c, shortCode, shortUrl, unique);
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            m.put(FIELDS.get(i), i == IS_UNIQUE ? (Object) unique : i == IS_QR_SCAN ? (Object) c.fromQrScan()
                    : i == MATCHED_RULE ? c.matchedRule() : values[i]);
        }
        return m;
    }
}
