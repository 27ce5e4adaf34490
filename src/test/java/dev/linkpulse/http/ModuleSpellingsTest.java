package dev.linkpulse.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * jmpy's spellings (spec §6.1) on every endpoint of the modules that takes a body: campaigns,
 * domains, A/B tests, smart-link rules, conversions, webhooks and QR codes. Each camelCase spelling
 * does what its snake_case field does (checked in the answer), and a field that is neither is a
 * 400 {@code VALIDATION_ERROR} naming it, nested fields by their path.
 */
class ModuleSpellingsTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(Setting.BASE_URL, "https://lnk.example.com", Setting.WEBHOOK_ALLOW_PRIVATE, "true"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http.Response send(String method, String path, Object body) {
        return server.http().send(method, path, body == null ? null : Http.json(body), server.admin());
    }

    private static JsonNode ok(Http.Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        return r.json().get("data");
    }

    private static void assertRefused(Http.Response r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        JsonNode j = r.json();
        assertThat(j.get("error").get("code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(j.get("error").get("details").get("field").asText()).isEqualTo(field);
        assertThat(j.get("error").get("message").asText()).contains(field);
        assertThat(j.get("message").asText()).isEqualTo(j.get("error").get("message").asText());
    }

    private static Map<String, Object> body(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void campaigns() {
        JsonNode c = ok(send("POST", "/api/v1/campaigns", body("name", "Spelled", "startDate", "2030-01-01", "endDate", "2030-01-31")), 201);
        assertThat(c.get("start_date").asText()).isEqualTo("2030-01-01T00:00:00.000Z");
        assertThat(c.get("end_date").asText()).isEqualTo("2030-01-31T23:59:59.999Z");
        assertRefused(send("POST", "/api/v1/campaigns", body("name", "Other", "colour", "red")), "colour");
        String path = "/api/v1/campaigns/" + c.get("id").asText();
        server.createLink(Map.of("url", "https://example.com/c", "custom_alias", "spelled-camp"));
        assertRefused(send("POST", path + "/urls/spelled-camp", body("shortUrlId", "spelled-camp")), "shortUrlId");
        assertThat(ok(send("POST", path + "/urls/spelled-camp", null), 200).get("campaign_id").asText()).isEqualTo(c.get("id").asText());
        for (String method : List.of("PUT", "PATCH")) {
            JsonNode u = ok(send(method, path, body("startDate", "2030-02-01", "endDate", "2030-02-28")), 200);
            assertThat(u.get("start_date").asText()).isEqualTo("2030-02-01T00:00:00.000Z");
            assertThat(u.get("end_date").asText()).isEqualTo("2030-02-28T23:59:59.999Z");
            assertRefused(send(method, path, body("description", "x", "startsAt", "2030-01-01")), "startsAt");
        }
    }

    @Test
    void domains() {
        // Their fields (subdomain, domain, name, description) have one spelling: only the unknown field to refuse.
        ok(send("POST", "/api/v1/domains/subdomains", body("subdomain", "spelled", "name", "n", "description", "d")), 201);
        assertRefused(send("POST", "/api/v1/domains/subdomains", body("subdomain", "spelled-two", "fullDomain", "x")), "fullDomain");
        String brand = ok(send("POST", "/api/v1/domains/branded", body("domain", "go.spelled.example", "name", "n", "description", "d")),
                201).get("id").asText();
        assertRefused(send("POST", "/api/v1/domains/branded/" + brand + "/verify", body("force", true)), "force");
        assertRefused(send("POST", "/api/v1/domains/branded", body("domain", "go.other.example", "isVerified", true)), "isVerified");
    }

    private static Map<String, Object> abTest(String link, Object... more) {
        Map<String, Object> b = body("name", "Spelled test", "primaryUrlId", link, "trafficSplitMode", "weighted", "minSampleSize", 250,
                "confidenceLevel", 90, "conversionsEnabled", true, "variants", List.of(
                        body("name", "A", "destinationUrl", "https://example.com/a", "trafficWeight", 70),
                        body("name", "B", "destinationUrl", "https://example.com/b", "trafficWeight", 30)));
        b.putAll(body(more));
        return b;
    }

    @Test
    void abTests() {
        String link = server.createLink(Map.of("url", "https://example.com/ab", "custom_alias", "spelled-ab")).get("id").asText();
        JsonNode t = ok(send("POST", "/api/v1/url-ab-tests", abTest("spelled-ab")), 201).get("test");
        assertThat(t.get("primary_url_id").asText()).isEqualTo(link);
        assertThat(t.get("traffic_split_mode").asText()).isEqualTo("weighted");
        assertThat(t.get("min_sample_size").asInt()).isEqualTo(250);
        assertThat(t.get("confidence_level").asInt()).isEqualTo(90);
        assertThat(t.get("conversions_enabled").asBoolean()).isTrue();
        assertThat(t.get("variants").findValuesAsText("destination_url")).containsExactly("https://example.com/a", "https://example.com/b");
        assertThat(t.get("variants").findValues("traffic_weight")).extracting(JsonNode::asInt).containsExactly(70, 30);

        assertRefused(send("POST", "/api/v1/url-ab-tests", abTest("spelled-ab", "colour", "red")), "colour");
        Map<String, Object> nested = abTest("spelled-ab");
        nested.put("variants", List.of(body("name", "A", "destinationUrl", "https://example.com/a", "trafficWeight", 100, "weight", 1),
                body("name", "B", "destinationUrl", "https://example.com/b", "trafficWeight", 0)));
        assertRefused(send("POST", "/api/v1/url-ab-tests", nested), "variants[0].weight");
        // Both spellings, disagreeing: refused by the field's name.
        assertRefused(send("POST", "/api/v1/url-ab-tests", abTest("spelled-ab", "primary_url_id", "another")), "primary_url_id");

        String path = "/api/v1/url-ab-tests/" + t.get("id").asText();
        // Actions take no body: one with a field is refused, not ignored; an empty object is no field.
        assertRefused(send("POST", path + "/start", body("winnerVariantId", "x")), "winnerVariantId");
        ok(send("POST", path + "/start", body()), 200);
        assertRefused(send("POST", path + "/pause", body("reason", "x")), "reason");
        ok(send("POST", path + "/pause", null), 200);
        ok(send("POST", path + "/start", null), 200);
        assertRefused(send("POST", path + "/complete", body("winner", "x")), "winner");
        String b = t.get("variants").get(1).get("id").asText();
        JsonNode done = ok(send("POST", path + "/complete", body("winnerVariantId", b)), 200).get("test");
        assertThat(done.get("winner_variant_id").asText()).isEqualTo(b);
    }

    @Test
    void rules() {
        server.createLink(Map.of("url", "https://example.com/desk", "custom_alias", "spelled-rules"));
        String path = "/api/v1/short-urls/spelled-rules/rules";
        JsonNode r = ok(send("PUT", path, body("rules", List.of(body("destinationUrl", "https://example.com/de",
                "conditions", List.of(body("type", "country", "value", "DE")))))), 200);
        assertThat(r.get("rules").get(0).get("destination_url").asText()).isEqualTo("https://example.com/de");
        assertRefused(send("PUT", path, body("rules", List.of(), "enabled", true)), "enabled");
        assertRefused(send("PUT", path, body("rules", List.of(body("destinationUrl", "https://example.com/de", "priority", 1,
                "conditions", List.of(body("type", "country", "value", "DE")))))), "rules[0].priority");
        assertRefused(send("PUT", path, body("rules", List.of(body("destinationUrl", "https://example.com/de",
                "conditions", List.of(body("type", "country", "value", "DE", "operator", "eq")))))), "rules[0].conditions[0].operator");
    }

    @Test
    void conversions() {
        String code = server.createLink(Map.of("url", "https://example.com/conv")).get("short_code").asText();
        server.http().get("/" + code);
        server.awaitClicks(code, 1);
        String click = server.clickLog(code, "?limit=1").get("data").get(0).get("id").asText();
        JsonNode c = ok(send("POST", "/api/v1/conversions", body("clickId", click, "event", "signup", "externalId", "ext-1")), 201)
                .get("conversion");
        assertThat(c.get("click_id").asText()).isEqualTo(click);
        assertThat(c.get("external_id").asText()).isEqualTo("ext-1");
        assertRefused(send("POST", "/api/v1/conversions", body("clickId", click, "event", "signup", "value", 3)), "value");
    }

    @Test
    void webhooks() {
        server.createLink(Map.of("url", "https://example.com/hook", "custom_alias", "spelled-hook"));
        JsonNode w = ok(send("POST", "/api/v1/webhooks/subscriptions", body("eventType", "link.clicked",
                "targetUrl", "http://127.0.0.1:9/hook", "shortCode", "spelled-hook")), 201);
        assertThat(w.get("event_type").asText()).isEqualTo("link.clicked");
        assertThat(w.get("target_url").asText()).isEqualTo("http://127.0.0.1:9/hook");
        assertThat(w.get("short_code").asText()).isEqualTo("spelled-hook");
        assertRefused(send("POST", "/api/v1/webhooks/subscriptions", body("eventType", "link.clicked",
                "targetUrl", "http://127.0.0.1:9/hook", "secret", "mine")), "secret");
    }

    @Test
    void qrCodes() {
        JsonNode q = ok(send("POST", "/api/v1/qr-codes/generate", body("contentType", "url", "contentData", body("url", "https://example.com/q"),
                "visualSettings", body("foreground_color", "#112233", "background_color", "#FFFFFF", "error_correction_level", "H"),
                "isDynamic", true, "trackingEnabled", true, "expiresAt", "2099-01-01T00:00:00.000Z")), 201).get("qrCode");
        assertThat(q.get("content_type").asText()).isEqualTo("url");
        assertThat(q.get("is_dynamic").asBoolean()).isTrue();
        assertThat(q.get("tracking_enabled").asBoolean()).isTrue();
        assertThat(q.get("expires_at").asText()).isEqualTo("2099-01-01T00:00:00.000Z");
        assertThat(q.get("visual_settings").get("foregroundColor").asText()).isEqualToIgnoringCase("#112233");
        assertThat(q.get("visual_settings").get("errorCorrectionLevel").asText()).isEqualTo("H");
        assertRefused(send("POST", "/api/v1/qr-codes/generate", body("contentType", "text", "contentData", body("text", "x"),
                "colour", "red")), "colour");
        assertRefused(send("POST", "/api/v1/qr-codes/generate", body("contentType", "text", "contentData", body("text", "x"),
                "visualSettings", body("shape", "round"))), "visual_settings.shape");

        String path = "/api/v1/qr-codes/" + q.get("id").asText();
        JsonNode u = ok(send("PUT", path, body("contentData", body("url", "https://example.com/q2"), "trackingEnabled", false,
                "expiresAt", "2098-01-01T00:00:00.000Z")), 200).get("qrCode");
        assertThat(u.get("tracking_enabled").asBoolean()).isFalse();
        assertThat(u.get("expires_at").asText()).isEqualTo("2098-01-01T00:00:00.000Z");
        assertThat(u.get("content_data").get("url").asText()).isEqualTo("https://example.com/q2");
        assertRefused(send("PUT", path, body("name", "x", "colour", "red")), "colour");
    }
}
