package dev.linkpulse.links;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.common.Timestamps;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.BodyFields;
import dev.linkpulse.http.JsonFields;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads and checks the body of a create request (spec §3); every error names its field. */
final class ShortUrlInput {

    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_-]{3,50}");
    static final int MAX_NAME = 255;

    /**
     * What a create body may hold. The fields of features this server does not have yet (campaigns,
     * domains, QR codes) are named so they are refused as unsupported rather than as unknown.
     */
    static final BodyFields CREATE_FIELDS = BodyFields.of("url", "custom_alias", "name", "expires_at",
            "tracking_enabled", "is_dynamic", "forward_query", "campaign_id", "url_type", "branded_domain",
            "subdomain", "qr_code", "qr_format");
    /** What an update body may hold: the create fields, and {@code disabled}. */
    static final BodyFields UPDATE_FIELDS = CREATE_FIELDS.and("disabled");

    private final DestinationRules destinations;
    private final BodyFields createFields;
    private final BodyFields updateFields;

    ShortUrlInput(DestinationRules destinations) {
        this(destinations, java.util.Set.of());
    }

    /** With the fields of features that extend links (smart links), which they check themselves. */
    ShortUrlInput(DestinationRules destinations, java.util.Set<String> extensionFields) {
        this.destinations = destinations;
        String[] extra = extensionFields.toArray(String[]::new);
        this.createFields = CREATE_FIELDS.and(extra);
        this.updateFields = UPDATE_FIELDS.and(extra);
    }

    NewShortUrl parseCreate(JsonNode raw, long nowMillis) {
        JsonNode body = createFields.check(raw);
        refuseUnsupported(body);
        String url = destinations.check(JsonFields.withoutOuterSpaces(JsonFields.requiredString(body, "url")));
        Optional<String> alias = JsonFields.string(body, "custom_alias").map(ShortUrlInput::checkAlias);
        Optional<String> name = JsonFields.string(body, "name").map(ShortUrlInput::checkName);
        Optional<Long> expiresAt = JsonFields.string(body, "expires_at").map(v -> checkExpiry(v, nowMillis));
        return new NewShortUrl(url, alias, name, expiresAt,
                JsonFields.bool(body, "tracking_enabled", true),
                JsonFields.bool(body, "is_dynamic", false),
                JsonFields.bool(body, "forward_query", true));
    }

    /** A partial update: only the fields present change; {@code null} clears name and expiry. */
    LinkUpdate parseUpdate(JsonNode raw, long nowMillis) {
        JsonNode body = updateFields.check(raw);
        refuseUnsupported(body);
        Optional<String> url = present(body, "url")
                ? Optional.of(destinations.check(JsonFields.withoutOuterSpaces(JsonFields.requiredString(body, "url"))))
                : Optional.empty();
        Optional<Optional<String>> name = present(body, "name")
                ? Optional.of(JsonFields.string(body, "name").map(ShortUrlInput::checkName))
                : Optional.empty();
        Optional<Optional<Long>> expiresAt = present(body, "expires_at")
                ? Optional.of(JsonFields.string(body, "expires_at").map(v -> checkExpiry(v, nowMillis)))
                : Optional.empty();
        Optional<String> alias = present(body, "custom_alias")
                ? Optional.of(checkAlias(JsonFields.requiredString(body, "custom_alias")))
                : Optional.empty();
        return new LinkUpdate(url, name, expiresAt,
                optionalBool(body, "tracking_enabled"),
                optionalBool(body, "is_dynamic"),
                alias,
                optionalBool(body, "forward_query"),
                optionalBool(body, "disabled"));
    }

    /**
     * jmpy's fields for features this server lacks: a value that asks for the feature is a 400,
     * never dropped; the values that ask for nothing ({@code url_type: "standard"}, {@code qr_code:
     * false}, nulls) pass.
     */
    private static void refuseUnsupported(JsonNode body) {
        for (String field : java.util.List.of("campaign_id", "branded_domain", "subdomain", "qr_format")) {
            if (BodyFields.given(body, field)) {
                throw notSupported(field);
            }
        }
        if (BodyFields.given(body, "url_type")) {
            JsonNode type = body.get("url_type");
            if (!type.isTextual()) {
                throw ApiException.validation("url_type", "url_type must be a string");
            }
            if (!type.textValue().equals("standard")) {
                throw notSupported("url_type");
            }
        }
        if (BodyFields.given(body, "qr_code") && !(body.get("qr_code").isBoolean() && !body.get("qr_code").booleanValue())) {
            throw notSupported("qr_code");
        }
    }

    private static ApiException notSupported(String field) {
        return ApiException.validation(field, field + " is not supported by this server yet",
                java.util.Map.of("reason", "not_supported"));
    }

    private static boolean present(JsonNode body, String field) {
        return body.has(field);
    }

    private static Optional<Boolean> optionalBool(JsonNode body, String field) {
        if (!body.has(field)) {
            return Optional.empty();
        }
        if (!body.get(field).isBoolean()) {
            throw ApiException.validation(field, field + " must be true or false");
        }
        return Optional.of(body.get(field).booleanValue());
    }

    static String checkAlias(String alias) {
        if (!ALIAS.matcher(alias).matches()) {
            throw ApiException.validation("custom_alias",
                    "custom_alias must be 3 to 50 characters of letters, digits, '-' and '_'");
        }
        return alias;
    }

    static String checkName(String name) {
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > MAX_NAME) {
            throw ApiException.validation("name", "name must be 1 to " + MAX_NAME + " characters");
        }
        if (name.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
            throw ApiException.validation("name", "name must not contain control characters");
        }
        return name;
    }

    static long checkExpiry(String value, long nowMillis) {
        Instant at = Timestamps.parse(value).orElseThrow(() -> ApiException.validation("expires_at",
                "expires_at must be " + Timestamps.EXPECTED + ", such as 2030-01-15T14:32:00.000Z"));
        if (at.toEpochMilli() <= nowMillis) {
            throw ApiException.validation("expires_at", "expires_at must be in the future");
        }
        return at.toEpochMilli();
    }
}
