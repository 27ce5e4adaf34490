package dev.linkpulse.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workspace B's key, with every permission, against every endpoint that names a resource and every
 * way of naming workspace A's: UUID, short code, custom alias, click id (since_id), API key id,
 * cursor. B never sees, changes or learns of A's data: the answer is byte for byte the one for a
 * truly absent name, and takes about as long.
 */
class IsolationMatrixTest {

    static TestServer server;
    static String[] b;
    static JsonNode linkA;
    static String clickA;
    static String cursorA;
    static String keyA;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        linkA = server.createLink(Map.of("url", "https://example.com/secret-a", "custom_alias", "alpha-secret", "name", "A's link"));
        JsonNode generated = server.createLink(Map.of("url", "https://example.com/secret-a2"));
        for (int i = 0; i < 3; i++) {
            server.http().get("/alpha-secret");
            server.http().get("/" + generated.get("short_code").asText());
        }
        server.awaitClicks(null, 6);
        JsonNode page = server.clickLog(null, "?limit=2");
        clickA = page.get("data").get(0).get("id").asText();
        cursorA = page.get("pagination").get("next_cursor").asText();
        keyA = server.createKey("a-reporting", "read", null);
        keyA = server.http().get("/api/v1/api-keys", server.admin()).json().get("data").findValues("id").stream()
                .map(JsonNode::asText).filter(id -> !id.isEmpty()).reduce((x, y) -> y).orElseThrow();
        b = server.auth(server.createKey("b-everything", "read,write,delete,analytics,admin", "workspace-b"));
        // B has data of its own, so an empty answer is not the only answer B could get.
        server.http().postJson("/api/v1/short-urls", Http.json(Map.of("url", "https://example.com/b", "custom_alias", "bravo-own")), b);
        server.http().get("/bravo-own");
        server.awaitClicks(null, 6);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A request template: method, path with {x} for the name, optional JSON body. */
    record Probe(String method, String path, String body) {
        String pathFor(String name) {
            return path.replace("{x}", name);
        }
    }

    static final List<Probe> LINK_PROBES = List.of(
            new Probe("GET", "/api/v1/short-urls/{x}", null),
            new Probe("PUT", "/api/v1/short-urls/{x}", "{\"name\": \"taken over\"}"),
            new Probe("PATCH", "/api/v1/short-urls/{x}", "{\"url\": \"https://evil.example/\"}"),
            new Probe("DELETE", "/api/v1/short-urls/{x}", null),
            new Probe("GET", "/api/v1/analytics/click-details/{x}", null),
            new Probe("GET", "/api/v1/analytics/click-details/{x}?format=csv", null),
            new Probe("GET", "/api/v1/analytics/analytics/{x}", null),
            new Probe("GET", "/api/v1/analytics/geographic/{x}", null),
            new Probe("GET", "/api/v1/analytics/traffic-quality/{x}", null),
            new Probe("GET", "/api/v1/analytics/breakdown/{x}?by=country", null),
            new Probe("GET", "/api/v1/analytics/timeseries/{x}", null),
            new Probe("GET", "/api/v1/analytics/click-stream/{x}", null),
            // --- QR codes (issue 15) ---
            new Probe("GET", "/api/v1/short-urls/{x}/qr", null),
            new Probe("GET", "/api/v1/short-urls/{x}/qr?format=svg&size=128", null),
            // --- smart links (issue 17) ---
            new Probe("GET", "/api/v1/short-urls/{x}/rules", null),
            new Probe("PUT", "/api/v1/short-urls/{x}/rules", "{\"rules\": []}"),
            new Probe("GET", "/api/v1/url-ab-tests/{x}", null),
            new Probe("POST", "/api/v1/url-ab-tests/{x}/start", null),
            new Probe("POST", "/api/v1/url-ab-tests/{x}/pause", null),
            new Probe("POST", "/api/v1/url-ab-tests/{x}/complete", null),
            new Probe("GET", "/api/v1/url-ab-tests/{x}/results", null));

