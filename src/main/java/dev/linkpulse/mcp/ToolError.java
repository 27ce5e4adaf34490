package dev.linkpulse.mcp;

import java.util.Map;

/**
 * Why a tool call failed, in the words of the REST API's error envelope (code, message, details):
 * answered as a tool result with {@code isError: true}, which an agent reads and can act on, never
 * as a protocol error or a 500.
 */
public final class ToolError extends RuntimeException {

    private final String code;
    private final Map<String, Object> details;

    public ToolError(String code, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.code = code;
        this.details = details == null ? Map.of() : details;
    }

    public static ToolError invalid(String argument, String message) {
        return new ToolError("VALIDATION_ERROR", message, Map.of("field", argument));
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}
