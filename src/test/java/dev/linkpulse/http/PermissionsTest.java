package dev.linkpulse.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every endpoint needs exactly its permission: a key holding every other permission is refused
 * with 403 naming it, and a key holding only it gets past the permission check.
 */
class PermissionsTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.createLink(Map.of("url", "https://example.com", "custom_alias", "perm-link"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static final List<String> ALL = List.of("read", "write", "delete", "analytics", "admin");

    @ParameterizedTest(name = "{0} {1} needs {2}")
    @CsvSource(delimiter = '|', value = {
            "POST|/api/v1/short-urls|write|{\"url\":\"https://example.com/p\"}",
            "GET|/api/v1/short-urls|read|",
            "GET|/api/v1/short-urls/check-alias?alias=abcdef|read|",
            "GET|/api/v1/short-urls/perm-link|read|",
            "PUT|/api/v1/short-urls/perm-link|write|{\"name\":\"n\"}",
            "PATCH|/api/v1/short-urls/perm-link|write|{\"name\":\"n\"}",
            "DELETE|/api/v1/short-urls/no-such-link|delete|",
            "POST|/api/v1/bulk-urls/validate|write|{\"csv_content\":\"url\\nhttps://example.com\"}",
            "POST|/api/v1/bulk-urls/create|write|{\"validated_urls\":[{\"url\":\"https://example.com/b\"}]}",
            "GET|/api/v1/api-keys|admin|",
            "POST|/api/v1/api-keys|admin|{\"name\":\"k\",\"permissions\":[\"read\"]}",
            "DELETE|/api/v1/api-keys/no-such-key|admin|",
            "GET|/api/v1/analytics/click-details|analytics|",
            "GET|/api/v1/analytics/click-details/perm-link|analytics|",
            // --- QR codes (issue 15) ---
            "POST|/api/v1/qr-codes/generate|write|{\"content_type\":\"text\",\"content_data\":{\"text\":\"p\"}}",
            "GET|/api/v1/qr-codes|read|",
            "GET|/api/v1/qr-codes/00000000-0000-4000-8000-000000000000|read|",
            "PUT|/api/v1/qr-codes/00000000-0000-4000-8000-000000000000|write|{\"name\":\"n\"}",
            "DELETE|/api/v1/qr-codes/00000000-0000-4000-8000-000000000000|delete|",
            "GET|/api/v1/qr-codes/00000000-0000-4000-8000-000000000000/image|read|",
            "GET|/api/v1/short-urls/perm-link/qr|read|",
            // --- smart links (issue 17) ---
            "GET|/api/v1/short-urls/perm-link/rules|read|",
            "PUT|/api/v1/short-urls/perm-link/rules|write|{\"rules\":[]}",
            "POST|/api/v1/url-ab-tests|write|{\"name\":\"t\",\"primary_url_id\":\"perm-link\",\"variants\":[{\"name\":\"a\",\"destination_url\":\"https://example.com/a\"},{\"name\":\"b\",\"destination_url\":\"https://example.com/b\"}]}",
            "GET|/api/v1/url-ab-tests|read|",
            "GET|/api/v1/url-ab-tests/perm-link|read|",
            "POST|/api/v1/url-ab-tests/perm-link/start|write|",
            "POST|/api/v1/url-ab-tests/perm-link/pause|write|",
            "POST|/api/v1/url-ab-tests/perm-link/complete|write|",
            "GET|/api/v1/url-ab-tests/perm-link/results|analytics|",
            "POST|/api/v1/conversions|write|{\"click_id\":\"01890000-0000-7000-8000-000000000000\",\"event\":\"lead\"}",
            // --- webhooks (issue 18) ---
            "POST|/api/v1/webhooks/subscriptions|analytics|{\"event_type\":\"link.created\",\"target_url\":\"https://93.184.215.14/p\"}",
            "GET|/api/v1/webhooks/subscriptions|analytics|",
            "GET|/api/v1/webhooks/subscriptions/00000000-0000-4000-8000-000000000000|analytics|",
            "DELETE|/api/v1/webhooks/subscriptions/00000000-0000-4000-8000-000000000000|analytics|",
            "GET|/api/v1/webhooks/subscriptions/00000000-0000-4000-8000-000000000000/deliveries|analytics|",
            "POST|/api/v1/webhooks/subscriptions/00000000-0000-4000-8000-000000000000/rotate-secret|analytics|",
            "POST|/api/v1/webhooks/subscriptions/00000000-0000-4000-8000-000000000000/retry|analytics|",
            "POST|/api/v1/webhooks/subscriptions/00000000-0000-4000-8000-000000000000/deliveries/msg_0/retry|analytics|",
            // --- campaigns and tags (issue 16) ---
            "GET|/api/v1/campaigns|read|",
            "POST|/api/v1/campaigns|write|{\"name\":\"perm campaign\"}",
            "GET|/api/v1/campaigns/no-such-campaign|read|",
            "PUT|/api/v1/campaigns/no-such-campaign|write|{\"name\":\"n\"}",
            "PATCH|/api/v1/campaigns/no-such-campaign|write|{\"name\":\"n\"}",
            "DELETE|/api/v1/campaigns/no-such-campaign|delete|",
            "GET|/api/v1/campaigns/no-such-campaign/urls|read|",
            "POST|/api/v1/campaigns/no-such-campaign/urls/perm-link|write|",
            "DELETE|/api/v1/campaigns/no-such-campaign/urls/perm-link|write|",
            "GET|/api/v1/campaigns/no-such-campaign/analytics|analytics|",
            "GET|/api/v1/tags|read|",
            "GET|/api/v1/domains/check-subdomain/permsub|read|",
            "GET|/api/v1/domains/subdomains|read|",
            "POST|/api/v1/domains/subdomains|write|{\"subdomain\":\"perm-sub\"}",
            "DELETE|/api/v1/domains/subdomains/no-such-sub|delete|",
            "GET|/api/v1/domains/branded|read|",
            "POST|/api/v1/domains/branded|write|{\"domain\":\"perm.brand.example\"}",
            "POST|/api/v1/domains/branded/no-such.example/verify|write|",
            "DELETE|/api/v1/domains/branded/no-such.example|delete|",
            // --- QR scans (issue 15) ---
            "GET|/api/v1/qranalytics/recent?limit=5|analytics|",
            "GET|/api/v1/qranalytics/overview|analytics|",
            "GET|/api/v1/qranalytics/timeline|analytics|",
            "GET|/api/v1/qranalytics/geographic|analytics|",
            "GET|/api/v1/qranalytics/device|analytics|",
            "GET|/api/v1/qranalytics/traffic|analytics|",
            "GET|/api/v1/qranalytics/top-performers|analytics|",
            "GET|/api/v1/analytics/breakdown?by=os&trigger=qr|analytics|"})
    void eachEndpointNeedsItsPermission(String method, String path, String needed, String body) {
        String others = String.join(",", ALL.stream().filter(p -> !p.equals(needed)).toList());
        String without = server.createKey("without-" + needed, others, null);
        String only = server.createKey("only-" + needed, needed, null);

        Http.Response refused = server.http().send(method, path, body, server.auth(without));
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.json().get("error").get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(refused.json().get("error").get("details").get("required").asText()).isEqualTo(needed);

        Http.Response allowed = server.http().send(method, path, body, server.auth(only));
        assertThat(allowed.status()).as(allowed.body()).isNotIn(401, 403);

        Http.Response anonymous = server.http().send(method, path, body);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().get("error").get("code").asText()).isEqualTo("UNAUTHORIZED");
    }

    // --- MCP (issue 19) ---
    /** A JSON-RPC tools/call of /mcp with a key (or none); the HTTP answer. */
    static Http.Response mcpCall(String tool, String argsJson, String... auth) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":" + argsJson + "}}";
        String[] headers = new String[auth.length + 2];
        headers[0] = "Accept";
        headers[1] = "application/json, text/event-stream";
        System.arraycopy(auth, 0, headers, 2, auth.length);
        return server.http().postJson("/mcp", body, headers);
    }

    @ParameterizedTest(name = "MCP {0} needs {1}")
    @CsvSource(delimiter = '|', value = {
            "shortenUrl|write|{\"url\":\"https://example.com/mcp-perm\"}",
            "listUrls|read|{}",
            "getUrl|read|{\"shortUrlId\":\"perm-link\"}",
            "updateUrl|write|{\"shortUrlId\":\"perm-link\",\"name\":\"n\"}",
            "deleteUrl|delete|{\"shortUrlId\":\"no-such-link\"}",
            "checkAliasAvailability|read|{\"alias\":\"abcdef\"}",
            "bulkShortenUrls|write|{\"urls\":[\"https://example.com/mcp-bulk-perm\"]}",
            "getUrlClickLogs|analytics|{\"shortUrlId\":\"perm-link\"}",
            "getUrlAnalytics|analytics|{\"shortUrlId\":\"perm-link\"}",
            "getCompleteAnalytics|analytics|{\"shortUrlId\":\"perm-link\"}",
            "getTopPerformingUrls|read|{}"})
    void eachMcpToolNeedsItsEndpointsPermission(String tool, String needed, String args) {
        String others = String.join(",", ALL.stream().filter(p -> !p.equals(needed)).toList());
        String without = server.createKey("mcp-without-" + needed, others, null);
        String only = server.createKey("mcp-only-" + needed, needed, null);

        Http.Response refused = mcpCall(tool, args, "x-mcp-key", without);
        assertThat(refused.status()).as(refused.body()).isEqualTo(200); // a tool error, not an HTTP one
        JsonNode result = refused.json().get("result");
        assertThat(result.get("isError").asBoolean()).as(refused.body()).isTrue();
        assertThat(result.get("structuredContent").get("error").get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(result.get("structuredContent").get("error").get("details").get("required").asText()).isEqualTo(needed);

        Http.Response allowed = mcpCall(tool, args, server.auth(only));
        assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
        assertThat(allowed.json().get("result").path("structuredContent").path("error").path("code").asText())
                .as(allowed.body()).isNotIn("FORBIDDEN", "UNAUTHORIZED");

        Http.Response anonymous = mcpCall(tool, args);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().get("error").get("code").asText()).isEqualTo("UNAUTHORIZED");
    }

    @org.junit.jupiter.api.Test
    void mcpHealthNeedsNoKey() {
        assertThat(server.http().get("/mcp/health").status()).isEqualTo(200);
    }
}