    @Test
    void everyWayOfNamingALinkOfAnotherWorkspaceAnswersAsAnAbsentOne() {
        String uuidA = linkA.get("id").asText();
        List<String[]> names = List.of(
                new String[] {uuidA, "00000000-0000-4000-8000-000000000000"},
                new String[] {"alpha-secret", "alpha-absent"},
                new String[] {linkA.get("short_code").asText(), "zzzzzzz"});
        int checked = 0;
        for (Probe p : LINK_PROBES) {
            for (String[] pair : names) {
                Http.Response foreign = send(p, pair[0]);
                Http.Response absent = send(p, pair[1]);
                assertThat(foreign.status()).as(p + " " + pair[0]).isEqualTo(404);
                assertThat(foreign.body().replace(pair[0], "NAME")).as(p + " " + pair[0]).isEqualTo(absent.body().replace(pair[1], "NAME"));
                assertThat(foreign.json().get("error").get("code").asText()).isEqualTo("NOT_FOUND");
                checked++;
            }
        }
        assertThat(checked).isEqualTo(LINK_PROBES.size() * names.size());
        JsonNode still = server.http().get("/api/v1/short-urls/" + uuidA, server.admin()).json().get("data");
        assertThat(still.get("name").asText()).isEqualTo("A's link");
        assertThat(still.get("original_url").asText()).isEqualTo("https://example.com/secret-a");
        assertThat(server.http().get("/alpha-secret").header("Location")).isEqualTo("https://example.com/secret-a");
    }

