package dev.linkpulse.mcp;

import static dev.linkpulse.mcp.McpServerTest.IPHONE_SAFARI;
import static dev.linkpulse.mcp.McpServerTest.args;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.config.Setting;
import dev.linkpulse.support.TestServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MCP tools of the modules beyond links and analytics (QR codes, campaigns, domains, A/B tests,
 * smart-link rules, conversions, webhooks) through the SDK's own client against the running server:
 * every tool once, with what it did checked over REST or the redirect; a key without the permission
 * and bad arguments each get a tool error naming what is wrong.
 */
class McpModuleToolsTest {

    static final Set<String> MODULE_TOOLS = Set.of(
            "generateQr", "listQrCodes", "getQrCode", "updateQrCode", "deleteQrCode", "getQrCodeImage", "getShortUrlQr",
            "getRecentQrScans", "getQrAnalyticsOverview", "getQrAnalyticsTimeline", "getQrAnalyticsGeographic", "getQrAnalyticsDevices",
            "getQrAnalyticsTraffic", "getQrTopPerformers",
            "createCampaign", "listCampaigns", "getCampaign", "updateCampaign", "deleteCampaign", "getCampaignUrls",
            "assignUrlToCampaign", "removeUrlFromCampaign", "getCampaignAnalytics",
            "checkSubdomainAvailability", "createSubdomain", "getUserSubdomains", "deleteSubdomain", "createBrandedDomain",
            "listBrandedDomains", "verifyBrandedDomain", "deleteBrandedDomain",
            "createAbTest", "listAbTests", "getAbTest", "startAbTest", "pauseAbTest", "completeAbTest", "getAbTestResults",
            "getUrlRules", "setUrlRules", "trackConversion",
            "createWebhook", "listWebhooks", "getWebhookDeliveries", "rotateWebhookSecret", "retryWebhookDeliveries", "deleteWebhook");

    static TestServer server;
    static McpSyncClient admin;
    static final Set<String> called = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() {
        // No DNS server answers on port 9 (discard): a branded domain's check ends at once, unverified.
        server = TestServer.start(Map.of(Setting.BASE_URL, "https://lnk.example.com", Setting.DNS_RESOLVER, "dns://127.0.0.1:9",
                Setting.WEBHOOK_ALLOW_PRIVATE, "true"));
        admin = client(TestServer.ADMIN_KEY);
    }

    @AfterAll
    static void stop() {
        admin.close();
        server.close();
        assertThat(called).as("every module tool called once").containsAll(MODULE_TOOLS);
    }

