package dev.linkpulse.mcp;

import java.util.Map;

/**
 * One MCP tool: jmpy.me's name for it, what an agent is told it does, the JSON Schema of its
 * arguments, whether it only reads, and what it does. A tool works through the REST API of this
 * server ({@link ToolCall#rest}), so it has that API's validation, permissions and rate limits,
 * and answers with its shapes.
 */
public record McpTool(String name, String description, Map<String, Object> inputSchema, boolean readOnly, Handler handler) {

    /** What a tool does with a call: a result object (structured content), or a {@link ToolError}. */
    @FunctionalInterface
    public interface Handler {
        Map<String, Object> call(ToolCall call);
    }

    public static McpTool reading(String name, String description, Schema arguments, Handler handler) {
        return new McpTool(name, description, arguments.build(), true, handler);
    }

    public static McpTool changing(String name, String description, Schema arguments, Handler handler) {
        return new McpTool(name, description, arguments.build(), false, handler);
    }
}
