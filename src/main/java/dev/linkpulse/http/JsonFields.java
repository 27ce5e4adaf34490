package dev.linkpulse.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Typed reads of request-body fields; a wrong type is a 400 naming the field. */
public final class JsonFields {

    private JsonFields() {}

    /** A string field; empty when absent or null. */
    public static Optional<String> string(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw ApiException.validation(field, field + " must be a string");
        }
        return Optional.of(node.textValue());
    }

    public static String requiredString(JsonNode body, String field) {
        return string(body, field).orElseThrow(() -> ApiException.validation(field, field + " is required"));
    }

    /** A boolean field; {@code fallback} when absent or null. */
    public static boolean bool(JsonNode body, String field, boolean fallback) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw ApiException.validation(field, field + " must be true or false");
        }
        return node.booleanValue();
    }

    /** Without the spaces a paste may bring around a value; any other whitespace stays, for the validators to refuse. */
    public static String withoutOuterSpaces(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && value.charAt(start) == ' ') {
            start++;
        }
        while (end > start && value.charAt(end - 1) == ' ') {
            end--;
        }
        return value.substring(start, end);
    }
}
