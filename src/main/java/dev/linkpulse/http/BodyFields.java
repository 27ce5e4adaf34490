package dev.linkpulse.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The fields a request body may hold (spec §6.1): each endpoint names its fields once; jmpy.me's
 * camelCase spellings are read as the snake_case ones; any other field is a 400 naming it, so a
 * client never believes a field it sent (say {@code isDynamic}) took effect when it was dropped.
 *
 * <pre>{@code
 * static final BodyFields FIELDS = BodyFields.of("url", "custom_alias", "name");
 * JsonNode body = FIELDS.check(Json.objectBody(ctx));   // body.get("custom_alias") now holds customAlias too
 * }</pre>
 */
public final class BodyFields {

    /** jmpy's other spellings and the field each one means (spec §6.1). */
    public static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("customAlias", "custom_alias"),
            Map.entry("isDynamic", "is_dynamic"),
            Map.entry("dynamic", "is_dynamic"),
            Map.entry("trackingEnabled", "tracking_enabled"),
            Map.entry("expiresAt", "expires_at"),
            Map.entry("campaignId", "campaign_id"),
            Map.entry("urlType", "url_type"),
            Map.entry("brandedDomain", "branded_domain"),
            Map.entry("sortBy", "sort"),
            Map.entry("sortOrder", "order"),
            Map.entry("qrCode", "qr_code"),
            Map.entry("qrFormat", "qr_format"),
            Map.entry("forwardQuery", "forward_query"),
            Map.entry("csvContent", "csv_content"),
            Map.entry("validatedUrls", "validated_urls"),
            // Smart-link fields of a link body (issue 17)
            Map.entry("maxClicks", "max_clicks"),
            Map.entry("fallbackUrl", "fallback_url"),
            Map.entry("conversionTracking", "conversion_tracking"),
            // QR codes (issue 15): the generate body, and its visual_settings (camelCase there, as jmpy spells them)
            Map.entry("contentType", "content_type"),
            Map.entry("contentData", "content_data"),
            Map.entry("visualSettings", "visual_settings"),
            Map.entry("isPasswordProtected", "is_password_protected"),
            Map.entry("foreground_color", "foregroundColor"),
            Map.entry("background_color", "backgroundColor"),
            Map.entry("error_correction_level", "errorCorrectionLevel"),
            Map.entry("logo_url", "logoUrl"));

    private final Set<String> known;

    private BodyFields(Set<String> known) {
        this.known = Set.copyOf(known);
    }

    /** The snake_case names an endpoint's body may hold. */
    public static BodyFields of(String... known) {
        return new BodyFields(new LinkedHashSet<>(java.util.List.of(known)));
    }

    /** These fields and more (for an endpoint whose body extends another's). */
    public BodyFields and(String... more) {
        Set<String> all = new LinkedHashSet<>(known);
        all.addAll(java.util.List.of(more));
        return new BodyFields(all);
    }

    public Set<String> names() {
        return known;
    }

    /**
     * The body with every alias renamed to its field. A 400 {@code VALIDATION_ERROR} naming the
     * field when one is unknown, or when a field is given under two spellings with different values.
     */
    public ObjectNode check(JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.validation("body", "the body must be a JSON object");
        }
        ObjectNode out = body.deepCopy();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (known.contains(name)) {
                continue;
            }
            String field = ALIASES.get(name);
            if (field == null || !known.contains(field)) {
                throw ApiException.validation(name, "unknown field '" + name + "'"
                        + (field == null ? "" : " (" + field + ")") + "; this endpoint takes " + String.join(", ", known),
                        Map.of("reason", "unknown_field"));
            }
            JsonNode value = out.remove(name);
            JsonNode other = out.get(field);
            if (other != null && !other.equals(value)) {
                throw ApiException.validation(field, field + " and " + name + " disagree; send one of them");
            }
            out.set(field, value);
        }
        return out;
    }

    /** Whether a field is given with a value (present and not null). */
    public static boolean given(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node != null && !node.isNull();
    }
    // --- camelCase of every field (issue 19): jmpy's clients send camelCase for any snake_case field ---

    /** {@code primary_url_id} as jmpy's clients spell it: {@code primaryUrlId}. */
    public static String camelCase(String snake) {
        StringBuilder out = new StringBuilder(snake.length());
        boolean up = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                out.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return out.toString();
    }

    /**
     * As {@link #check}, for a body (or a nested object under {@code prefix}, such as
     * {@code variants[0].}) whose every snake_case field is also accepted in camelCase, besides the
     * {@link #ALIASES}: the body with each renamed to its field; a 400 naming any other field.
     */
    public static ObjectNode checkCamelCase(JsonNode body, String prefix, Set<String> known) {
        if (!body.isObject()) {
            throw ApiException.validation(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
                    "must be a JSON object");
        }
        ObjectNode out = body.deepCopy();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (known.contains(name)) {
                continue;
            }
            String field = ALIASES.containsKey(name) && known.contains(ALIASES.get(name)) ? ALIASES.get(name)
                    : known.stream().filter(k -> k.contains("_") && camelCase(k).equals(name)).findFirst().orElse(null);
            if (field == null) {
                throw ApiException.validation(prefix + name, "unknown field '" + prefix + name + "'; this takes "
                        + String.join(", ", known.stream().sorted().toList()), Map.of("reason", "unknown_field"));
            }
            JsonNode value = out.remove(name);
            JsonNode other = out.get(field);
            if (other != null && !other.equals(value)) {
                throw ApiException.validation(prefix + field, prefix + field + " and " + prefix + name + " disagree; send one of them");
            }
            out.set(field, value);
        }
        return out;
    }

    /**
     * For an action that takes no body (start, verify): a body that comes with fields is refused,
     * naming the first, rather than ignored; none, or {@code {}}, is fine.
     */
    public static void none(io.javalin.http.Context ctx) {
        if (ctx.contentLength() <= 0 && ctx.header("Transfer-Encoding") == null) {
            return;
        }
        JsonNode node = Json.objectBody(ctx);
        if (node.size() > 0) {
            String first = node.fieldNames().next();
            throw ApiException.validation(first, "unknown field '" + first + "'; this action takes no body",
                    Map.of("reason", "unknown_field"));
        }
    }
}
