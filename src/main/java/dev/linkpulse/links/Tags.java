package dev.linkpulse.links;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.http.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tags on links (and campaigns): lower case, so "Summer" and "summer" are one tag; letters, digits,
 * space, '.', '_' and '-'; at most {@value #MAX_TAGS} per link. Every error names its field.
 */
public final class Tags {

    public static final int MAX_LENGTH = 50;
    public static final int MAX_TAGS = 20;
    private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{N}._-]([\\p{L}\\p{N} ._-]*[\\p{L}\\p{N}._-])?");

    private Tags() {}

    /** The tags of a body field that must be an array of strings; an empty list for null. */
    public static List<String> ofJson(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw ApiException.validation(field, field + " must be an array of strings");
        }
        if (node.size() > MAX_TAGS) {
            throw ApiException.validation(field, field + " must hold at most " + MAX_TAGS + " tags", Map.of("max", MAX_TAGS));
        }
        List<String> raw = new ArrayList<>(node.size());
        for (JsonNode t : node) {
            if (!t.isTextual()) {
                throw ApiException.validation(field, field + " must be an array of strings");
            }
            raw.add(t.textValue());
        }
        return check(raw, field);
    }

    /** Tags of a query or CSV value: comma-separated. */
    public static List<String> ofList(String value, String field) {
        if (value == null || value.isEmpty()) {
            return List.of();
        }
        List<String> raw = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            // Only spaces are trimmed: any other whitespace or control character is refused below.
            String tag = dev.linkpulse.http.JsonFields.withoutOuterSpaces(part);
            if (!tag.isEmpty()) {
                raw.add(tag);
            }
        }
        if (raw.size() > MAX_TAGS) {
            throw ApiException.validation(field, field + " must hold at most " + MAX_TAGS + " tags", Map.of("max", MAX_TAGS));
        }
        return check(raw, field);
    }

    private static List<String> check(List<String> raw, String field) {
        Set<String> out = new java.util.TreeSet<>(); // sorted, as they read back from the store
        for (String t : raw) {
            if (t.isEmpty() || t.codePointCount(0, t.length()) > MAX_LENGTH || !TAG.matcher(t).matches()) {
                throw ApiException.validation(field, field + ": each tag must be 1 to " + MAX_LENGTH
                        + " letters, digits, spaces, '.', '_' or '-', not starting or ending with a space");
            }
            out.add(t.toLowerCase(Locale.ROOT));
        }
        return List.copyOf(out);
    }
}
