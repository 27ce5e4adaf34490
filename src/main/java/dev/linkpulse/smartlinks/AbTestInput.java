package dev.linkpulse.smartlinks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.links.DestinationRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Reads and checks an A/B test create body (spec §6.6); every error names its field. */
final class AbTestInput {

    static final int MAX_VARIANTS = 10;
    private static final Set<String> FIELDS = Set.of("name", "description", "hypothesis", "primary_url_id", "traffic_split_mode",
            "min_sample_size", "confidence_level", "conversions_enabled", "variants");
    private static final Set<String> VARIANT_FIELDS = Set.of("name", "destination_url", "traffic_weight");

    /** A checked request; {@code primaryUrl} is still to be resolved among the caller's links. */
    record NewTest(String name, String description, String hypothesis, String primaryUrl, String splitMode, long minSampleSize,
            int confidenceLevel, boolean conversionsEnabled, List<AbTest.Variant> variants) {}

    private final DestinationRules destinations;

    AbTestInput(DestinationRules destinations) {
        this.destinations = destinations;
    }

    NewTest parse(JsonNode raw) {
        JsonNode body = RulesInput.onlyFields(raw, "", FIELDS);
        String name = text(body, "name", 1, 255, true);
        String description = text(body, "description", 0, 2000, false);
        String hypothesis = text(body, "hypothesis", 0, 2000, false);
        String primary = text(body, "primary_url_id", 1, 200, true);
        String mode = text(body, "traffic_split_mode", 1, 20, false);
        if (mode == null) {
            mode = "equal";
        } else if (!mode.equals("equal") && !mode.equals("weighted")) {
            throw ApiException.validation("traffic_split_mode", "traffic_split_mode must be equal or weighted");
        }
        long minSample = integer(body, "min_sample_size", 1, 1_000_000_000L, 100);
        int confidence = (int) integer(body, "confidence_level", 50, 99, 95);
        boolean conversions = bool(body, "conversions_enabled", false);
        JsonNode vs = body.get("variants");
        if (vs == null || !vs.isArray() || vs.size() < 2 || vs.size() > MAX_VARIANTS) {
            throw ApiException.validation("variants", "variants must be a list of 2 to " + MAX_VARIANTS + " variants");
        }
        List<AbTest.Variant> variants = new ArrayList<>();
        int sum = 0;
        for (int i = 0; i < vs.size(); i++) {
            String path = "variants[" + i + "]";
            if (!vs.get(i).isObject()) {
                throw ApiException.validation(path, path + " must be an object");
            }
            JsonNode v = RulesInput.onlyFields(vs.get(i), path + ".", VARIANT_FIELDS);
            String vname = text(v, "name", path + ".name", 1, 100, true);
            String url = text(v, "destination_url", path + ".destination_url", 1, DestinationRules.MAX_LENGTH, true);
            try {
                url = destinations.check(url.strip());
            } catch (ApiException e) {
                throw ApiException.validation(path + ".destination_url", e.getMessage().replaceFirst("^url", "destination_url"));
            }
            int weight = 0;
            if (mode.equals("weighted")) {
                weight = (int) integerAt(v, "traffic_weight", path + ".traffic_weight", 0, 100, -1);
                if (weight < 0) {
                    throw ApiException.validation(path + ".traffic_weight", path + ".traffic_weight is required for a weighted split");
                }
                sum += weight;
            } else if (v.has("traffic_weight") && !v.get("traffic_weight").isNull()) {
                integerAt(v, "traffic_weight", path + ".traffic_weight", 0, 100, 0); // checked, then ignored: the split is equal
            }
            variants.add(new AbTest.Variant(UUID.randomUUID().toString(), vname, url, weight));
        }
        if (mode.equals("weighted") && sum != 100) {
            throw ApiException.validation("variants", "the traffic_weight of the variants must add up to 100, not " + sum,
                    Map.of("sum", sum));
        }
        if (mode.equals("equal")) {
            List<AbTest.Variant> equal = new ArrayList<>();
            int n = variants.size();
            for (int i = 0; i < n; i++) {
                AbTest.Variant v = variants.get(i);
                equal.add(new AbTest.Variant(v.id(), v.name(), v.destinationUrl(), 100 / n + (i < 100 % n ? 1 : 0)));
            }
            variants = equal;
        }
        return new NewTest(name, description, hypothesis, primary, mode, minSample, confidence, conversions, List.copyOf(variants));
    }

    private static String text(JsonNode node, String name, int min, int max, boolean required) {
        return text(node, name, name, min, max, required);
    }

    private static String text(JsonNode node, String name, String path, int min, int max, boolean required) {
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
        String s = v.textValue().strip();
        if (s.length() < min || s.length() > max) {
            throw ApiException.validation(path, path + " must be " + min + " to " + max + " characters");
        }
        if (s.chars().anyMatch(c -> (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)) {
            throw ApiException.validation(path, path + " must not contain control characters");
        }
        return s;
    }

    private static long integer(JsonNode node, String name, long min, long max, long fallback) {
        return integerAt(node, name, name, min, max, fallback);
    }

    private static long integerAt(JsonNode node, String name, String path, long min, long max, long fallback) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw ApiException.validation(path, path + " must be a whole number from " + min + " to " + max);
        }
        return v.longValue();
    }

    private static boolean bool(JsonNode node, String name, boolean fallback) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw ApiException.validation(name, name + " must be true or false");
        }
        return v.booleanValue();
    }
}
