package dev.linkpulse.smartlinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.MutableClock;
import dev.linkpulse.support.TestServer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A/B tests and conversions (issue 17, spec §6.6 and §6.9) through the real API and redirect, on both stores. */
class AbTestApiTest {

    static final String HUMAN = SmartRulesTest.WINDOWS_CHROME;

    static TestServer server;

    @BeforeAll
    static void start() {
        // Loopback is a trusted proxy: X-Forwarded-For names the visitor. The clock stands still, so a
        // visitor's variant (sticky for a UTC day) cannot change if the run crosses midnight.
        server = TestServer.start(Map.of(), new MutableClock(Instant.parse("2026-06-10T10:00:00Z")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Map<String, Object> variant(String name, String url, int weight) {
        return Map.of("name", name, "destination_url", url, "traffic_weight", weight);
    }

    private static JsonNode createTest(String code, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "Landing page", "primary_url_id", code,
                "traffic_split_mode", "weighted", "min_sample_size", 10, "conversions_enabled", true,
                "variants", List.of(variant("Control", "https://example.com/a", 70), variant("New", "https://example.com/b", 30))));
        body.putAll(extra);
        Http.Response r = server.http().postJson("/api/v1/url-ab-tests", Http.json(body), server.admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("success").asBoolean()).isTrue();
        assertThat(r.json().get("data").get("message").asText()).isNotEmpty();
        return r.json().get("data").get("test");
    }

    /** A link with conversion tracking and a running test of two equal variants, A and B. */
    private record RunningTest(String code, String id) {}

    private static RunningTest startEqualTest(int minSampleSize) {
        String code = server.createLink(Map.of("url", "https://example.com/p", "conversion_tracking", true)).get("short_code").asText();
        String id = createTest(code, Map.of("traffic_split_mode", "equal", "min_sample_size", minSampleSize,
                "variants", List.of(variant("A", "https://example.com/a", 0), variant("B", "https://example.com/b", 0)))).get("id").asText();
        act(id, "start", null);
        return new RunningTest(code, id);
    }

    private static JsonNode act(String testId, String action, String body) {
        Http.Response r = server.http().send("POST", "/api/v1/url-ab-tests/" + testId + "/" + action, body, server.admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("data").get("test");
    }

    private static String visit(String code, String ip) {
        Http.Response r = server.http().get("/" + code, "User-Agent", HUMAN, "X-Forwarded-For", ip);
        assertThat(r.status()).as(r.body()).isIn(301, 302);
        return r.header("Location");
    }

    @Test
    void aRunningTestSplitsStickyPerVisitorPauseSendsToThePrimaryAndCompletePointsAtTheWinner() {
        String code = server.createLink(Map.of("url", "https://example.com/primary")).get("short_code").asText();
        JsonNode test = createTest(code, Map.of());
        String id = test.get("id").asText();
        assertThat(test.get("status").asText()).isEqualTo("draft");
        assertThat(test.get("traffic_split_mode").asText()).isEqualTo("weighted");
        assertThat(test.get("confidence_level").asInt()).isEqualTo(95);
        assertThat(test.get("variants")).hasSize(2);
        String variantA = test.get("variants").get(0).get("id").asText();
        String variantB = test.get("variants").get(1).get("id").asText();

        // A draft does not change the redirect.
        assertThat(visit(code, "192.0.2.1")).isEqualTo("https://example.com/primary");
        assertThat(act(id, "start", null).get("status").asText()).isEqualTo("running");

        int visitors = 200;
        int toB = 0;
        for (int i = 0; i < visitors; i++) {
            String ip = "198.51." + (i / 250) + "." + (i % 250 + 1);
            String first = visit(code, ip);
            assertThat(first).isIn("https://example.com/a", "https://example.com/b");
            assertThat(visit(code, ip)).as("sticky for %s", ip).isEqualTo(first);
            if (first.endsWith("/b")) {
                toB++;
            }
        }
        // 30 % of 200 is 60; a binomial spread of 6.5, so 30..90 fails only by a broken split.
        assertThat(toB).isBetween(30, 90);

        // Clicks record their variant; the results count them.
        server.awaitClicks(code, 1 + 2L * visitors);
        server.awaitRecorderIdle();
        JsonNode log = server.clickLog(code, "?limit=5").get("data");
        assertThat(log.get(0).get("variant_id").asText()).isIn(variantA, variantB);
        JsonNode results = server.http().get("/api/v1/url-ab-tests/" + id + "/results", server.admin()).json().get("data");
        assertThat(results.get("sample_size_reached").asBoolean()).isTrue();
        JsonNode rows = results.get("variants");
        assertThat(rows.get(0).get("clicks").asLong() + rows.get(1).get("clicks").asLong()).isEqualTo(2L * visitors);
        assertThat(rows.get(1).get("uniques").asLong()).isEqualTo(toB);
        assertThat(rows.get(1).get("clicks").asLong()).isEqualTo(2L * toB);
        assertThat(rows.get(0).get("is_control").asBoolean()).isTrue();

        // Pause: the primary destination again (the plain redirect).
        assertThat(act(id, "pause", null).get("status").asText()).isEqualTo("paused");
        assertThat(visit(code, "198.51.0.1")).isEqualTo("https://example.com/primary");
        // Start again, then complete with a named winner: the link points at it for good.
        act(id, "start", null);
        JsonNode done = act(id, "complete", Http.json(Map.of("winner_variant_id", variantB)));
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.get("winner_variant_id").asText()).isEqualTo(variantB);
        assertThat(done.get("end_date").isNull()).isFalse();
        assertThat(visit(code, "198.51.0.1")).isEqualTo("https://example.com/b");
        assertThat(visit(code, "198.51.0.2")).isEqualTo("https://example.com/b");
        assertThat(server.http().get("/api/v1/short-urls/" + code, server.admin()).json().get("data").get("original_url").asText())
                .isEqualTo("https://example.com/b");
        // A completed test cannot run again.
        assertThat(server.http().send("POST", "/api/v1/url-ab-tests/" + id + "/start", null, server.admin()).status()).isEqualTo(409);
        // The short code names the link's test too; the list holds it.
        assertThat(server.http().get("/api/v1/url-ab-tests/" + code, server.admin()).json().get("data").get("test").get("id").asText())
                .isEqualTo(id);
        JsonNode list = server.http().get("/api/v1/url-ab-tests?limit=100", server.admin()).json().get("data");
        assertThat(list.get("tests").findValuesAsText("id")).contains(id);
    }

    @Test
    void conversionsTieToTheClickAreIdempotentByExternalIdAndCountPerVariant() {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/shop?x=1", "conversion_tracking", true));
        assertThat(link.get("conversion_tracking").asBoolean()).isTrue();
        String code = link.get("short_code").asText();
        String location = visit(code, "203.0.113.50");
        assertThat(location).startsWith("https://example.com/shop?x=1&lp_click_id=");
        String clickId = location.substring(location.indexOf("lp_click_id=") + "lp_click_id=".length());
        server.awaitClicks(code, 1);
        assertThat(server.clickLog(code, "").get("data").get(0).get("id").asText()).isEqualTo(clickId);

        Http.Response first = server.http().postJson("/api/v1/conversions",
                Http.json(Map.of("click_id", clickId, "event", "sale", "amount", 19.99, "currency", "eur", "external_id", "order-1")),
                server.admin());
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        JsonNode conversion = first.json().get("data").get("conversion");
        assertThat(conversion.get("short_url_id").asText()).isEqualTo(link.get("id").asText());
        assertThat(conversion.get("amount").decimalValue()).isEqualByComparingTo("19.99");
        assertThat(conversion.get("currency").asText()).isEqualTo("EUR");
        Http.Response again = server.http().postJson("/api/v1/conversions",
                Http.json(Map.of("click_id", clickId, "event", "sale", "external_id", "order-1")), server.admin());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("data").get("conversion").get("id").asText()).isEqualTo(conversion.get("id").asText());

        // Another workspace cannot tie a conversion to this click.
        String other = server.createKey("conv-other", "read,write", "conv-elsewhere");
        Http.Response foreign = server.http().postJson("/api/v1/conversions", Http.json(Map.of("click_id", clickId, "event", "lead")),
                "Authorization", "Bearer " + other);
        assertThat(foreign.status()).isEqualTo(404);
        // A key without write may not record one.
        String reader = server.createKey("conv-reader", "read,analytics", null);
        assertThat(server.http().postJson("/api/v1/conversions", Http.json(Map.of("click_id", clickId, "event", "lead")),
                "Authorization", "Bearer " + reader).status()).isEqualTo(403);
    }

