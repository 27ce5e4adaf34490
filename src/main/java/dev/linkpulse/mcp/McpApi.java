package dev.linkpulse.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.BodyFields;
import dev.linkpulse.http.Json;
import dev.linkpulse.http.JettyRoutes;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP server (spec §6.8): {@code POST /mcp} speaks MCP over the Streamable HTTP transport
 * (JSON-RPC 2.0) with the official MCP Java SDK; {@code GET /mcp/health} says whether it is up.
 *
 * <p>Stateless: each request carries its key and is answered on its own (no {@code Mcp-Session-Id}),
 * so any of several Linkpulse processes behind a load balancer can answer any request, as for REST.
 * The tools ({@link McpTools}) work through the REST API in-process ({@link RestDispatch}).
 */
public final class McpApi implements JettyRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(McpApi.class);
    public static final String PATH = "/mcp";

    private final Auth auth;
    private final String version;
    private final List<McpTool> tools;
    private final RestDispatch rest = new RestDispatch();
    private final HttpServletStatelessServerTransport transport;
    private final McpStatelessSyncServer server;

    public McpApi(Auth auth, String version) {
        this.auth = auth;
        this.version = version;
        this.tools = McpTools.all();
        // The protocol's own JSON is camelCase (protocolVersion, inputSchema): not our snake_case mapper.
        JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
        this.transport = HttpServletStatelessServerTransport.builder()
                .jsonMapper(json)
                .messageEndpoint(PATH)
                .contextExtractor(req -> {
                    Object caller = req.getAttribute(McpServlet.CALLER);
                    return caller == null ? McpTransportContext.EMPTY : McpTransportContext.create(Map.of(McpServlet.CALLER, caller));
                })
                .build();
        this.server = McpServer.sync(transport)
                .serverInfo("linkpulse", version)
                .instructions("Linkpulse: a link shortener with click analytics, compatible with jmpy.me. Create and manage short "
                        + "URLs, then read their clicks and analytics; make QR codes, group links in campaigns, put them on your own "
                        + "domains, split their traffic in A/B tests or by rules, record conversions and subscribe webhooks. "
                        + "Links are named by id, short code or alias (shortUrlId).")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .jsonMapper(json)
                .validateToolInputs(false) // our own check names the argument, in the REST API's words
                .tools(tools.stream().map(this::spec).toList())
                .build();
    }

    private McpStatelessServerFeatures.SyncToolSpecification spec(McpTool tool) {
        McpSchema.Tool described = McpSchema.Tool.builder()
                .name(tool.name())
                .description(tool.description())
                .inputSchema(tool.inputSchema())
                .annotations(new McpSchema.ToolAnnotations(null, tool.readOnly(), !tool.readOnly() && tool.name().startsWith("delete"),
                        null, false, null))
                .build();
        return McpStatelessServerFeatures.SyncToolSpecification.builder()
                .tool(described)
                .callHandler((context, request) -> call(tool, context, request))
                .build();
    }

    /** Runs a tool; every failure is a tool result with isError, never a protocol error or a 500. */
    private McpSchema.CallToolResult call(McpTool tool, McpTransportContext context, McpSchema.CallToolRequest request) {
        try {
            Object caller = context.get(McpServlet.CALLER);
            if (!(caller instanceof McpServlet.Caller c)) {
                throw new ToolError("UNAUTHORIZED", "API key is required", Map.of());
            }
            ObjectNode args = request.arguments() == null ? Json.MAPPER.createObjectNode()
                    : Json.MAPPER.valueToTree(request.arguments());
            refuseUnknown(tool, args);
            Map<String, Object> result = tool.handler().call(new ToolCall(args, c.secret(), rest));
            McpSchema.CallToolResult.Builder answer = McpSchema.CallToolResult.builder()
                    .structuredContent(result)
                    .addTextContent(Json.MAPPER.writeValueAsString(result))
                    .isError(false);
            // An image tool's picture as image content too, so a client can show it.
            if (result.get("image_base64") instanceof String image && result.get("mime_type") instanceof String type
                    && type.startsWith("image/")) {
                answer.addContent(new McpSchema.ImageContent(null, image, type));
            }
            return answer.build();
        } catch (ToolError e) {
            return error(e.code(), e.getMessage(), e.details());
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            LOG.error("MCP tool {} failed", tool.name(), e);
            return error("INTERNAL_ERROR", "Internal error", Map.of());
        }
    }

    private static McpSchema.CallToolResult error(String code, String message, Map<String, Object> details) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (!details.isEmpty()) {
            error.put("details", details);
        }
        return McpSchema.CallToolResult.builder()
                .structuredContent(Map.of("error", error))
                .addTextContent(code + ": " + message)
                .isError(true)
                .build();
    }

    /** An argument the tool's schema does not name (nor its other spelling, spec §6.1) is refused by name. */
    @SuppressWarnings("unchecked")
    private static void refuseUnknown(McpTool tool, JsonNode args) {
        Set<String> known = ((Map<String, Object>) tool.inputSchema().get("properties")).keySet();
        for (Iterator<String> names = args.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            boolean alias = known.stream().anyMatch(k -> name.equals(BodyFields.ALIASES.get(k)) || k.equals(BodyFields.ALIASES.get(name))
                    || name.equals(ToolCall.queryName(k))); // the REST API's snake_case spelling (primary_url_id)
            if (!known.contains(name) && !alias) {
                throw ToolError.invalid(name, "unknown argument '" + name + "'; " + tool.name() + " takes " + String.join(", ", known));
            }
        }
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get(PATH + "/health", ctx -> {
            Map<String, Object> health = new LinkedHashMap<>();
            health.put("status", "ok");
            health.put("transport", "streamable-http");
            health.put("endpoint", PATH);
            health.put("server", "linkpulse " + version);
            health.put("tools", tools.size());
            health.put("tool_groups", McpTools.GROUPS.stream().map(g -> Map.of("name", g.title(),
                    "tools", g.tools().stream().map(McpTool::name).toList())).toList());
            ctx.header("Cache-Control", "no-store");
            Json.write(ctx, 200, health);
        });
    }

    @Override
    public List<String> servletEndpoints() {
        return List.of("POST " + PATH);
    }

    @Override
    public void configureServer(Server jetty) {
        rest.attach(jetty);
    }

    @Override
    public void configureContext(ServletContextHandler context) {
        context.addServlet(new ServletHolder("mcp", new McpServlet(auth, transport)), PATH);
    }

    /** The names of the tools offered, in order. */
    public List<String> toolNames() {
        return tools.stream().map(McpTool::name).toList();
    }

    /** Stops the SDK server. */
    public void close() {
        server.close();
    }
}
