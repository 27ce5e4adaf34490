package dev.linkpulse.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MCP server at {@code /mcp} (spec §6.8) through the official SDK's own client over Streamable
 * HTTP against the running server: initialize, tools/list, every tool once, a permission refusal,
 * bad arguments, another workspace's link, and no key.
 */
class McpServerTest {

    static final String BASE = "https://lnk.example.com";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> JMPY_TOOLS = Set.of("shortenUrl", "listUrls", "getUrl", "updateUrl", "deleteUrl",
            "checkAliasAvailability", "bulkShortenUrls", "getUrlClickLogs", "getUrlAnalytics", "getUrlTimelineAnalytics",
            "getUrlGeographicAnalytics", "getUrlDeviceAnalytics", "getUrlUTMAnalytics", "getUrlTrafficQualityAnalytics",
            "getTopPerformingUrls", "getHourlyDistribution", "getWeeklyDistribution", "getCompleteAnalytics",
            "listTags"); // the last is named here (jmpy.me publishes none for tags)

    static final String IPHONE_SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1";
    static final String WINDOWS_CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

    static TestServer server;
    static McpSyncClient admin;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(Setting.BASE_URL, BASE));
        admin = client("Authorization", "Bearer " + TestServer.ADMIN_KEY);
    }

    @AfterAll
    static void stop() {
        admin.close();
        server.close();
    }

    /** The SDK's client, sending the key in the header given. */
    static McpSyncClient client(String header, String value) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://127.0.0.1:" + server.port())
                .endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header(header, value))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
        return client;
    }

    static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
        return client.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    /** A successful call's structured result, as JSON. */
    static JsonNode ok(McpSyncClient client, String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = call(client, tool, args);
        assertThat(r.isError()).as(tool + ": " + text(r)).isFalse();
        JsonNode structured = JSON.valueToTree(r.structuredContent());
        // The same result as text, for clients that read only content.
        try {
            assertThat(JSON.readTree(text(r))).isEqualTo(structured);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return structured;
    }

    /** A failed call: isError with the REST API's code and, for a bad argument, its name. */
    static JsonNode refused(McpSyncClient client, String tool, Map<String, Object> args, String code) {
        McpSchema.CallToolResult r = call(client, tool, args);
        assertThat(r.isError()).as(tool + ": " + text(r)).isTrue();
        assertThat(text(r)).startsWith(code + ": ");
        JsonNode error = JSON.valueToTree(r.structuredContent()).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        return error;
    }

    static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void initializeAndListTheToolsWithSchemasAndDescriptions() {
        McpSchema.InitializeResult init = admin.getCurrentInitializationResult();
        assertThat(init.serverInfo().name()).isEqualTo("linkpulse");
        assertThat(init.capabilities().tools()).isNotNull();
        assertThat(init.instructions()).contains("shortUrlId");
        List<McpSchema.Tool> tools = admin.listTools().tools();
        Set<String> all = new TreeSet<>(JMPY_TOOLS);
        all.addAll(McpModuleToolsTest.MODULE_TOOLS);
        assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyInAnyOrderElementsOf(all);
        for (McpSchema.Tool t : tools) {
            assertThat(t.description()).as(t.name()).hasSizeGreaterThan(40);
            JsonNode schema = JSON.valueToTree(t.inputSchema());
            assertThat(schema.get("type").asText()).isEqualTo("object");
            assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
            schema.get("properties").properties().forEach(p ->
                    assertThat(p.getValue().get("description").asText()).as(t.name() + "." + p.getKey()).isNotBlank());
        }
        McpSchema.Tool shorten = tools.stream().filter(t -> t.name().equals("shortenUrl")).findFirst().orElseThrow();
        JsonNode schema = JSON.valueToTree(shorten.inputSchema());
        assertThat(schema.get("required").toString()).isEqualTo("[\"url\"]");
        for (String p : List.of("url", "customAlias", "isDynamic", "trackingEnabled", "expiresAt")) {
            assertThat(schema.get("properties").has(p)).as(p).isTrue();
        }
        assertThat(shorten.annotations().readOnlyHint()).isFalse();
    }

    @Test
    void everyLinkToolOnce() {
        JsonNode created = ok(admin, "shortenUrl", args("url", "https://example.com/mcp", "customAlias", "mcp-one",
                "isDynamic", true, "trackingEnabled", true, "name", "From an agent"));
        assertThat(created.get("short_code").asText()).isEqualTo("mcp-one");
        assertThat(created.get("short_url").asText()).isEqualTo(BASE + "/mcp-one");
        assertThat(created.get("is_dynamic").asBoolean()).isTrue();
        assertThat(server.http().get("/mcp-one").status()).isEqualTo(302);
        // jmpy's qrCode: the answer carries the new link's QR image.
        JsonNode withQr = ok(admin, "shortenUrl", args("url", "https://example.com/mcp-qr", "qrCode", true, "qrFormat", "svg"));
        String svg = withQr.get("qr_code").asText();
        assertThat(svg).startsWith("data:image/svg+xml;base64,");
        assertThat(dev.linkpulse.qr.QrImages.decodeSvg(java.util.Base64.getDecoder().decode(svg.substring(svg.indexOf(',') + 1))))
                .isEqualTo(withQr.get("short_url").asText());

        JsonNode got = ok(admin, "getUrl", args("shortUrlId", "mcp-one"));
        assertThat(got.get("id").asText()).isEqualTo(created.get("id").asText());

        JsonNode list = ok(admin, "listUrls", args("search", "mcp-one", "sortBy", "created_at", "sortOrder", "asc", "limit", 5));
        assertThat(list.get("shortUrls").findValuesAsText("short_code")).containsExactly("mcp-one");
        assertThat(list.get("pagination").get("total").asInt()).isEqualTo(1);
        // the REST spelling of an argument works too, and is not dropped
        ok(admin, "shortenUrl", args("url", "https://example.com/mcp-sort", "custom_alias", "mcp-sort-b", "name", "b"));
        ok(admin, "shortenUrl", args("url", "https://example.com/mcp-sort", "custom_alias", "mcp-sort-a", "name", "a"));
        JsonNode byName = ok(admin, "listUrls", args("search", "mcp-sort-", "sort", "name", "order", "asc"));
        assertThat(byName.get("shortUrls").findValuesAsText("short_code")).containsExactly("mcp-sort-a", "mcp-sort-b");
        JsonNode byNameDesc = ok(admin, "listUrls", args("search", "mcp-sort-", "sort", "name", "order", "desc"));
        assertThat(byNameDesc.get("shortUrls").findValuesAsText("short_code")).containsExactly("mcp-sort-b", "mcp-sort-a");

        ok(admin, "shortenUrl", args("url", "https://example.com/mcp-tagged", "tags", List.of("mcp-tag")));
        JsonNode tags = ok(admin, "listTags", args());
        assertThat(tags.toString()).contains("{\"tag\":\"mcp-tag\",\"link_count\":1}");

        JsonNode available = ok(admin, "checkAliasAvailability", args("alias", "mcp-one"));
        assertThat(available.get("available").asBoolean()).isFalse();
        assertThat(ok(admin, "checkAliasAvailability", args("alias", "mcp-free")).get("available").asBoolean()).isTrue();

        JsonNode updated = ok(admin, "updateUrl", args("shortUrlId", created.get("id").asText(), "name", "Renamed",
                "isDynamic", false, "url", "https://example.com/mcp-2"));
        assertThat(updated.get("name").asText()).isEqualTo("Renamed");
        assertThat(updated.get("is_dynamic").asBoolean()).isFalse();
        assertThat(server.http().get("/mcp-one").header("Location")).isEqualTo("https://example.com/mcp-2");

        JsonNode bulk = ok(admin, "bulkShortenUrls", args("urls", List.of("https://example.com/b1",
                args("url", "https://example.com/b2", "customAlias", "mcp-bulk"), args("url", "ftp://nope"))));
        assertThat(bulk.get("created")).hasSize(2);
        assertThat(bulk.get("failed")).hasSize(1);
        assertThat(bulk.get("failed").get(0).get("error").get("field").asText()).isEqualTo("url");
        assertThat(bulk.get("message").asText()).isEqualTo("Created 2 of 3 short URLs; 1 failed");

        JsonNode deleted = ok(admin, "deleteUrl", args("shortUrlId", "mcp-bulk"));
        assertThat(deleted.get("message").asText()).isEqualTo("Short URL deleted successfully");
        assertThat(server.http().get("/mcp-bulk").status()).isEqualTo(404);
    }

    @Test
    void everyAnalyticsToolOnce() {
        String code = server.createLink(Map.of("url", "https://example.com/stats", "custom_alias", "mcp-stats")).get("short_code").asText();
        server.http().get("/" + code + "?utm_source=news&utm_medium=email", "User-Agent", IPHONE_SAFARI,
                "X-Forwarded-For", "81.2.69.142", "Referer", "https://t.co/x");
        server.http().get("/" + code, "User-Agent", WINDOWS_CHROME, "X-Forwarded-For", "2001:480:10::1");
        server.http().get("/" + code, "User-Agent", WINDOWS_CHROME, "X-Forwarded-For", "2001:480:10::1");
        server.awaitClicks(code, 3);
        Map<String, Object> link = args("shortUrlId", code);

        JsonNode logs = ok(admin, "getUrlClickLogs", args("shortUrlId", code, "limit", 2));
        assertThat(logs.get("data")).hasSize(2);
        assertThat(logs.get("pagination").get("total").asInt()).isEqualTo(3);
        assertThat(logs.get("data").get(0).get("short_url").asText()).isEqualTo(BASE + "/mcp-stats");
        JsonNode rest = ok(admin, "getUrlClickLogs", args("shortUrlId", code, "cursor", logs.get("pagination").get("next_cursor").asText()));
        assertThat(rest.get("data")).hasSize(1);
        assertThat(rest.get("data").get(0).get("country").asText()).isEqualTo("GB");

        JsonNode core = ok(admin, "getUrlAnalytics", link);
        assertThat(core.get("total_clicks").asInt()).isEqualTo(3);
        assertThat(core.get("unique_clicks").asInt()).isEqualTo(2);

        JsonNode timeline = ok(admin, "getUrlTimelineAnalytics", args("shortUrlId", code, "interval", "hour"));
        assertThat(timeline.get("data").findValues("clicks").stream().mapToInt(JsonNode::asInt).sum()).isEqualTo(3);

        JsonNode geo = ok(admin, "getUrlGeographicAnalytics", link);
        assertThat(geo.get("data").findValuesAsText("country_code")).contains("GB", "US");

        JsonNode devices = ok(admin, "getUrlDeviceAnalytics", link);
        assertThat(devices.get("device_types").findValuesAsText("value")).containsExactly("desktop", "mobile");
        assertThat(devices.get("browsers").findValuesAsText("value")).containsExactly("Chrome", "Safari");
        assertThat(devices.get("operating_systems").findValuesAsText("value")).containsExactly("Windows", "iOS");

        JsonNode utm = ok(admin, "getUrlUTMAnalytics", link);
        assertThat(utm.get("utm_source").findValuesAsText("value")).contains("news");
        assertThat(utm.get("utm_medium").findValuesAsText("value")).contains("email");

        JsonNode quality = ok(admin, "getUrlTrafficQualityAnalytics", link);
        assertThat(quality.get("human_clicks").asInt()).isEqualTo(3);

        JsonNode top = ok(admin, "getTopPerformingUrls", args("limit", 1));
        assertThat(top.get("urls")).hasSize(1);
        assertThat(top.get("urls").get(0).get("short_code").asText()).isEqualTo(code);

        JsonNode hourly = ok(admin, "getHourlyDistribution", link);
        assertThat(hourly.get("data").findValues("clicks").stream().mapToInt(JsonNode::asInt).sum()).isEqualTo(3);
        JsonNode weekly = ok(admin, "getWeeklyDistribution", args());
        assertThat(weekly.get("data").findValues("clicks").stream().mapToInt(JsonNode::asInt).sum()).isGreaterThanOrEqualTo(3);

        JsonNode all = ok(admin, "getCompleteAnalytics", link);
        assertThat(all.get("overview").get("total_clicks").asInt()).isEqualTo(3);
        assertThat(new TreeSet<String>(all.properties().stream().map(Map.Entry::getKey).toList())).containsExactlyInAnyOrder("overview", "geographic", "devices",
                "traffic_sources", "utm", "traffic_quality", "hourly", "weekly");
        assertThat(all.get("traffic_sources").get("referrers").findValuesAsText("value")).contains("t.co");
    }

    @Test
    void aKeyWithoutThePermissionGetsAToolErrorNotA500() {
        String readOnly = server.createKey("mcp-reader", "read", null);
        McpSyncClient reader = client("x-mcp-key", readOnly); // jmpy's header
        try {
            JsonNode error = refused(reader, "getUrlAnalytics", args("shortUrlId", "whatever"), "FORBIDDEN");
            assertThat(error.get("details").get("required").asText()).isEqualTo("analytics");
            refused(reader, "shortenUrl", args("url", "https://example.com/no"), "FORBIDDEN");
            refused(reader, "deleteUrl", args("shortUrlId", "x"), "FORBIDDEN");
            // what it may do, it does
            assertThat(ok(reader, "listUrls", args()).has("shortUrls")).isTrue();
        } finally {
            reader.close();
        }
    }

    @Test
    void badArgumentsAreToolErrorsNamingTheArgument() {
        assertThat(refused(admin, "shortenUrl", args("url", "javascript:alert(1)"), "VALIDATION_ERROR")
                .get("details").get("field").asText()).isEqualTo("url");
        assertThat(refused(admin, "shortenUrl", args(), "VALIDATION_ERROR").get("details").get("field").asText()).isEqualTo("url");
        assertThat(refused(admin, "shortenUrl", args("url", "https://example.com/x", "colour", "red"), "VALIDATION_ERROR")
                .get("details").get("field").asText()).isEqualTo("colour");
        assertThat(refused(admin, "shortenUrl", args("url", "https://example.com/x", "isDynamic", "yes"), "VALIDATION_ERROR")
                .get("details").get("field").asText()).isEqualTo("is_dynamic");
        assertThat(refused(admin, "getUrlClickLogs", args("limit", 5000), "VALIDATION_ERROR")
                .get("details").get("field").asText()).isEqualTo("limit");
        assertThat(refused(admin, "listUrls", args("sortBy", List.of("x")), "VALIDATION_ERROR")
                .get("details").get("field").asText()).isEqualTo("sortBy");
        assertThat(refused(admin, "getUrl", args(), "VALIDATION_ERROR").get("details").get("field").asText()).isEqualTo("shortUrlId");
        assertThat(refused(admin, "bulkShortenUrls", args("urls", "https://example.com"), "VALIDATION_ERROR")
                .get("details").get("field").asText()).isEqualTo("urls");
        refused(admin, "getUrl", args("shortUrlId", "no-such-link"), "NOT_FOUND");
        // An id is one path segment: a traversal is refused as REST refuses the same path, never followed.
        refused(admin, "getUrlAnalytics", args("shortUrlId", "../../api-keys"), "VALIDATION_ERROR");
        refused(admin, "getUrl", args("shortUrlId", "a b?c=d"), "NOT_FOUND");
    }

    @Test
    void anotherWorkspacesLinkIsNotFound() {
        String foreign = server.createLink(Map.of("url", "https://example.com/a", "custom_alias", "mcp-ws-a")).get("id").asText();
        String otherKey = server.createKey("mcp-other", "read,write,delete,analytics", "workspace-mcp-b");
        McpSyncClient other = client("Authorization", "Bearer " + otherKey);
        try {
            for (String tool : List.of("getUrl", "deleteUrl", "getUrlAnalytics", "getUrlClickLogs", "getCompleteAnalytics")) {
                refused(other, tool, args("shortUrlId", foreign), "NOT_FOUND");
            }
            assertThat(ok(other, "listUrls", args()).get("shortUrls")).isEmpty();
        } finally {
            other.close();
        }
        assertThat(server.http().get("/mcp-ws-a").status()).isEqualTo(301);
    }

    @Test
    void withoutAValidKeyTheEndpointAnswers401WithTheEnvelope() {
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
        Http.Response none = server.http().postJson("/mcp", init, "Accept", "application/json, text/event-stream");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("error").get("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(none.json().get("message").asText()).isEqualTo("API key is required");
        Http.Response wrong = server.http().postJson("/mcp", init, "Accept", "application/json, text/event-stream",
                "x-mcp-key", "lp_wrong_key");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("error").get("code").asText()).isEqualTo("INVALID_API_KEY");
        Http.Response ok = server.http().postJson("/mcp", init, "Accept", "application/json, text/event-stream",
                "x-mcp-key", TestServer.ADMIN_KEY);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).contains("\"serverInfo\"").contains("linkpulse");
        // No server-initiated stream and no session to end: GET and DELETE are refused, never a 500.
        for (String method : List.of("GET", "DELETE", "PUT")) {
            Http.Response other = server.http().send(method, "/mcp", null, "Accept", "application/json, text/event-stream",
                    "x-mcp-key", TestServer.ADMIN_KEY);
            assertThat(other.status()).as(method + " " + other.body()).isBetween(400, 499);
            assertThat(server.http().send(method, "/mcp", null).status()).as(method).isEqualTo(401);
        }
    }

    @Test
    void toolCallsCountAgainstTheKeysRateLimitOfTheirEndpoint() {
        try (TestServer limited = TestServer.start(Map.of(Setting.RATE_LIMITS, "analytics=2/min"))) {
            HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                    .builder("http://127.0.0.1:" + limited.port()).endpoint("/mcp")
                    .requestBuilder(HttpRequest.newBuilder().header("x-mcp-key", TestServer.ADMIN_KEY)).build();
            try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build()) {
                client.initialize();
                String code = limited.createLink(Map.of("url", "https://example.com/limited")).get("short_code").asText();
                ok(client, "getUrlAnalytics", args("shortUrlId", code));
                ok(client, "getUrlTrafficQualityAnalytics", args("shortUrlId", code));
                JsonNode error = refused(client, "getUrlAnalytics", args("shortUrlId", code), "RATE_LIMIT_EXCEEDED");
                assertThat(error.get("details").get("limit").asInt()).isEqualTo(2);
                // Other endpoint classes keep their own budget.
                ok(client, "getUrl", args("shortUrlId", code));
            }
        }
    }

    @Test
    void healthNeedsNoKey() {
        Http.Response r = server.http().get("/mcp/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("ok");
        assertThat(r.json().get("transport").asText()).isEqualTo("streamable-http");
        assertThat(r.json().get("tools").asInt()).isEqualTo(JMPY_TOOLS.size() + McpModuleToolsTest.MODULE_TOOLS.size());
        assertThat(r.json().get("tool_groups").findValuesAsText("name")).containsExactly("Links", "Analytics", "QR codes", "Campaigns",
                "Domains", "A/B tests, rules and conversions", "Webhooks");
        assertThat(r.json().get("tool_groups").get(0).get("tools").get(0).asText()).isEqualTo("shortenUrl");
    }
}