    @Test
    void clickIdsCursorsAndKeyIdsOfAnotherWorkspaceRevealNothing() {
        String absentClick = new ClickIds().next(System.currentTimeMillis()).toString();
        for (String path : List.of("/api/v1/analytics/click-details?since_id=", "/api/v1/analytics/click-details/bravo-own?since_id=")) {
            Http.Response foreign = server.http().get(path + clickA, b);
            Http.Response absent = server.http().get(path + absentClick, b);
            assertThat(foreign.status()).isEqualTo(absent.status()).isEqualTo(400);
            assertThat(foreign.body().replace(clickA, "ID")).isEqualTo(absent.body().replace(absentClick, "ID"));
        }
        // A's cursor is only a position in time: in B's log it pages B's clicks, never A's.
        Http.Response paged = server.http().get("/api/v1/analytics/click-details?cursor=" + cursorA, b);
        assertThat(paged.status()).isEqualTo(200);
        assertThat(paged.body()).doesNotContain("secret-a").doesNotContain(clickA);
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(("1:" + System.currentTimeMillis() + ":" + clickA).getBytes());
        assertThat(server.http().get("/api/v1/analytics/click-details?cursor=" + forged, b).body()).doesNotContain("secret-a");
        // B's whole log and lists hold nothing of A.
        for (String path : List.of("/api/v1/analytics/click-details?limit=1000", "/api/v1/analytics/click-details?format=csv",
                "/api/v1/short-urls?limit=100", "/api/v1/short-urls?search=secret", "/api/v1/analytics/recent",
                "/api/v1/analytics/breakdown?by=referrer", "/api/v1/analytics/referrers", "/api/v1/api-keys")) {
            Http.Response r = server.http().get(path, b);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).doesNotContain("secret-a").doesNotContain(linkA.get("id").asText()).doesNotContain(clickA)
                    .doesNotContain("a-reporting");
        }
        // An API key id of A: revoking it from B is the same 404 as an absent id, and the key still works.
        Http.Response foreign = server.http().send("DELETE", "/api/v1/api-keys/" + keyA, null, b);
        Http.Response absent = server.http().send("DELETE", "/api/v1/api-keys/00000000-0000-4000-8000-000000000000", null, b);
        assertThat(foreign.status()).isEqualTo(absent.status()).isEqualTo(404);
        assertThat(foreign.body()).isEqualTo(absent.body());
        JsonNode keys = server.http().get("/api/v1/api-keys", server.admin()).json().get("data");
        assertThat(keys.toString()).contains(keyA);
        assertThat(keys.toString()).doesNotContain("\"revoked_at\":\"");
    }

    // --- webhooks (issue 18) ---
    @Test
    void webhookSubscriptionsOfAnotherWorkspaceAnswerAsAbsentOnesAndStayUnchanged() {
        Http.Response created = server.http().postJson("/api/v1/webhooks/subscriptions", Http.json(Map.of("event_type", "link.clicked",
                "target_url", "https://93.184.215.14/secret-a-hook", "short_code", "alpha-secret")), server.admin());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String hookA = created.json().get("data").get("id").asText();
        String absent = "00000000-0000-4000-8000-000000000000";
        for (Probe p : List.of(new Probe("GET", "/api/v1/webhooks/subscriptions/{x}", null),
                new Probe("GET", "/api/v1/webhooks/subscriptions/{x}/deliveries", null),
                new Probe("POST", "/api/v1/webhooks/subscriptions/{x}/rotate-secret", null),
                new Probe("POST", "/api/v1/webhooks/subscriptions/{x}/retry", null),
                new Probe("POST", "/api/v1/webhooks/subscriptions/{x}/deliveries/msg_00000000000000000000000000000000/retry", null),
                new Probe("DELETE", "/api/v1/webhooks/subscriptions/{x}", null))) {
            Http.Response foreign = send(p, hookA);
            Http.Response none = send(p, absent);
            assertThat(foreign.status()).as(p.toString()).isEqualTo(404);
            assertThat(foreign.body().replace(hookA, "ID")).as(p.toString()).isEqualTo(none.body().replace(absent, "ID"));
        }
        // B cannot subscribe to A's link by its code, and B's list holds nothing of A.
        Http.Response byCode = server.http().postJson("/api/v1/webhooks/subscriptions", Http.json(Map.of("event_type", "link.clicked",
                "target_url", "https://93.184.215.14/b", "short_code", "alpha-secret")), b);
        Http.Response byAbsentCode = server.http().postJson("/api/v1/webhooks/subscriptions", Http.json(Map.of("event_type", "link.clicked",
                "target_url", "https://93.184.215.14/b", "short_code", "alpha-absent")), b);
        assertThat(byCode.status()).isEqualTo(400);
        assertThat(byCode.body().replace("alpha-secret", "NAME")).isEqualTo(byAbsentCode.body().replace("alpha-absent", "NAME"));
        Http.Response list = server.http().get("/api/v1/webhooks/subscriptions", b);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(hookA).doesNotContain("secret-a");
        JsonNode still = server.http().get("/api/v1/webhooks/subscriptions/" + hookA, server.admin()).json().get("data");
        assertThat(still.get("status").asText()).isEqualTo("active");
        assertThat(still.get("target_url").asText()).isEqualTo("https://93.184.215.14/secret-a-hook");
    }

    @Test
    void aForeignNameTakesAboutAsLongAsAnAbsentOne() {
        Probe p = new Probe("GET", "/api/v1/analytics/analytics/{x}", null);
        String foreignName = linkA.get("id").asText();
        String absentName = "00000000-0000-4000-8000-000000000000";
        for (int i = 0; i < 50; i++) { // warm-up
            send(p, foreignName);
            send(p, absentName);
        }
        long[] foreign = new long[201];
        long[] absent = new long[201];
        for (int i = 0; i < foreign.length; i++) { // interleaved, so machine noise hits both alike
            foreign[i] = timed(() -> send(p, foreignName));
            absent[i] = timed(() -> send(p, absentName));
        }
        Arrays.sort(foreign);
        Arrays.sort(absent);
        long f = foreign[foreign.length / 2];
        long a = absent[absent.length / 2];
        System.out.printf("isolation timing: median foreign %d µs, absent %d µs%n", f / 1_000, a / 1_000);
        // Both do the same work (one indexed lookup scoped to the caller's workspace); a gap of a
        // millisecond would mean a second query for foreign names.
        assertThat(Math.abs(f - a)).isLessThan(1_000_000L);
    }

    // --- QR codes (issue 15) ---
    static final List<Probe> QR_PROBES = List.of(
            new Probe("GET", "/api/v1/qr-codes/{x}", null),
            new Probe("PUT", "/api/v1/qr-codes/{x}", "{\"name\": \"taken over\"}"),
            new Probe("PUT", "/api/v1/qr-codes/{x}", "{\"content_data\": {\"url\": \"https://evil.example/\"}}"),
            new Probe("GET", "/api/v1/qr-codes/{x}/image", null),
            new Probe("GET", "/api/v1/qr-codes/{x}/image?format=svg", null),
            new Probe("DELETE", "/api/v1/qr-codes/{x}", null));

    @Test
    void aQrCodeOfAnotherWorkspaceAnswersAsAnAbsentOne() {
        Http.Response made = server.http().postJson("/api/v1/qr-codes/generate", "{\"content_type\":\"url\","
                + "\"content_data\":{\"url\":\"https://example.com/secret-qr\"},\"is_dynamic\":true,\"name\":\"A's code\"}",
                server.admin());
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String qrA = made.json().get("data").get("qrCode").get("id").asText();
        String absentQr = "00000000-0000-4000-8000-00000000beef";
        for (Probe p : QR_PROBES) {
            Http.Response foreign = send(p, qrA);
            Http.Response absent = send(p, absentQr);
            assertThat(foreign.status()).as(p.toString()).isEqualTo(404);
            assertThat(foreign.body().replace(qrA, "NAME")).as(p.toString()).isEqualTo(absent.body().replace(absentQr, "NAME"));
        }
        Http.Response list = server.http().get("/api/v1/qr-codes?limit=100", b);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(qrA).doesNotContain("secret-qr").doesNotContain("A's code");
        assertThat(server.http().get("/api/v1/qr-codes?search=secret", b).json().get("data").get("qrCodes")).isEmpty();
        JsonNode still = server.http().get("/api/v1/qr-codes/" + qrA, server.admin()).json().get("data").get("qrCode");
        assertThat(still.get("name").asText()).isEqualTo("A's code");
        assertThat(still.get("content_data").get("url").asText()).isEqualTo("https://example.com/secret-qr");
    }

    // --- smart links (issue 17) ---
    @Test
    void abTestsAndClicksOfAnotherWorkspaceAnswerAsAbsentOnes() {
        Http.Response created = server.http().postJson("/api/v1/url-ab-tests", Http.json(Map.of("name", "A's secret test",
                "primary_url_id", "alpha-secret", "variants", List.of(
                        Map.of("name", "x", "destination_url", "https://example.com/secret-a-x"),
                        Map.of("name", "y", "destination_url", "https://example.com/secret-a-y")))), server.admin());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String testA = created.json().get("data").get("test").get("id").asText();
        String absentTest = "00000000-0000-4000-8000-000000000000";
        for (String[] probe : List.of(new String[] {"GET", ""}, new String[] {"POST", "/start"}, new String[] {"POST", "/pause"},
                new String[] {"POST", "/complete"}, new String[] {"GET", "/results"})) {
            Http.Response foreign = server.http().send(probe[0], "/api/v1/url-ab-tests/" + testA + probe[1], null, b);
            Http.Response absent = server.http().send(probe[0], "/api/v1/url-ab-tests/" + absentTest + probe[1], null, b);
            assertThat(foreign.status()).as(probe[0] + probe[1]).isEqualTo(404);
            assertThat(foreign.body().replace(testA, "ID")).isEqualTo(absent.body().replace(absentTest, "ID"));
        }
        Http.Response list = server.http().get("/api/v1/url-ab-tests?limit=100", b);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(testA).doesNotContain("secret");
        // B cannot use B's own link to reach A's test, nor tie a conversion to A's click.
        assertThat(server.http().postJson("/api/v1/url-ab-tests", Http.json(Map.of("name", "t", "primary_url_id", "alpha-secret",
                "variants", List.of(Map.of("name", "x", "destination_url", "https://example.com/x"),
                        Map.of("name", "y", "destination_url", "https://example.com/y")))), b).status()).isEqualTo(400);
        String absentClick = new ClickIds().next(System.currentTimeMillis()).toString();
        Http.Response foreign = server.http().postJson("/api/v1/conversions", Http.json(Map.of("click_id", clickA, "event", "sale")), b);
        Http.Response absent = server.http().postJson("/api/v1/conversions", Http.json(Map.of("click_id", absentClick, "event", "sale")), b);
        assertThat(foreign.status()).isEqualTo(absent.status()).isEqualTo(404);
        assertThat(foreign.body()).isEqualTo(absent.body());
        // A's test is untouched.
        assertThat(server.http().get("/api/v1/url-ab-tests/" + testA, server.admin()).json().get("data").get("test").get("status")
                .asText()).isEqualTo("draft");
    }

    static long timed(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return System.nanoTime() - start;
    }

    static Http.Response send(Probe p, String name) {
        return server.http().send(p.method(), p.pathFor(name), p.body(), b);
    }

    // --- MCP (issue 19) ---
    static JsonNode mcpTool(String tool, String argsJson) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":" + argsJson + "}}";
        String[] headers = new String[b.length + 2];
        headers[0] = "Accept";
        headers[1] = "application/json, text/event-stream";
        System.arraycopy(b, 0, headers, 2, b.length);
        Http.Response r = server.http().postJson("/mcp", body, headers);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("result");
    }

    @Test
    void mcpToolsNamingALinkOfAnotherWorkspaceAnswerAsForAnAbsentOne() {
        String uuidA = linkA.get("id").asText();
        List<String[]> names = List.of(
                new String[] {uuidA, "00000000-0000-4000-8000-000000000000"},
                new String[] {"alpha-secret", "alpha-absent"});
        for (String tool : List.of("getUrl", "updateUrl", "deleteUrl", "getUrlClickLogs", "getUrlAnalytics",
                "getUrlGeographicAnalytics", "getUrlDeviceAnalytics", "getUrlTrafficQualityAnalytics", "getCompleteAnalytics")) {
            String extra = tool.equals("updateUrl") ? ",\"url\":\"https://evil.example/\"" : "";
            for (String[] pair : names) {
                JsonNode foreign = mcpTool(tool, "{\"shortUrlId\":\"" + pair[0] + "\"" + extra + "}");
                JsonNode absent = mcpTool(tool, "{\"shortUrlId\":\"" + pair[1] + "\"" + extra + "}");
                assertThat(foreign.get("isError").asBoolean()).as(tool).isTrue();
                assertThat(foreign.get("structuredContent").get("error").get("code").asText()).as(tool).isEqualTo("NOT_FOUND");
                assertThat(foreign.toString().replace(pair[0], "NAME")).as(tool).isEqualTo(absent.toString().replace(pair[1], "NAME"));
            }
        }
        for (String tool : List.of("listUrls", "getTopPerformingUrls", "getUrlClickLogs", "getHourlyDistribution")) {
            JsonNode r = mcpTool(tool, "{}");
            assertThat(r.get("isError").asBoolean()).as(tool + r).isFalse();
            assertThat(r.toString()).as(tool).doesNotContain("secret-a").doesNotContain(uuidA);
        }
        assertThat(server.http().get("/alpha-secret").header("Location")).isEqualTo("https://example.com/secret-a");
    }

    // --- campaigns and tags (issue 16) ---

    static final List<Probe> CAMPAIGN_PROBES = List.of(
            new Probe("GET", "/api/v1/campaigns/{x}", null),
            new Probe("PUT", "/api/v1/campaigns/{x}", "{\"name\": \"taken over\"}"),
            new Probe("PATCH", "/api/v1/campaigns/{x}", "{\"status\": \"archived\"}"),
            new Probe("DELETE", "/api/v1/campaigns/{x}", null),
            new Probe("GET", "/api/v1/campaigns/{x}/urls", null),
            new Probe("GET", "/api/v1/campaigns/{x}/analytics", null),
            new Probe("POST", "/api/v1/campaigns/{x}/urls/bravo-own", null),
            new Probe("DELETE", "/api/v1/campaigns/{x}/urls/bravo-own", null),
            // As a filter or a body field, a campaign of another workspace is as unknown as an absent one (400 naming it).
            new Probe("GET", "/api/v1/short-urls?campaign_id={x}", null),
            new Probe("GET", "/api/v1/short-urls?campaignId={x}", null),
            new Probe("GET", "/api/v1/analytics/click-details?campaign_id={x}", null),
            new Probe("GET", "/api/v1/analytics/breakdown?by=country&campaign_id={x}", null),
            new Probe("GET", "/api/v1/analytics/user-traffic-sources?campaignId={x}", null),
            new Probe("GET", "/api/v1/analytics/timeseries?campaign_id={x}", null),
            new Probe("POST", "/api/v1/short-urls", "{\"url\": \"https://example.com/b2\", \"campaign_id\": \"{x}\"}"),
            new Probe("PATCH", "/api/v1/short-urls/bravo-own", "{\"campaign_id\": \"{x}\"}"));

    @Test
    void everyWayOfNamingACampaignOfAnotherWorkspaceAnswersAsAnAbsentOne() {
        JsonNode campaignA = server.http().postJson("/api/v1/campaigns",
                Http.json(Map.of("name", "Secret Campaign A", "tags", List.of("secret-tag"))), server.admin()).json().get("data");
        server.http().postJson("/api/v1/campaigns/Secret%20Campaign%20A/urls/alpha-secret", "", server.admin());
        server.http().send("PATCH", "/api/v1/short-urls/alpha-secret", "{\"tags\": [\"secret-tag\"]}", server.admin());
        server.http().postJson("/api/v1/campaigns", Http.json(Map.of("name", "B's own")), b);
        String uuidA = campaignA.get("id").asText();
        List<String[]> names = List.of(
                new String[] {uuidA, "00000000-0000-4000-8000-000000000000"},
                new String[] {"Secret%20Campaign%20A", "Secret%20Campaign%20Z"});
        for (Probe p : CAMPAIGN_PROBES) {
            for (String[] pair : names) {
                Http.Response foreign = send(p, pair[0]);
                Http.Response absent = send(p, pair[1]);
                assertThat(foreign.status()).as(p + " " + pair[0]).isIn(400, 404);
                assertThat(foreign.body().replace(pair[0], "NAME").replace("Secret Campaign A", "NAME"))
                        .as(p + " " + pair[0]).isEqualTo(absent.body().replace(pair[1], "NAME").replace("Secret Campaign Z", "NAME"));
            }
        }
        // B's own campaign cannot take A's link, by any of its names.
        for (String[] pair : new String[][] {{"alpha-secret", "alpha-absent"}, {linkA.get("id").asText(), "00000000-0000-4000-8000-000000000000"}}) {
            Http.Response foreign = server.http().postJson("/api/v1/campaigns/B's%20own/urls/" + pair[0], "", b);
            Http.Response absent = server.http().postJson("/api/v1/campaigns/B's%20own/urls/" + pair[1], "", b);
            assertThat(foreign.status()).isEqualTo(404);
            assertThat(foreign.body()).isEqualTo(absent.body());
        }
        for (String path : List.of("/api/v1/campaigns", "/api/v1/tags", "/api/v1/short-urls?tags=secret-tag",
                "/api/v1/analytics/breakdown?by=country&tags=secret-tag")) {
            Http.Response r = server.http().get(path, b);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).doesNotContain("Secret Campaign").doesNotContain(uuidA).doesNotContain("secret-tag")
                    .doesNotContain("secret-a");
        }
        JsonNode still = server.http().get("/api/v1/campaigns/" + uuidA, server.admin()).json().get("data");
        assertThat(still.get("name").asText()).isEqualTo("Secret Campaign A");
        assertThat(still.get("status").asText()).isEqualTo("active");
        assertThat(still.get("url_count").asLong()).isEqualTo(1);
    }

    @Test
    void everyWayOfNamingADomainOfAnotherWorkspaceAnswersAsAnAbsentOne() {
        JsonNode sub = server.http().postJson("/api/v1/domains/subdomains", Http.json(Map.of("subdomain", "secret-sub")), server.admin())
                .json().get("data");
        JsonNode brand = server.http().postJson("/api/v1/domains/branded", Http.json(Map.of("domain", "secret.brand.example")), server.admin())
                .json().get("data");
        String[][] subNames = {{sub.get("id").asText(), "00000000-0000-4000-8000-000000000000"}, {"secret-sub", "absent-sub"}};
        String[][] brandNames = {{brand.get("id").asText(), "00000000-0000-4000-8000-000000000000"}, {"secret.brand.example", "absent.brand.example"}};
        List<Probe> subProbes = List.of(new Probe("DELETE", "/api/v1/domains/subdomains/{x}", null),
                new Probe("DELETE", "/api/v1/domains/subdomains/{x}?force=true", null),
                // As a link's host, another workspace's subdomain is refused like an absent one.
                new Probe("POST", "/api/v1/short-urls", "{\"url\": \"https://example.com/x\", \"subdomain\": \"{x}\"}"));
        List<Probe> brandProbes = List.of(new Probe("DELETE", "/api/v1/domains/branded/{x}", null),
                new Probe("POST", "/api/v1/domains/branded/{x}/verify", null),
                new Probe("POST", "/api/v1/short-urls", "{\"url\": \"https://example.com/x\", \"branded_domain\": \"{x}\"}"));
        for (var set : List.of(Map.entry(subProbes, subNames), Map.entry(brandProbes, brandNames))) {
            for (Probe p : set.getKey()) {
                for (String[] pair : set.getValue()) {
                    if (p.method().equals("POST") && p.path().equals("/api/v1/short-urls") && pair[0].length() == 36) {
                        continue; // a link names its host, never a domain's id
                    }
                    Http.Response foreign = send(p, pair[0]);
                    Http.Response absent = send(p, pair[1]);
                    assertThat(foreign.status()).as(p + " " + pair[0]).isIn(400, 404);
                    assertThat(foreign.body().replace(pair[0], "NAME")).as(p + " " + pair[0]).isEqualTo(absent.body().replace(pair[1], "NAME"));
                }
            }
        }
        for (String path : List.of("/api/v1/domains/subdomains", "/api/v1/domains/branded")) {
            Http.Response r = server.http().get(path, b);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).doesNotContain("secret").doesNotContain(sub.get("id").asText()).doesNotContain(brand.get("id").asText());
        }
        // Both are still A's.
        assertThat(server.http().get("/api/v1/domains/subdomains", server.admin()).body()).contains("secret-sub");
        assertThat(server.http().get("/api/v1/domains/branded", server.admin()).body()).contains("secret.brand.example");
    }

    // --- QR scans (issue 15) ---
    @Test
    void qrScansOfAnotherWorkspaceNeverShowInItsQrAnalytics() {
        Http.Response made = server.http().postJson("/api/v1/qr-codes/generate", "{\"content_type\":\"url\","
                + "\"content_data\":{\"url\":\"https://example.com/secret-scan\"},\"tracking_enabled\":true,\"name\":\"A's scanned\"}",
                server.admin());
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        JsonNode qrA = made.json().get("data").get("qrCode");
        String content = qrA.get("content").asText();
        long before = server.clickLog(null, "?limit=1").get("pagination").get("total").asLong();
        java.net.URI uri = java.net.URI.create(content);
        server.http().get(uri.getRawPath() + "?" + uri.getRawQuery());
        server.awaitClicks(null, before + 1);
        assertThat(server.http().get("/api/v1/qranalytics/recent", server.admin()).body()).contains(qrA.get("id").asText());
        for (String path : List.of("/api/v1/qranalytics/recent?limit=100", "/api/v1/qranalytics/overview", "/api/v1/qranalytics/timeline",
                "/api/v1/qranalytics/geographic", "/api/v1/qranalytics/device", "/api/v1/qranalytics/traffic",
                "/api/v1/qranalytics/top-performers", "/api/v1/analytics/click-details?trigger=qr",
                "/api/v1/analytics/breakdown?by=country&trigger=qr")) {
            Http.Response r = server.http().get(path, b);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).doesNotContain(qrA.get("id").asText()).doesNotContain("A's scanned")
                    .doesNotContain("secret-scan");
        }
        assertThat(server.http().get("/api/v1/qranalytics/overview", b).json().get("data").get("total_clicks").asLong()).isZero();
        // B's own link with the marker is no scan: the marker names no code, and never one of A's.
        String bravoLog = "/api/v1/analytics/click-details/bravo-own?limit=1";
        long bravoClicks = server.http().get(bravoLog, b).json().get("data").get("pagination").get("total").asLong();
        server.http().get("/bravo-own?_qr");
        // Stored, so the check below sees the click (recorded just after its redirect is written).
        TestServer.await(Duration.ofSeconds(20),
                () -> server.http().get(bravoLog, b).json().get("data").get("pagination").get("total").asLong() == bravoClicks + 1);
        assertThat(server.http().get("/api/v1/qranalytics/recent", b).json().get("data")).isEmpty();
    }
}
