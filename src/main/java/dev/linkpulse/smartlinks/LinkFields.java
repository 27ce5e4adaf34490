package dev.linkpulse.smartlinks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.links.DestinationRules;
import dev.linkpulse.links.ShortUrl;
import dev.linkpulse.links.ShortUrlExtension;
import java.util.Map;
import java.util.Optional;

/**
 * The smart-link fields of the short URL object (spec §6.9): {@code max_clicks} and
 * {@code fallback_url} on create and update (null clears), shown on every link; {@code password}
 * (write-only, null removes it), shown as {@code is_password_protected}.
 */
final class LinkFields implements ShortUrlExtension {

    static final long MAX_CLICK_LIMIT = 1_000_000_000L;

    private final SmartLinks smart;
    private final DestinationRules destinations;

    LinkFields(SmartLinks smart, DestinationRules destinations) {
        this.smart = smart;
        this.destinations = destinations;
    }

    @Override
    public java.util.Set<String> fieldNames() {
        return java.util.Set.of("max_clicks", "fallback_url", "password", "conversion_tracking");
    }

    @Override
    public Change parse(JsonNode body, ShortUrl current) {
        Optional<Optional<Long>> max = body.has("max_clicks") ? Optional.of(maxClicks(body.get("max_clicks"))) : Optional.empty();
        Optional<Optional<String>> fallback = body.has("fallback_url")
                ? Optional.of(fallbackUrl(body.get("fallback_url"))) : Optional.empty();
        Optional<Optional<String>> password = body.has("password") ? Optional.of(passwordHash(body.get("password")))
                : Optional.empty();
        Optional<Boolean> tracking = Optional.empty();
        if (body.has("conversion_tracking")) {
            JsonNode node = body.get("conversion_tracking");
            if (!node.isBoolean()) {
                throw ApiException.validation("conversion_tracking", "conversion_tracking must be true or false");
            }
            tracking = Optional.of(node.booleanValue());
        }
        Optional<Boolean> conversions = tracking;
        if (max.isEmpty() && fallback.isEmpty() && password.isEmpty() && conversions.isEmpty()) {
            return Change.NONE;
        }
        return link -> {
            password.ifPresent(hash -> smart.putPassword(link, hash.orElse(null)));
            conversions.ifPresent(on -> smart.putConversionTracking(link, on));
            if (max.isEmpty() && fallback.isEmpty()) {
                return;
            }
            SmartSettings now = link.smart() ? smart.settings(link.id()) : null;
            Long newMax = max.isPresent() ? max.get().orElse(null) : now == null ? null : now.maxClicks();
            String newFallback = fallback.isPresent() ? fallback.get().orElse(null) : now == null ? null : now.fallbackUrl();
            smart.putLimit(link, newMax, newFallback);
        };
    }

    private static Optional<String> passwordHash(JsonNode node) {
        if (node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw ApiException.validation("password", "password must be a string");
        }
        return Optional.of(Passwords.hash(node.textValue()));
    }

    private static Optional<Long> maxClicks(JsonNode node) {
        if (node.isNull()) {
            return Optional.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 1 || node.longValue() > MAX_CLICK_LIMIT) {
            throw ApiException.validation("max_clicks", "max_clicks must be a whole number from 1 to " + MAX_CLICK_LIMIT
                    + ", or null for no limit");
        }
        return Optional.of(node.longValue());
    }

    private Optional<String> fallbackUrl(JsonNode node) {
        if (node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw ApiException.validation("fallback_url", "fallback_url must be a string");
        }
        try {
            return Optional.of(destinations.check(node.textValue().strip()));
        } catch (ApiException e) {
            throw ApiException.validation("fallback_url", e.getMessage().replaceFirst("^url", "fallback_url"));
        }
    }

    @Override
    public void addFields(ShortUrl link, Map<String, Object> view) {
        SmartSettings s = link.smart() ? smart.settings(link.id()) : null;
        view.put("max_clicks", s == null ? null : s.maxClicks());
        view.put("fallback_url", s == null ? null : s.fallbackUrl());
        view.put("is_password_protected", s != null && s.passwordHash() != null);
        view.put("conversion_tracking", s != null && s.conversionTracking());
    }
}
