package dev.linkpulse.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON in and out: the envelope of spec §1, snake_case fields, nulls kept. */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // {"url": "a", "url": "b"} is ambiguous: refused rather than guessed.
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(6 << 20).build());
    }

    /** Request bodies above this are refused with 413 (spec §1). */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private Json() {}

    public static ApiException tooLarge(int maxBytes) {
        return new ApiException(413, "PAYLOAD_TOO_LARGE", "Request body is over " + maxBytes + " bytes",
                Map.of("max_bytes", maxBytes));
    }

    public static void ok(Context ctx, int status, Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("data", data);
        write(ctx, status, body);
    }

    public static void ok(Context ctx, Object data) {
        ok(ctx, 200, data);
    }

    public static void error(Context ctx, ApiException e) {
        write(ctx, e.status(), errorBody(e));
    }

    /** The error envelope of spec §1 for {@code e}, with the top-level {@code message} (ext). */
    public static Map<String, Object> errorBody(ApiException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", e.code());
        error.put("message", e.getMessage());
        if (!e.details().isEmpty()) {
            error.put("details", e.details());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("error", error);
        // (ext) jmpy's clients read body.message; the spec's envelope is untouched beside it.
        body.put("message", e.getMessage());
        return body;
    }

    public static void write(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json; charset=utf-8").result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serialisable", e);
        }
    }

    /**
     * The request body as a JSON object. Enforces the content type (415), the syntax (400
     * {@code INVALID_JSON}) and that the top level is an object.
     */
    public static JsonNode objectBody(Context ctx) {
        return objectBody(ctx, MAX_BODY_BYTES);
    }

    /** As {@link #objectBody(Context)}, with a larger limit for the endpoints that take files as JSON. */
    public static JsonNode objectBody(Context ctx, int maxBytes) {
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json", null);
        }
        byte[] body;
        try {
            body = ctx.bodyInputStream().readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new ApiException(400, "INVALID_JSON", "Request body could not be read", null);
        }
        if (body.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try {
            // Strictly: the JSON parser would take overlong forms such as C0 AF (a hidden '/').
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw new ApiException(400, "INVALID_JSON", "Request body is not valid UTF-8", null);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new ApiException(400, "INVALID_JSON", "Request body is not valid JSON", null);
        }
        if (node == null || node.isMissingNode()) {
            throw new ApiException(400, "INVALID_JSON", "Request body is empty", null);
        }
        if (!node.isObject()) {
            throw new ApiException(400, "INVALID_JSON", "Request body must be a JSON object", null);
        }
        return node;
    }
}