    static McpSyncClient client(String key) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port())
                .endpoint("/mcp").requestBuilder(HttpRequest.newBuilder().header("x-mcp-key", key)).build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
        return client;
    }

    /** A key of the admin's workspace through the REST API (quicker than the command line). */
    static String key(String name, String... permissions) {
        dev.linkpulse.support.Http.Response r = server.http().postJson("/api/v1/api-keys",
                dev.linkpulse.support.Http.json(Map.of("name", name, "permissions", List.of(permissions))), server.admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("data").get("key").asText();
    }

    static JsonNode ok(String tool, Map<String, Object> args) {
        called.add(tool);
        return McpServerTest.ok(admin, tool, args);
    }

    static String field(McpSyncClient client, String tool, Map<String, Object> args) {
        JsonNode error = McpServerTest.refused(client, tool, args, "VALIDATION_ERROR");
        return error.get("details").get("field").asText();
    }

    @Test
    void theModuleToolsAreListedWithSchemas() {
        List<McpSchema.Tool> tools = admin.listTools().tools();
        assertThat(tools).extracting(McpSchema.Tool::name).containsAll(MODULE_TOOLS);
        McpSchema.Tool ab = tools.stream().filter(t -> t.name().equals("createAbTest")).findFirst().orElseThrow();
        JsonNode schema = McpServerTest.JSON.valueToTree(ab.inputSchema());
        assertThat(schema.get("required").toString()).isEqualTo("[\"name\",\"primaryUrlId\",\"variants\"]");
        assertThat(schema.get("properties").get("variants").get("minItems").asInt()).isEqualTo(2);
        assertThat(schema.get("properties").get("variants").get("items").get("properties").has("destinationUrl")).isTrue();
        assertThat(schema.get("properties").get("trafficSplitMode").get("enum").toString()).isEqualTo("[\"equal\",\"weighted\"]");
        assertThat(ab.annotations().readOnlyHint()).isFalse();
        McpSchema.Tool delete = tools.stream().filter(t -> t.name().equals("deleteCampaign")).findFirst().orElseThrow();
        assertThat(delete.annotations().destructiveHint()).isTrue();
        assertThat(tools.stream().filter(t -> t.name().equals("listQrCodes")).findFirst().orElseThrow().annotations().readOnlyHint())
                .isTrue();
    }

    @Test
    void qrCodeTools() throws Exception {
        JsonNode made = ok("generateQr", args("contentType", "url", "contentData", args("url", "https://example.com/qr"),
                "isDynamic", true, "trackingEnabled", true, "name", "MCP QR",
                "visualSettings", args("foregroundColor", "#112233", "size", 256))).get("qrCode");
        String id = made.get("id").asText();
        assertThat(made.get("is_dynamic").asBoolean()).isTrue();
        assertThat(made.get("short_url").asText()).startsWith("https://lnk.example.com/");
        assertThat(made.get("visual_settings").get("foregroundColor").asText()).isEqualToIgnoringCase("#112233");

        assertThat(ok("listQrCodes", args("search", "MCP QR", "sortBy", "name", "qrType", "dynamic")).get("qrCodes")
                .findValuesAsText("id")).containsExactly(id);
        assertThat(ok("getQrCode", args("qrCodeId", id)).get("qrCode").get("name").asText()).isEqualTo("MCP QR");
        JsonNode updated = ok("updateQrCode", args("qrCodeId", id, "name", "Renamed QR",
                "contentData", args("url", "https://example.com/qr-2"))).get("qrCode");
        assertThat(updated.get("name").asText()).isEqualTo("Renamed QR");
        String code = made.get("short_url").asText().substring("https://lnk.example.com/".length());
        assertThat(server.http().get("/" + code).header("Location")).isEqualTo("https://example.com/qr-2");

        JsonNode png = ok("getQrCodeImage", args("qrCodeId", id, "size", 128));
        assertThat(png.get("mime_type").asText()).isEqualTo("image/png");
        byte[] bytes = Base64.getDecoder().decode(png.get("image_base64").asText());
        assertThat(bytes.length).isEqualTo(png.get("size_bytes").asInt());
        assertThat(ImageIO.read(new ByteArrayInputStream(bytes)).getWidth()).isEqualTo(128);
        McpSchema.ImageContent shown = (McpSchema.ImageContent) McpServerTest.call(admin, "getQrCodeImage", args("qrCodeId", id)).content().get(1);
        assertThat(shown.mimeType()).isEqualTo("image/png");
        assertThat(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(shown.data())))).isNotNull();
        JsonNode url = ok("getQrCodeImage", args("qrCodeId", id, "as", "url", "format", "svg"));
        assertThat(url.get("download_url").asText()).isEqualTo("https://lnk.example.com/api/v1/qr-codes/" + id + "/image?format=svg");
        assertThat(server.http().get("/api/v1/qr-codes/" + id + "/image?format=svg", server.admin()).body()).contains("<svg");

        String link = server.createLink(Map.of("url", "https://example.com/any", "custom_alias", "mcp-qr-link")).get("id").asText();
        JsonNode svg = ok("getShortUrlQr", args("shortUrlId", "mcp-qr-link", "format", "svg", "foregroundColor", "#003300"));
        assertThat(svg.get("mime_type").asText()).isEqualTo("image/svg+xml");
        assertThat(new String(Base64.getDecoder().decode(svg.get("image_base64").asText()), StandardCharsets.UTF_8))
                .contains("<svg").containsIgnoringCase("#003300");
        assertThat(link).isNotBlank();

        // A scan through the redirect (the code's own content, marker and all) shows in every QR analytics tool.
        String scanned = server.http().get(made.get("content").asText().substring("https://lnk.example.com".length()),
                "User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                        + "Version/17.4 Mobile/15E148 Safari/604.1").header("Location");
        assertThat(scanned).isEqualTo("https://example.com/qr-2");
        server.awaitClicks(code, 2); // the redirect checked after the update, then the scan
        JsonNode recent = ok("getRecentQrScans", args("limit", 5));
        assertThat(recent.findValuesAsText("qr_code_id")).containsExactly(id);
        assertThat(ok("getQrAnalyticsOverview", args()).get("total_clicks").asLong()).isEqualTo(1);
        assertThat(ok("getQrAnalyticsTimeline", args("interval", "day")).toString()).contains("\"clicks\":1");
        assertThat(ok("getQrAnalyticsGeographic", args("traffic", "all")).toString()).contains("\"clicks\":1");
        assertThat(ok("getQrAnalyticsDevices", args()).toString()).contains("mobile");
        assertThat(ok("getQrAnalyticsTraffic", args()).toString()).contains("\"clicks\":1");
        assertThat(ok("getQrTopPerformers", args("limit", 3)).toString()).contains(id);

        assertThat(ok("deleteQrCode", args("qrCodeId", id)).get("message").asText()).isEqualTo("QR code deleted successfully");
        assertThat(server.http().get("/api/v1/qr-codes/" + id, server.admin()).status()).isEqualTo(404);
    }

    @Test
    void campaignTools() {
        String code = server.createLink(Map.of("url", "https://example.com/camp", "custom_alias", "mcp-camp")).get("short_code").asText();
        JsonNode made = ok("createCampaign", args("name", "MCP launch", "description", "From an agent", "startDate", "2020-01-01",
                "tags", List.of("mcp")));
        String id = made.get("id").asText();
        assertThat(made.get("status").asText()).isEqualTo("active");
        assertThat(made.get("start_date").asText()).isEqualTo("2020-01-01T00:00:00.000Z");
        JsonNode list = ok("listCampaigns", args("search", "MCP", "status", "active"));
        assertThat(list.get("data").findValuesAsText("id")).containsExactly(id);
        assertThat(list.get("meta").get("total").asInt()).isEqualTo(1);
        assertThat(ok("getCampaign", args("campaignId", "MCP launch")).get("id").asText()).isEqualTo(id);

        assertThat(ok("assignUrlToCampaign", args("campaignId", id, "shortUrlId", code)).get("campaign_id").asText()).isEqualTo(id);
        assertThat(ok("getCampaignUrls", args("campaignId", id)).get("shortUrls").findValuesAsText("short_code")).containsExactly(code);
        server.http().get("/" + code, "User-Agent", IPHONE_SAFARI);
        server.awaitClicks(code, 1);
        JsonNode stats = ok("getCampaignAnalytics", args("campaignId", id));
        assertThat(stats.get("campaign_id").asText()).isEqualTo(id);
        assertThat(stats.get("total_clicks").asInt()).isEqualTo(1);

        JsonNode changed = ok("updateCampaign", args("campaignId", id, "description", "Changed", "status", "archived"));
        assertThat(changed.get("description").asText()).isEqualTo("Changed");
        assertThat(changed.get("status").asText()).isEqualTo("archived");
        ok("removeUrlFromCampaign", args("campaignId", id, "shortUrlId", code));
        assertThat(server.http().get("/api/v1/short-urls/" + code, server.admin()).json().get("data").get("campaign_id").isNull()).isTrue();
        ok("deleteCampaign", args("campaignId", id));
        assertThat(server.http().get("/api/v1/campaigns/" + id, server.admin()).status()).isEqualTo(404);
    }

    @Test
    void domainTools() {
        assertThat(ok("checkSubdomainAvailability", args("subdomain", "mcpshop")).get("available").asBoolean()).isTrue();
        JsonNode sub = ok("createSubdomain", args("subdomain", "mcpshop", "name", "Shop"));
        assertThat(sub.get("full_domain").asText()).isEqualTo("mcpshop.lnk.example.com");
        assertThat(ok("getUserSubdomains", args()).get("data").findValuesAsText("subdomain")).contains("mcpshop");
        ok("deleteSubdomain", args("subdomainId", sub.get("id").asText(), "force", false));
        assertThat(server.http().get("/api/v1/domains/subdomains", server.admin()).json().get("data")).isEmpty();

        JsonNode brand = ok("createBrandedDomain", args("domain", "go.mcp.example", "description", "Ours"));
        assertThat(brand.get("verification").get("name").asText()).isEqualTo("_linkpulse.go.mcp.example");
        assertThat(ok("listBrandedDomains", args()).get("data").findValuesAsText("domain")).contains("go.mcp.example");
        JsonNode check = ok("verifyBrandedDomain", args("domainId", brand.get("id").asText()));
        assertThat(check.get("is_verified").asBoolean()).isFalse();
        ok("deleteBrandedDomain", args("domainId", "go.mcp.example"));
        assertThat(server.http().get("/api/v1/domains/branded", server.admin()).json().get("data")).isEmpty();
    }

    @Test
    void abTestRuleAndConversionTools() {
        server.createLink(Map.of("url", "https://example.com/ab", "custom_alias", "mcp-ab"));
        JsonNode test = ok("createAbTest", args("name", "Headline", "primaryUrlId", "mcp-ab", "trafficSplitMode", "weighted",
                "conversionsEnabled", true, "variants", List.of(
                        args("name", "A", "destinationUrl", "https://example.com/a", "trafficWeight", 100),
                        args("name", "B", "destinationUrl", "https://example.com/b", "trafficWeight", 0)))).get("test");
        String id = test.get("id").asText();
        assertThat(test.get("status").asText()).isEqualTo("draft");
        assertThat(test.get("variants").findValuesAsText("destination_url")).containsExactly("https://example.com/a", "https://example.com/b");
        assertThat(ok("listAbTests", args("limit", 10)).get("tests").findValuesAsText("id")).contains(id);
        assertThat(ok("getAbTest", args("testId", id)).get("test").get("name").asText()).isEqualTo("Headline");
        assertThat(ok("startAbTest", args("testId", id)).get("test").get("status").asText()).isEqualTo("running");

        // A person's click: A/B results count the conversions of the variant's human clicks only.
        assertThat(server.http().get("/mcp-ab", "User-Agent", McpServerTest.WINDOWS_CHROME).header("Location"))
                .isEqualTo("https://example.com/a");
        server.awaitClicks("mcp-ab", 1);
        String clickId = server.clickLog("mcp-ab", "?limit=1").get("data").get(0).get("id").asText();
        JsonNode conversion = ok("trackConversion", args("clickId", clickId, "event", "sale", "amount", 19.99, "currency", "usd",
                "externalId", "order-1")).get("conversion");
        assertThat(conversion.get("amount").decimalValue()).isEqualByComparingTo("19.99");
        assertThat(conversion.get("external_id").asText()).isEqualTo("order-1");
        assertThat(conversion.get("currency").asText()).isEqualTo("USD");

        assertThat(ok("pauseAbTest", args("testId", id)).get("test").get("status").asText()).isEqualTo("paused");
        JsonNode results = ok("getAbTestResults", args("testId", id));
        assertThat(results.toString()).contains("\"conversions\":1", "\"converted_clicks\":1", "\"conversion_rate\":100.0");
        String winner = test.get("variants").get(1).get("id").asText();
        JsonNode done = ok("completeAbTest", args("testId", id, "winnerVariantId", winner)).get("test");
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.get("winner_variant_id").asText()).isEqualTo(winner);

        server.createLink(Map.of("url", "https://example.com/desk", "custom_alias", "mcp-rules"));
        JsonNode set = ok("setUrlRules", args("shortUrlId", "mcp-rules", "rules", List.of(args("destinationUrl", "https://example.com/phone",
                "conditions", List.of(args("type", "device_type", "value", "mobile"))))));
        assertThat(set.get("rules").get(0).get("destination_url").asText()).isEqualTo("https://example.com/phone");
        assertThat(ok("getUrlRules", args("shortUrlId", "mcp-rules")).get("rules")).isEqualTo(set.get("rules"));
        assertThat(server.http().get("/mcp-rules", "User-Agent", IPHONE_SAFARI).header("Location")).isEqualTo("https://example.com/phone");
        assertThat(server.http().get("/mcp-rules", "User-Agent", McpServerTest.WINDOWS_CHROME).header("Location"))
                .isEqualTo("https://example.com/desk");
    }

    @Test
    void webhookTools() {
        server.createLink(Map.of("url", "https://example.com/hooked", "custom_alias", "mcp-hook"));
        JsonNode hook = ok("createWebhook", args("eventType", "link.clicked", "targetUrl", "http://127.0.0.1:9/hook", "shortCode", "mcp-hook",
                "filters", args("country", List.of("US"))));
        String id = hook.get("id").asText();
        assertThat(hook.get("secret").asText()).isNotBlank();
        assertThat(ok("listWebhooks", args()).get("data").findValuesAsText("id")).contains(id);
        assertThat(ok("getWebhookDeliveries", args("webhookId", id, "status", "failed")).get("deliveries")).isEmpty();
        String rotated = ok("rotateWebhookSecret", args("webhookId", id)).get("secret").asText();
        assertThat(rotated).isNotBlank().isNotEqualTo(hook.get("secret").asText());
        assertThat(ok("retryWebhookDeliveries", args("webhookId", id)).get("rescheduled").asInt()).isZero();
        ok("deleteWebhook", args("webhookId", id));
        assertThat(server.http().get("/api/v1/webhooks/subscriptions/" + id, server.admin()).status()).isEqualTo(404);
    }

    @Test
    void aKeyWithoutThePermissionGetsAToolError() {
        McpSyncClient reader = client(key("mcp-module-reader", "read"));
        try {
            for (Map.Entry<String, Map<String, Object>> write : Map.of(
                    "generateQr", args("contentType", "text", "contentData", args("text", "hi")),
                    "createCampaign", args("name", "Nope"),
                    "createSubdomain", args("subdomain", "nopenope"),
                    "createAbTest", args("name", "x", "primaryUrlId", "x", "variants", List.of()),
                    "setUrlRules", args("shortUrlId", "x", "rules", List.of()),
                    "trackConversion", args("clickId", "x", "event", "sale"),
                    "createWebhook", args("eventType", "link.created", "targetUrl", "https://example.com/h"),
                    "getCampaignAnalytics", args("campaignId", "x")).entrySet()) {
                JsonNode error = McpServerTest.refused(reader, write.getKey(), write.getValue(), "FORBIDDEN");
                assertThat(error.get("details").get("required").asText()).as(write.getKey()).isIn("write", "analytics");
            }
            // what it may do, it does
            assertThat(McpServerTest.ok(reader, "listCampaigns", args()).get("data").isArray()).isTrue();
            assertThat(McpServerTest.ok(reader, "listQrCodes", args()).has("qrCodes")).isTrue();
        } finally {
            reader.close();
        }
        McpSyncClient writer = client(key("mcp-module-writer", "read", "write"));
        try {
            String id = McpServerTest.ok(writer, "createCampaign", args("name", "Kept")).get("id").asText();
            assertThat(McpServerTest.refused(writer, "deleteCampaign", args("campaignId", id), "FORBIDDEN")
                    .get("details").get("required").asText()).isEqualTo("delete");
        } finally {
            writer.close();
        }
    }

    @Test
    void anotherWorkspacesThingsAreNotFound() {
        server.createLink(Map.of("url", "https://example.com/iso", "custom_alias", "mcp-iso"));
        String qr = McpServerTest.ok(admin, "generateQr", args("contentType", "text", "contentData", args("text", "mine"))).get("qrCode")
                .get("id").asText();
        String campaign = McpServerTest.ok(admin, "createCampaign", args("name", "Isolated")).get("id").asText();
        String test = McpServerTest.ok(admin, "createAbTest", args("name", "Iso", "primaryUrlId", "mcp-iso", "variants", List.of(
                args("name", "A", "destinationUrl", "https://example.com/a"), args("name", "B", "destinationUrl", "https://example.com/b"))))
                .get("test").get("id").asText();
        String hook = McpServerTest.ok(admin, "createWebhook", args("eventType", "link.created", "targetUrl", "http://127.0.0.1:9/iso"))
                .get("id").asText();
        McpSyncClient other = client(server.createKey("mcp-module-other", "read,write,delete,analytics", "workspace-mcp-modules-b"));
        try {
            for (Map.Entry<String, Map<String, Object>> call : Map.of(
                    "getQrCode", args("qrCodeId", qr), "deleteQrCode", args("qrCodeId", qr), "getQrCodeImage", args("qrCodeId", qr),
                    "getCampaign", args("campaignId", campaign), "deleteCampaign", args("campaignId", "Isolated"),
                    "getAbTest", args("testId", test), "startAbTest", args("testId", test),
                    "getUrlRules", args("shortUrlId", "mcp-iso"), "getShortUrlQr", args("shortUrlId", "mcp-iso"),
                    "deleteWebhook", args("webhookId", hook)).entrySet()) {
                McpServerTest.refused(other, call.getKey(), call.getValue(), "NOT_FOUND");
            }
            assertThat(McpServerTest.ok(other, "listQrCodes", args()).get("qrCodes")).isEmpty();
            assertThat(McpServerTest.ok(other, "listWebhooks", args()).get("data")).isEmpty();
        } finally {
            other.close();
        }
        assertThat(McpServerTest.ok(admin, "getAbTest", args("testId", test)).get("test").get("status").asText()).isEqualTo("draft");
        assertThat(McpServerTest.ok(admin, "getQrCode", args("qrCodeId", qr)).get("qrCode").get("id").asText()).isEqualTo(qr);
    }

    @Test
    void badArgumentsAreToolErrorsNamingTheField() {
        assertThat(field(admin, "getQrCode", args())).isEqualTo("qrCodeId");
        assertThat(field(admin, "generateQr", args("contentType", "fax", "contentData", args()))).isEqualTo("content_type");
        assertThat(field(admin, "generateQr", args("contentType", "url", "contentData", args("url", "x"), "colour", "red")))
                .isEqualTo("colour");
        assertThat(field(admin, "createCampaign", args("description", "no name"))).isEqualTo("name");
        assertThat(field(admin, "listCampaigns", args("range", "forever"))).isEqualTo("range");
        server.createLink(Map.of("url", "https://example.com/bad", "custom_alias", "mcp-bad"));
        assertThat(field(admin, "createAbTest", args("name", "x", "primaryUrlId", "mcp-bad",
                "variants", List.of(args("name", "A", "destinationUrl", "https://example.com/a"))))).isEqualTo("variants");
        assertThat(field(admin, "createAbTest", args("name", "x", "primaryUrlId", "mcp-bad", "variants", List.of(
                args("name", "A", "destinationUrl", "https://example.com/a", "weight", 5),
                args("name", "B", "destinationUrl", "https://example.com/b"))))).isEqualTo("variants[0].weight");
        assertThat(field(admin, "setUrlRules", args("shortUrlId", "mcp-bad", "rules", List.of(args("destinationUrl", "ftp://x",
                "conditions", List.of(args("type", "country", "value", "US"))))))).isEqualTo("rules[0].destination_url");
        assertThat(field(admin, "trackConversion", args("clickId", "not-a-click", "event", "sale"))).isEqualTo("click_id");
        assertThat(field(admin, "deleteSubdomain", args("subdomainId", "x", "force", "maybe"))).isEqualTo("force");
        assertThat(field(admin, "getShortUrlQr", args("shortUrlId", "mcp-bad", "size", 5000))).isEqualTo("size");
        assertThat(field(admin, "createWebhook", args("eventType", "link.exploded", "targetUrl", "https://example.com/h")))
                .isEqualTo("event_type");
        McpServerTest.refused(admin, "getAbTest", args("testId", "no-such-test"), "NOT_FOUND");
    }
}
