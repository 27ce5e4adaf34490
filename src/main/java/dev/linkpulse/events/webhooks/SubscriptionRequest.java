package dev.linkpulse.events.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.clicks.Click;
import dev.linkpulse.http.ApiException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The body of {@code POST /webhooks/subscriptions}, checked field by field. */
record SubscriptionRequest(String eventType, String targetUrl, Optional<String> shortCode, Map<String, List<String>> filters,
        Optional<String> qrCodeId) {

    /** Body fields and the spellings jmpy's clients send them in (spec §6.1). */
    private static final Map<String, String> FIELDS = Map.of(
            "event_type", "event_type", "eventType", "event_type", "event", "event_type",
            "target_url", "target_url", "targetUrl", "target_url", "url", "target_url",
            "short_code", "short_code", "shortCode", "short_code",
            "qr_code_id", "qr_code_id", "qrCodeId", "qr_code_id");
    private static final Set<String> FILTERS_FIELD = Set.of("filters");

    /** Click fields a subscription may filter on. */
    static final List<String> FILTER_KEYS = List.of("country", "device_type", "browser", "os", "traffic_class", "source",
            "referrer_domain", "utm_source", "utm_medium", "utm_campaign");

    static String clickField(Click c, String key) {
        return switch (key) {
            case "country" -> c.country();
            case "device_type" -> c.deviceType();
            case "browser" -> c.browser();
            case "os" -> c.os();
            case "traffic_class" -> c.trafficClass().label();
            case "source" -> c.source();
            case "referrer_domain" -> c.referrerDomain();
            case "utm_source" -> c.utm().source();
            case "utm_medium" -> c.utm().medium();
            case "utm_campaign" -> c.utm().campaign();
            default -> null;
        };
    }

    static SubscriptionRequest parse(JsonNode body) {
        Map<String, JsonNode> given = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String canonical = FIELDS.get(e.getKey());
            if (canonical == null && FILTERS_FIELD.contains(e.getKey())) {
                canonical = "filters";
            }
            if (canonical == null) {
                unknown.add(e.getKey());
            } else if (given.put(canonical, e.getValue()) != null) {
                throw ApiException.validation(e.getKey(), e.getKey() + " is given twice under different spellings");
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiException.validation(unknown.get(0), "unknown field" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown), Map.of("unknown_fields", unknown));
        }
        String event = text(given, "event_type").orElseThrow(() -> ApiException.validation("event_type", "event_type is required; "
                + "one of " + String.join(", ", Webhooks.EVENTS)));
        if (!Webhooks.EVENTS.contains(event)) {
            throw ApiException.validation("event_type", "event_type must be one of " + String.join(", ", Webhooks.EVENTS));
        }
        String target = text(given, "target_url").orElseThrow(() -> ApiException.validation("target_url", "target_url is required"));
        Optional<String> qrCode = text(given, "qr_code_id");
        Optional<String> code = text(given, "short_code");
        Map<String, List<String>> filters = filters(given.get("filters"));
        if (event.equals(Webhooks.QR_CREATED)) {
            if (code.isPresent() || qrCode.isPresent() || !filters.isEmpty()) {
                String field = code.isPresent() ? "short_code" : qrCode.isPresent() ? "qr_code_id" : "filters";
                throw ApiException.validation(field, field + " narrows click events only; qr.created is workspace-wide");
            }
        }
        if (event.equals(Webhooks.LINK_CREATED) && qrCode.isPresent()) {
            throw ApiException.validation("qr_code_id", "qr_code_id narrows click events only; link.created is workspace-wide");
        }
        if (event.equals(Webhooks.LINK_CREATED)) {
            if (code.isPresent()) {
                throw ApiException.validation("short_code", "short_code narrows click events only; link.created is workspace-wide");
            }
            if (!filters.isEmpty()) {
                throw ApiException.validation("filters", "filters narrow click events only; link.created is workspace-wide");
            }
        }
        return new SubscriptionRequest(event, target, code, filters, qrCode);
    }

    private static Optional<String> text(Map<String, JsonNode> given, String field) {
        JsonNode n = given.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual() || n.textValue().isBlank()) {
            throw ApiException.validation(field, field + " must be a non-empty string");
        }
        // Spaces a paste brings are dropped; any other whitespace or control character is refused, never trimmed away.
        String value = dev.linkpulse.http.JsonFields.withoutOuterSpaces(n.textValue());
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f || Character.isWhitespace(c))) {
            throw ApiException.validation(field, field + " must not contain spaces or control characters");
        }
        return Optional.of(value);
    }

    private static Map<String, List<String>> filters(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw ApiException.validation("filters", "filters must be an object such as {\"country\": [\"US\", \"GB\"]}");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = "filters." + e.getKey();
            if (!FILTER_KEYS.contains(e.getKey())) {
                throw ApiException.validation(field, "unknown filter " + e.getKey() + "; filters take " + String.join(", ", FILTER_KEYS));
            }
            List<String> values = new ArrayList<>();
            JsonNode v = e.getValue();
            if (v.isTextual()) {
                values.add(v.textValue());
            } else if (v.isArray() && !v.isEmpty() && v.size() <= 50) {
                for (JsonNode item : v) {
                    if (!item.isTextual()) {
                        throw ApiException.validation(field, field + " must be a string or an array of 1 to 50 strings");
                    }
                    values.add(item.textValue());
                }
            } else {
                throw ApiException.validation(field, field + " must be a string or an array of 1 to 50 strings");
            }
            for (String s : values) {
                if (s.isEmpty() || s.length() > 255) {
                    throw ApiException.validation(field, field + " values must be 1 to 255 characters");
                }
            }
            out.put(e.getKey(), List.copyOf(values));
        }
        return out;
    }
}
