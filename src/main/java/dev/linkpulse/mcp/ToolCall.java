package dev.linkpulse.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linkpulse.http.BodyFields;
import dev.linkpulse.http.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One call of a tool: its arguments, and the REST API reached with the caller's key. A REST
 * error becomes a {@link ToolError} carrying its code, message and details.
 */
public final class ToolCall {

    private final ObjectNode args;
    private final String secret;
    private final RestDispatch rest;

    ToolCall(ObjectNode args, String secret, RestDispatch rest) {
        this.args = args;
        this.secret = secret;
        this.rest = rest;
    }

    /** The arguments as sent (after the unknown-argument check). */
    public ObjectNode args() {
        return args;
    }

    /** A required string argument. */
    public String required(String name) {
        JsonNode v = args.get(name);
        if (v == null || v.isNull() || (v.isTextual() && v.textValue().isEmpty())) {
            throw ToolError.invalid(name, name + " is required");
        }
        if (!v.isTextual()) {
            throw ToolError.invalid(name, name + " must be a string");
        }
        return v.textValue();
    }

    /** The arguments without some (say the path's shortUrlId), as a request body. */
    public ObjectNode argsWithout(String... names) {
        ObjectNode copy = args.deepCopy();
        copy.remove(java.util.List.of(names));
        return copy;
    }

    /** {@code GET path} with these arguments as the query (camelCase names as the REST API spells them). */
    public JsonNode get(String path, Set<String> queryArgs) {
        return get(path, queryArgs, Map.of());
    }

    /** As {@link #get(String, Set)}, with fixed query parameters added (a breakdown's {@code by}). */
    public JsonNode get(String path, Set<String> queryArgs, Map<String, String> fixed) {
        return send("GET", uri(path, queryArgs, fixed), null);
    }

    /**
     * {@code GET path} answered with an image: {@code mime_type}, {@code size_bytes} and the image
     * as {@code image_base64}; a JSON error answer is a {@link ToolError} as for the other calls.
     */
    public Map<String, Object> image(String path, Set<String> queryArgs) {
        return image(path, queryArgs, Map.of());
    }

    /** As {@link #image(String, Set)}, with query parameters given verbatim (the QR colours' camelCase names). */
    public Map<String, Object> image(String path, Set<String> queryArgs, Map<String, String> fixed) {
        RestDispatch.RawReply reply = rest.raw(secret, "GET", uri(path, queryArgs, fixed), null);
        String type = reply.contentType() == null ? "" : reply.contentType();
        if (reply.status() != 200 || type.startsWith("application/json")) {
            JsonNode json;
            try {
                json = Json.MAPPER.readTree(reply.bytes());
            } catch (java.io.IOException e) {
                json = Json.MAPPER.nullNode();
            }
            throw failure(reply.status(), json == null ? Json.MAPPER.nullNode() : json);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mime_type", type.split(";")[0].strip());
        out.put("size_bytes", reply.bytes().length);
        out.put("image_base64", java.util.Base64.getEncoder().encodeToString(reply.bytes()));
        return out;
    }

    /** A path and its query from these arguments (camelCase names as the REST API spells them) and fixed parameters. */
    private String uri(String path, Set<String> queryArgs, Map<String, String> fixed) {
        Map<String, String> query = new LinkedHashMap<>(fixed);
        for (Iterator<Map.Entry<String, JsonNode>> it = args.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!isQueryArg(e.getKey(), queryArgs) || e.getValue().isNull()) {
                continue;
            }
            JsonNode v = e.getValue();
            if (!v.isValueNode()) {
                throw ToolError.invalid(e.getKey(), e.getKey() + " must be a string, number or boolean");
            }
            query.put(queryName(e.getKey()), v.asText());
        }
        StringBuilder uri = new StringBuilder(path);
        char sep = '?';
        for (Map.Entry<String, String> q : query.entrySet()) {
            uri.append(sep).append(encode(q.getKey())).append('=').append(encode(q.getValue()));
            sep = '&';
        }
        return uri.toString();
    }

