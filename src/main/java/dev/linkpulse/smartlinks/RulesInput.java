package dev.linkpulse.smartlinks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.common.Timestamps;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.links.DestinationRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks a rules body (spec §6.9); every error names its field the way a client wrote it,
 * such as {@code rules[2].conditions[0].type}. Unknown fields are refused, never ignored.
 */
final class RulesInput {

    static final int MAX_RULES = 50;
    static final int MAX_CONDITIONS = 10;
    static final int MAX_VALUE = 256;
    static final Set<String> DEVICE_TYPES = Set.of("desktop", "mobile", "tablet", "tv", "console", "wearable", "bot", "unknown");
    private static final Pattern COUNTRY = Pattern.compile("[A-Za-z]{2}");
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*");

    private final DestinationRules destinations;

    RulesInput(DestinationRules destinations) {
        this.destinations = destinations;
    }

    /** The rules of a PUT body {@code {"rules": [...]}}; an empty list removes them. */
    List<Rule> parseBody(JsonNode raw) {
        JsonNode body = onlyFields(raw, "", Set.of("rules"));
        JsonNode rules = body.get("rules");
        if (rules == null || rules.isNull()) {
            throw ApiException.validation("rules", "rules is required (an empty list removes the rules)");
        }
        return parseRules(rules);
    }

    List<Rule> parseRules(JsonNode rules) {
        if (!rules.isArray()) {
            throw ApiException.validation("rules", "rules must be a list");
        }
        if (rules.size() > MAX_RULES) {
            throw ApiException.validation("rules", "at most " + MAX_RULES + " rules", Map.of("max", MAX_RULES));
        }
        List<Rule> out = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            out.add(rule(rules.get(i), "rules[" + i + "]"));
        }
        return List.copyOf(out);
    }

    private Rule rule(JsonNode raw, String path) {
        if (!raw.isObject()) {
            throw ApiException.validation(path, path + " must be an object");
        }
        JsonNode node = onlyFields(raw, path + ".", Set.of("destination_url", "conditions"));
        String destination = text(node, path + ".destination_url", "destination_url", 0, DestinationRules.MAX_LENGTH, true);
        try {
            destination = destinations.check(destination.strip());
        } catch (ApiException e) {
            throw ApiException.validation(path + ".destination_url", e.getMessage().replaceFirst("^url", "destination_url"));
        }
        JsonNode conditions = node.get("conditions");
        String cpath = path + ".conditions";
        if (conditions == null || !conditions.isArray() || conditions.isEmpty()) {
            throw ApiException.validation(cpath, cpath + " must be a list of 1 to " + MAX_CONDITIONS + " conditions");
        }
        if (conditions.size() > MAX_CONDITIONS) {
            throw ApiException.validation(cpath, "at most " + MAX_CONDITIONS + " conditions", Map.of("max", MAX_CONDITIONS));
        }
        List<Rule.Condition> out = new ArrayList<>(conditions.size());
        for (int i = 0; i < conditions.size(); i++) {
            out.add(condition(conditions.get(i), cpath + "[" + i + "]"));
        }
        return new Rule(destination, List.copyOf(out));
    }

    private static Rule.Condition condition(JsonNode node, String path) {
        if (!node.isObject()) {
            throw ApiException.validation(path, path + " must be an object");
        }
        onlyFields(node, path + ".", Set.of("type", "key", "value"));
        String typeName = text(node, path + ".type", "type", 1, 32, true);
        Rule.Type type = Rule.Type.of(typeName);
        if (type == null) {
            throw ApiException.validation(path + ".type",
                    "type must be one of device_type, os, browser, country, language, query, before, after");
        }
        String key = text(node, path + ".key", "key", 1, 128, type == Rule.Type.QUERY);
        if (type != Rule.Type.QUERY && key != null) {
            throw ApiException.validation(path + ".key", "key is only for conditions of type query");
        }
        String value = text(node, path + ".value", "value", type == Rule.Type.QUERY ? 0 : 1, MAX_VALUE, true);
        String vpath = path + ".value";
        long at = 0;
        switch (type) {
            case DEVICE_TYPE -> {
                value = value.toLowerCase(Locale.ROOT);
                if (!DEVICE_TYPES.contains(value)) {
                    throw ApiException.validation(vpath, "value must be one of " + String.join(", ", DEVICE_TYPES.stream().sorted().toList()));
                }
            }
            case COUNTRY -> {
                if (!COUNTRY.matcher(value).matches()) {
                    throw ApiException.validation(vpath, "value must be an ISO 3166-1 alpha-2 country code such as US");
                }
                value = value.toUpperCase(Locale.ROOT);
            }
            case LANGUAGE -> {
                if (!LANGUAGE.matcher(value).matches()) {
                    throw ApiException.validation(vpath, "value must be a language tag such as de or pt-BR");
                }
            }
            case BEFORE, AFTER -> {
                Instant t = Timestamps.parse(value).orElseThrow(() -> ApiException.validation(vpath,
                        "value must be " + Timestamps.EXPECTED));
                at = t.toEpochMilli();
                value = Timestamps.format(at);
            }
            default -> { }
        }
        return new Rule.Condition(type, key, value, at);
    }

    /** A string field of at most {@code max} characters without control characters; null when absent and optional. */
    private static String text(JsonNode node, String path, String name, int min, int max, boolean required) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.validation(path, path + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.validation(path, path + " must be a string");
        }
        String s = v.textValue();
        if (s.length() < min || s.length() > max) {
            throw ApiException.validation(path, path + " must be " + min + " to " + max + " characters");
        }
        if (s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.validation(path, path + " must not contain control characters");
        }
        return s;
    }

    /**
     * The object with jmpy's camelCase spellings ({@code destinationUrl}) renamed to the fields they
     * mean; a 400 naming the first field that is neither one of {@code known} nor such a spelling (spec §6.1).
     */
    static com.fasterxml.jackson.databind.node.ObjectNode onlyFields(JsonNode node, String prefix, Set<String> known) {
        return dev.linkpulse.http.BodyFields.checkCamelCase(node, prefix, known);
    }

    /** The rules as the API shows them and as they are stored. */
    static List<Map<String, Object>> view(List<Rule> rules) {
        List<Map<String, Object>> out = new ArrayList<>(rules.size());
        for (Rule r : rules) {
            List<Map<String, Object>> conditions = new ArrayList<>();
            for (Rule.Condition c : r.conditions()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", c.type().label);
                if (c.key() != null) {
                    m.put("key", c.key());
                }
                m.put("value", c.value());
                conditions.add(m);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("destination_url", r.destinationUrl());
            m.put("conditions", conditions);
            out.add(m);
        }
        return out;
    }
}
