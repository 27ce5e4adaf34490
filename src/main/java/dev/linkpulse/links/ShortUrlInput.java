package dev.linkpulse.links;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.common.Timestamps;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.JsonFields;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads and checks the body of a create request (spec §3); every error names its field. */
final class ShortUrlInput {

    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_-]{3,50}");
    static final int MAX_NAME = 255;

    private final DestinationRules destinations;

    ShortUrlInput(DestinationRules destinations) {
        this.destinations = destinations;
    }

    NewShortUrl parseCreate(JsonNode body, long nowMillis) {
        String url = destinations.check(JsonFields.withoutOuterSpaces(JsonFields.requiredString(body, "url")));
        Optional<String> alias = JsonFields.string(body, "custom_alias").map(ShortUrlInput::checkAlias);
        Optional<String> name = JsonFields.string(body, "name").map(ShortUrlInput::checkName);
        Optional<Long> expiresAt = JsonFields.string(body, "expires_at").map(v -> checkExpiry(v, nowMillis));
        return new NewShortUrl(url, alias, name, expiresAt,
                JsonFields.bool(body, "tracking_enabled", true),
                JsonFields.bool(body, "is_dynamic", false),
                JsonFields.bool(body, "forward_query", true),
                JsonFields.string(body, "campaign_id").map(ShortUrlInput::checkCampaign),
                Tags.ofJson(body.get("tags"), "tags"));
    }

    /** A partial update: only the fields present change; {@code null} clears name and expiry. */
    LinkUpdate parseUpdate(JsonNode body, long nowMillis) {
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
                optionalBool(body, "disabled"),
                present(body, "campaign_id")
                        ? Optional.of(JsonFields.string(body, "campaign_id").map(ShortUrlInput::checkCampaign))
                        : Optional.empty(),
                present(body, "tags") ? Optional.of(Tags.ofJson(body.get("tags"), "tags")) : Optional.empty());
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

    /** A campaign as a body names it: its id or its name. */
    static String checkCampaign(String campaign) {
        if (campaign.isEmpty() || campaign.length() > 100 || campaign.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.validation("campaign_id", "campaign_id must be a campaign's id or name (1 to 100 characters)");
        }
        return campaign;
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