    /** {@code POST path} with a body, or none when {@code body} is null (an action such as start). */
    public JsonNode post(String path, JsonNode body) {
        return send("POST", path, body);
    }

    public JsonNode patch(String path, JsonNode body) {
        return send("PATCH", path, body);
    }

    public JsonNode put(String path, JsonNode body) {
        return send("PUT", path, body);
    }

    /** The arguments given of these names, as query parameters under the same names. */
    public Map<String, String> verbatim(String... names) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : names) {
            JsonNode v = args.get(n);
            if (v != null && !v.isNull()) {
                if (!v.isValueNode()) {
                    throw ToolError.invalid(n, n + " must be a string, number or boolean");
                }
                out.put(n, v.asText());
            }
        }
        return out;
    }

    /** A path segment from a required string argument (an id, code or name), percent-encoded. */
    public String id(String name) {
        return segment(required(name));
    }

    public JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    /** {@code DELETE path} with these arguments as the query (say {@code force}). */
    public JsonNode delete(String path, Set<String> queryArgs) {
        return send("DELETE", uri(path, queryArgs, Map.of()), null);
    }

    /**
     * A REST answer as a tool's structured result: {@code data} when it is an object (an array is
     * put under {@code data}), with the answer's siblings of {@code data} ({@code pagination},
     * {@code message}) beside it.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> result(JsonNode reply) {
        JsonNode data = reply.path("data");
        Map<String, Object> out = data.isObject() ? Json.MAPPER.convertValue(data, LinkedHashMap.class) : new LinkedHashMap<>();
        if (!data.isObject()) {
            out.put("data", Json.MAPPER.convertValue(data, Object.class));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = reply.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("success") && !e.getKey().equals("data")) {
                out.putIfAbsent(e.getKey(), Json.MAPPER.convertValue(e.getValue(), Object.class));
            }
        }
        return out;
    }

    /** A path segment from an argument (an id, code or alias), percent-encoded. */
    public static String segment(String value) {
        return encode(value);
    }

    /**
     * The whole REST answer on success ({@code success}, {@code data} and any siblings such as
     * {@code pagination} or {@code message}); a {@link ToolError} with the API's error otherwise.
     */
    private JsonNode send(String method, String pathAndQuery, JsonNode body) {
        RestDispatch.Reply reply = rest.call(secret, method, pathAndQuery, body);
        JsonNode json = reply.body();
        if (reply.status() >= 200 && reply.status() < 300 && json.path("success").asBoolean(false)) {
            return json;
        }
        throw failure(reply.status(), json);
    }

    /** A REST error answer as a tool error: its code, message and details. */
    private static ToolError failure(int status, JsonNode json) {
        JsonNode error = json.path("error");
        @SuppressWarnings("unchecked")
        Map<String, Object> details = error.has("details") ? Json.MAPPER.convertValue(error.get("details"), Map.class) : Map.of();
        return new ToolError(error.path("code").asText("HTTP_" + status),
                error.path("message").asText("The request failed with status " + status), details);
    }

    /** Whether an argument is one of these query arguments, under either of jmpy's spellings ({@code sort} for {@code sortBy}). */
    private static boolean isQueryArg(String arg, Set<String> queryArgs) {
        return queryArgs.contains(arg)
                || queryArgs.stream().anyMatch(q -> arg.equals(BodyFields.ALIASES.get(q)) || q.equals(BodyFields.ALIASES.get(arg)));
    }

    /** The REST spelling of an argument: jmpy's aliases ({@code sortBy} = {@code sort}), else snake_case. */
    static String queryName(String arg) {
        String alias = BodyFields.ALIASES.get(arg);
        if (alias != null) {
            return alias;
        }
        StringBuilder out = new StringBuilder(arg.length() + 4);
        for (char c : arg.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