    @Test
    void resultsCountConversionsPerVariantAndTestSignificance() {
        RunningTest running = startEqualTest(1);
        String code = running.code();
        String id = running.id();
        Map<String, List<String>> clicksByVariant = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            String location = visit(code, "192.0.2." + (i + 10));
            String clickId = location.substring(location.indexOf("lp_click_id=") + 12);
            clicksByVariant.computeIfAbsent(location.contains("/a?") ? "a" : "b", k -> new java.util.ArrayList<>()).add(clickId);
        }
        server.awaitClicks(code, 40);
        List<String> bClicks = clicksByVariant.get("b");
        for (String clickId : bClicks) {
            assertThat(server.http().postJson("/api/v1/conversions", Http.json(Map.of("click_id", clickId, "event", "signup")),
                    server.admin()).status()).isEqualTo(201);
        }
        JsonNode rows = server.http().get("/api/v1/url-ab-tests/" + id + "/results", server.admin()).json().get("data").get("variants");
        assertThat(rows.get(0).get("conversions").asLong()).isZero();
        assertThat(rows.get(1).get("conversions").asLong()).isEqualTo(bClicks.size());
        assertThat(rows.get(1).get("conversion_rate").asDouble()).isEqualTo(100.0);
        assertThat(rows.get(1).get("p_value").asDouble()).isLessThan(0.05);
        assertThat(rows.get(1).get("significant").asBoolean()).isTrue();
        // Completing without a winner picks the best variant.
        JsonNode done = act(id, "complete", null);
        assertThat(done.get("winner_variant_id").asText()).isEqualTo(rows.get(1).get("variant_id").asText());
    }

    private static String clickIdOf(String location) {
        return location.substring(location.indexOf("lp_click_id=") + "lp_click_id=".length());
    }

    private static void convert(String clickId, String event) {
        Http.Response r = server.http().postJson("/api/v1/conversions", Http.json(Map.of("click_id", clickId, "event", event)),
                server.admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private static JsonNode results(String testId) {
        Http.Response r = server.http().get("/api/v1/url-ab-tests/" + testId + "/results", server.admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("data");
    }

    @Test
    void theRateIsOfConvertedClicksOfTheVariantsHumanClicks() {
        String code = server.createLink(Map.of("url", "https://example.com/p", "conversion_tracking", true)).get("short_code").asText();
        // All traffic to the control: its clicks are known exactly.
        String id = createTest(code, Map.of("min_sample_size", 1,
                "variants", List.of(variant("A", "https://example.com/a", 100), variant("B", "https://example.com/b", 0)))).get("id").asText();
        act(id, "start", null);
        String threeTimes = clickIdOf(visit(code, "192.0.2.201"));
        visit(code, "192.0.2.202"); // a click that never converts
        // A robot's click gets the variant and lp_click_id too, but is no human click of the variant.
        Http.Response robot = server.http().get("/" + code, "User-Agent", ClickLimitTest.GOOGLEBOT, "X-Forwarded-For", "192.0.2.203");
        assertThat(robot.status()).isEqualTo(302);
        assertThat(robot.header("Location")).startsWith("https://example.com/a?lp_click_id=");
        String robotClick = clickIdOf(robot.header("Location"));
        // A click while the test is paused belongs to no variant.
        act(id, "pause", null);
        String paused = clickIdOf(visit(code, "192.0.2.204"));
        act(id, "start", null);
        server.awaitClicks(code, 4);
        convert(threeTimes, "lead");
        convert(threeTimes, "signup");
        convert(threeTimes, "sale");
        convert(robotClick, "sale");
        convert(paused, "sale");

        JsonNode rows = results(id).get("variants");
        JsonNode a = rows.get(0);
        assertThat(a.get("clicks").asLong()).isEqualTo(2);
        assertThat(a.get("conversions").asLong()).as("conversion events of the human clicks").isEqualTo(3);
        assertThat(a.get("converted_clicks").asLong()).isEqualTo(1);
        // One of two clicks converted (three times): 50 %, not 3 / 2 = 150 %.
        assertThat(a.get("conversion_rate").asDouble()).isEqualTo(50.0);
        JsonNode b = rows.get(1);
        assertThat(b.get("clicks").asLong()).isZero();
        assertThat(b.get("conversions").asLong()).isZero();
        assertThat(b.get("converted_clicks").asLong()).isZero();
        assertThat(b.get("conversion_rate").asDouble()).isZero();
        assertThat(b.get("p_value").isNull()).as("B has fewer than min_sample_size clicks").isTrue();
    }

    @Test
    void thePValueIsTheZTestOfConvertedClickProportions() {
        RunningTest running = startEqualTest(20);
        String code = running.code();
        String id = running.id();
        // New visitors until both variants have one; then each variant's known visitor again (the
        // variant is sticky for the day) until both have exactly 20 clicks.
        int perVariant = 20;
        Map<String, List<String>> clicks = new HashMap<>(Map.of("a", new java.util.ArrayList<>(), "b", new java.util.ArrayList<>()));
        Map<String, String> visitorOf = new HashMap<>();
        for (int i = 0; visitorOf.size() < 2; i++) {
            String ip = "198.51.100." + (i + 1);
            String location = visit(code, ip);
            String v = location.startsWith("https://example.com/a?") ? "a" : "b";
            clicks.get(v).add(clickIdOf(location));
            visitorOf.putIfAbsent(v, ip);
        }
        for (String v : List.of("a", "b")) {
            assertThat(clicks.get(v)).as("new visitors all went to %s (chance 2^-20)", v).hasSizeLessThanOrEqualTo(perVariant);
            while (clicks.get(v).size() < perVariant) {
                String location = visit(code, visitorOf.get(v));
                assertThat(location).as("sticky").startsWith("https://example.com/" + v + "?");
                clicks.get(v).add(clickIdOf(location));
            }
        }
        server.awaitClicks(code, 2L * perVariant);
        // A: 4 of 20 clicks converted, one of them three times (6 events). B: 10 of 20, one twice (11 events).
        List<String> a = clicks.get("a");
        convert(a.get(0), "lead");
        convert(a.get(0), "signup");
        convert(a.get(0), "sale");
        for (int i = 1; i < 4; i++) {
            convert(a.get(i), "sale");
        }
        List<String> b = clicks.get("b");
        convert(b.get(0), "lead");
        for (int i = 0; i < 10; i++) {
            convert(b.get(i), "sale");
        }

        JsonNode results = results(id);
        assertThat(results.get("sample_size_reached").asBoolean()).isTrue();
        JsonNode ra = results.get("variants").get(0);
        JsonNode rb = results.get("variants").get(1);
        assertThat(ra.get("clicks").asLong()).isEqualTo(20);
        assertThat(rb.get("clicks").asLong()).isEqualTo(20);
        assertThat(ra.get("conversions").asLong()).isEqualTo(6);
        assertThat(rb.get("conversions").asLong()).isEqualTo(11);
        assertThat(ra.get("converted_clicks").asLong()).isEqualTo(4);
        assertThat(rb.get("converted_clicks").asLong()).isEqualTo(10);
        assertThat(ra.get("conversion_rate").asDouble()).isEqualTo(20.0);
        assertThat(rb.get("conversion_rate").asDouble()).isEqualTo(50.0);
        assertThat(rb.get("uplift").asDouble()).isEqualTo(150.0); // (0.50 - 0.20) / 0.20

        // By hand: pA = 4/20, pB = 10/20, pooled p = 14/40,
        // SE = sqrt(p (1 - p) (1/20 + 1/20)) = 0.150831, z = |pB - pA| / SE = 1.988981, two-sided P = 2 (1 - Phi(z)) = 0.046703.
        double pA = 4.0 / 20;
        double pB = 10.0 / 20;
        double pooled = 14.0 / 40;
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / 20 + 1.0 / 20));
        double z = Math.abs(pB - pA) / se;
        double expected = 2 * (1 - standardNormalCdf(z));
        assertThat(expected).isCloseTo(0.046703, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(rb.get("p_value").asDouble()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(rb.get("significant").asBoolean()).as("p < 0.05 at confidence_level 95").isTrue();
        assertThat(ra.get("p_value").isNull()).as("the control has no p-value").isTrue();
    }

    /** Phi(z) for z >= 0 by Simpson's rule over the standard normal density (independent of the server's approximation). */
    private static double standardNormalCdf(double z) {
        int n = 10_000; // even
        double h = z / n;
        double sum = density(0) + density(z);
        for (int i = 1; i < n; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * density(i * h);
        }
        return 0.5 + sum * h / 3;
    }

    private static double density(double x) {
        return Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    }

    private static void assertRefused(Map<String, Object> body, String field) {
        Http.Response r = server.http().postJson("/api/v1/url-ab-tests", Http.json(body), server.admin());
        assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(400);
        assertThat(r.json().get("error").get("details").get("field").asText()).isEqualTo(field);
    }

    @Test
    void badTestsAreRefusedNamingTheField() {
        String code = server.createLink(Map.of("url", "https://example.com/p")).get("short_code").asText();
        Map<String, Object> a = variant("A", "https://example.com/a", 50);
        assertRefused(Map.of("name", "t", "primary_url_id", code, "variants", List.of(a)), "variants");
        assertRefused(Map.of("name", "t", "primary_url_id", code, "traffic_split_mode", "weighted",
                "variants", List.of(a, variant("B", "https://example.com/b", 40))), "variants");
        assertRefused(Map.of("name", "t", "primary_url_id", code, "variants",
                List.of(a, Map.of("name", "B", "destination_url", "javascript:alert(1)"))), "variants[1].destination_url");
        assertRefused(Map.of("name", "t", "primary_url_id", code, "variants", List.of(a, a), "colour", "red"), "colour");
        assertRefused(Map.of("name", "t", "primary_url_id", "no-such-link", "variants", List.of(a, a)), "primary_url_id");
        assertRefused(Map.of("primary_url_id", code, "variants", List.of(a, a)), "name");
        assertRefused(Map.of("name", "t", "primary_url_id", code, "confidence_level", 101, "variants", List.of(a, a)), "confidence_level");
        assertRefused(Map.of("name", "t", "primary_url_id", code, "traffic_split_mode", "random", "variants", List.of(a, a)),
                "traffic_split_mode");
    }
}
