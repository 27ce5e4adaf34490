package dev.linkpulse.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A tool's argument schema (JSON Schema, an object of named properties), built in a few readable lines. */
public final class Schema {

    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final List<String> required = new ArrayList<>();

    public static Schema object() {
        return new Schema();
    }

    public Schema string(String name, String description) {
        return property(name, Map.of("type", "string", "description", description));
    }

    public Schema choice(String name, String description, String... values) {
        return property(name, Map.of("type", "string", "enum", List.of(values), "description", description));
    }

    public Schema integer(String name, String description, long min, long max) {
        return property(name, Map.of("type", "integer", "minimum", min, "maximum", max, "description", description));
    }

    public Schema bool(String name, String description) {
        return property(name, Map.of("type", "boolean", "description", description));
    }

    /** A timestamp or date; {@code null} allowed where it clears a value. */
    public Schema date(String name, String description, boolean nullable) {
        return property(name, Map.of("type", nullable ? List.of("string", "null") : "string", "description",
                description + " (ISO 8601: 2030-01-15 or 2030-01-15T14:32:00.000Z)"));
    }

    public Schema number(String name, String description, double min, double max) {
        return property(name, Map.of("type", "number", "minimum", min, "maximum", max, "description", description));
    }

    /** A list of short strings (tags). */
    public Schema strings(String name, String description, int maxItems) {
        return property(name, Map.of("type", "array", "items", Map.of("type", "string"), "maxItems", maxItems, "description", description));
    }

    /** A list of objects, each of this schema. */
    public Schema list(String name, String description, int minItems, int maxItems, Schema items) {
        return property(name, Map.of("type", "array", "minItems", minItems, "maxItems", maxItems, "description", description,
                "items", items.build()));
    }

    /** An object of free-form fields (its own tool says which). */
    public Schema map(String name, String description) {
        return property(name, Map.of("type", "object", "description", description));
    }

    public Schema property(String name, Map<String, Object> schema) {
        properties.put(name, schema);
        return this;
    }

    /** Marks the named properties required. */
    public Schema required(String... names) {
        required.addAll(List.of(names));
        return this;
    }

    /** The JSON Schema; properties beyond these are refused (the tool answers which one). */
    public Map<String, Object> build() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", new LinkedHashMap<>(properties));
        if (!required.isEmpty()) {
            schema.put("required", List.copyOf(required));
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    /** The shortUrlId argument every per-link tool takes. */
    static Schema withLink(boolean required) {
        Schema s = object().string("shortUrlId", "The short URL: its id (UUID), short code or custom alias"
                + (required ? "" : "; leave out for every link of the workspace"));
        return required ? s.required("shortUrlId") : s;
    }

    /** The date window of the analytics tools. */
    Schema window() {
        return date("startDate", "First day or instant counted; default: the link's whole history", false)
                .date("endDate", "Last day (a bare date counts the whole day) or instant counted; default: now", false);
    }
}
