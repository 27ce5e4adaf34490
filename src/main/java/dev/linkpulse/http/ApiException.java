package dev.linkpulse.http;

import java.util.Map;

/** A request that cannot be served, answered with the error envelope of spec §1. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, Object> details;

    public ApiException(int status, String code, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static ApiException validation(String field, String message) {
        return new ApiException(400, "VALIDATION_ERROR", message, Map.of("field", field));
    }

    public static ApiException validation(String field, String message, Map<String, Object> more) {
        var details = new java.util.LinkedHashMap<String, Object>();
        details.put("field", field);
        details.putAll(more);
        return new ApiException(400, "VALIDATION_ERROR", message, details);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "NOT_FOUND", message, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}
