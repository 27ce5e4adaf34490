package dev.linkpulse.events.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.MutableClock;
import dev.linkpulse.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Webhooks end to end: a real server delivering to a real HTTP receiver on 127.0.0.1. */
class WebhooksTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Map<Setting, String> SETTINGS = Map.of(Setting.WEBHOOK_ALLOW_PRIVATE, "true", Setting.WEBHOOK_RETRY, "200ms,2s,24h");
    static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(SETTINGS);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode subscribe(TestServer s, Map<String, ?> body) {
        Http.Response r = s.http().postJson("/api/v1/webhooks/subscriptions", Http.json(body), s.admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("data");
    }

    static void click(TestServer s, String code, String ip) {
        Http.Response r = s.http().get("/" + code, "User-Agent", UA, "X-Forwarded-For", ip);
        assertThat(r.status()).as(r.body()).isIn(301, 302);
    }

    static JsonNode deliveries(TestServer s, String subscriptionId) {
        Http.Response r = s.http().get("/api/v1/webhooks/subscriptions/" + subscriptionId + "/deliveries?limit=100", s.admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("data");
    }

    static JsonNode subscription(TestServer s, String id) {
        Http.Response r = s.http().get("/api/v1/webhooks/subscriptions/" + id, s.admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("data");
    }

    static JsonNode json(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void clicksOfTheSubscribedLinkArriveSignedInJmpysShape() {
        server.createLink(Map.of("url", "https://example.com/a", "custom_alias", "wh-a"));
        server.createLink(Map.of("url", "https://example.com/b", "custom_alias", "wh-b"));
        try (Receiver receiver = new Receiver()) {
            JsonNode sub = subscribe(server, Map.of("event_type", "link.clicked", "target_url", receiver.url("/hook"), "short_code", "wh-a"));
            String secret = sub.get("secret").asText();
            assertThat(secret).startsWith("whsec_");
            assertThat(sub.get("short_code").asText()).isEqualTo("wh-a");

            click(server, "wh-a", "81.2.69.142");
            click(server, "wh-b", "81.2.69.142");
            click(server, "wh-a", "81.2.69.160");
            try {
                TestServer.await(Duration.ofSeconds(60), () -> receiver.accepted().size() >= 2);
            } catch (AssertionError e) {
                throw new AssertionError("not delivered: received=" + receiver.received + " deliveries=" + deliveries(server, sub.get("id").asText())
                        + " health=" + server.http().get("/health").body() + " log=" + server.clickLog(null, "?limit=5"), e);
            }
            server.awaitClicks(null, 3);

            Set<String> clickIds = new HashSet<>();
            for (JsonNode c : server.clickLog("wh-a", "").get("data")) {
                clickIds.add(c.get("id").asText());
            }
            Set<String> delivered = new HashSet<>();
            for (Receiver.Received r : receiver.accepted()) {
                assertThat(r.signature()).isEqualTo(WebhookSignature.sign(secret, r.id(), Long.parseLong(r.timestamp()), r.body()));
                assertThat(Math.abs(Long.parseLong(r.timestamp()) - System.currentTimeMillis() / 1000)).isLessThan(60);
                JsonNode body = json(r.body());
                assertThat(body.fieldNames()).toIterable().containsExactly("event_id", "event", "subscription_id", "timestamp", "data");
                assertThat(body.get("event").asText()).isEqualTo("link.clicked");
                assertThat(body.get("subscription_id").asText()).isEqualTo(sub.get("id").asText());
                assertThat(body.get("data").get("short_code").asText()).isEqualTo("wh-a");
                assertThat(body.get("data").get("original_url").asText()).isEqualTo("https://example.com/a");
                delivered.add(body.get("data").get("id").asText());
            }
            assertThat(delivered).isEqualTo(clickIds).hasSize(2);

            // The delivery log: both delivered with 204, nothing for the other link.
            TestServer.await(Duration.ofSeconds(10), () -> deliveries(server, sub.get("id").asText()).get("pagination").get("total").asInt() == 2
                    && subscription(server, sub.get("id").asText()).get("deliveries").get("delivered").asInt() == 2);
            for (JsonNode d : deliveries(server, sub.get("id").asText()).get("deliveries")) {
                assertThat(d.get("status").asText()).isEqualTo("delivered");
                assertThat(d.get("last_status_code").asInt()).isEqualTo(204);
                assertThat(d.get("attempts").asInt()).isEqualTo(1);
            }
            // The secret is shown once: never in the list or the object.
            assertThat(server.http().get("/api/v1/webhooks/subscriptions", server.admin()).body()).doesNotContain(secret).doesNotContain("whsec_");
        }
    }

    @Test
    void uniqueIsTheVisitorsFirstClickOnTheLinkThatDay() {
        server.createLink(Map.of("url", "https://example.com/u", "custom_alias", "wh-u"));
        try (Receiver receiver = new Receiver()) {
            JsonNode all = subscribe(server, Map.of("event_type", "link.clicked", "target_url", receiver.url("/all"), "short_code", "wh-u"));
            JsonNode unique = subscribe(server, Map.of("event_type", "link.clicked.unique", "target_url", receiver.url("/unique"),
                    "short_code", "wh-u"));
            for (int i = 0; i < 3; i++) {
                click(server, "wh-u", "81.2.69.142");
            }
            click(server, "wh-u", "89.160.20.112"); // another visitor, and another masked IP
            click(server, "wh-u", "89.160.20.112");
            TestServer.await(Duration.ofSeconds(60), () -> subscription(server, all.get("id").asText()).get("deliveries").get("delivered").asInt() == 5);
            TestServer.await(Duration.ofSeconds(10), () -> subscription(server, unique.get("id").asText()).get("deliveries").get("pending").asInt() == 0);
            List<JsonNode> uniques = receiver.accepted().stream().map(r -> json(r.body()))
                    .filter(b -> b.get("event").asText().equals("link.clicked.unique")).toList();
            assertThat(uniques).hasSize(2);
            assertThat(uniques).allSatisfy(b -> assertThat(b.get("data").get("is_unique").asBoolean()).isTrue());
            // The first click of each visitor, by the click log's storage order (oldest first).
            JsonNode log = server.clickLog("wh-u", "").get("data");
            Map<String, String> firstByIp = new HashMap<>();
            for (int i = log.size() - 1; i >= 0; i--) {
                firstByIp.putIfAbsent(log.get(i).get("ip_address").asText(), log.get(i).get("id").asText());
            }
            assertThat(uniques.stream().map(b -> b.get("data").get("id").asText()).toList())
                    .containsExactlyInAnyOrderElementsOf(firstByIp.values());
        }
    }

    @Test
    void linkCreatedArrivesForTheWorkspacesNewLinks() {
        try (Receiver receiver = new Receiver()) {
            JsonNode sub = subscribe(server, Map.of("event_type", "link.created", "target_url", receiver.url("/created")));
            JsonNode link = server.createLink(Map.of("url", "https://example.com/new", "custom_alias", "wh-created"));
            TestServer.await(Duration.ofSeconds(60), () -> receiver.accepted().stream()
                    .anyMatch(r -> json(r.body()).get("data").get("id").asText().equals(link.get("id").asText())));
            JsonNode body = receiver.accepted().stream().map(r -> json(r.body()))
                    .filter(b -> b.get("data").get("id").asText().equals(link.get("id").asText())).findFirst().orElseThrow();
            assertThat(body.get("event").asText()).isEqualTo("link.created");
            assertThat(body.get("subscription_id").asText()).isEqualTo(sub.get("id").asText());
            assertThat(body.get("data").get("short_code").asText()).isEqualTo("wh-created");
        }
    }

    /**
     * The receiver is down for 30 s, then answers 503 once to every message, then 204: every event
     * arrives, and every retry of a message carries the same webhook-id and the same body.
     */
    @Test
    void receiverDownFor30SecondsThenUpGetsEveryEventWithTheSameIdOnRetries() throws Exception {
        server.createLink(Map.of("url", "https://example.com/down", "custom_alias", "wh-down"));
        try (Receiver receiver = new Receiver()) {
            Map<String, Boolean> refusedOnce = new ConcurrentHashMap<>();
            receiver.answer(r -> refusedOnce.putIfAbsent(r.id(), true) == null ? 503 : 204);
            JsonNode sub = subscribe(server, Map.of("event_type", "link.clicked", "target_url", receiver.url("/down"), "short_code", "wh-down"));
            String subId = sub.get("id").asText();
            receiver.down();
            for (int i = 0; i < 5; i++) {
                click(server, "wh-down", "81.2.69." + (140 + i));
            }
            long downSince = System.nanoTime();
            TestServer.await(Duration.ofSeconds(60), () -> deliveries(server, subId).get("pagination").get("total").asInt() == 5);
            Thread.sleep(Math.max(0, 30_000 - (System.nanoTime() - downSince) / 1_000_000));
            JsonNode whileDown = deliveries(server, subId);
            for (JsonNode d : whileDown.get("deliveries")) {
                assertThat(d.get("status").asText()).isEqualTo("pending");
                assertThat(d.get("attempts").asInt()).as("retried while down").isGreaterThanOrEqualTo(3);
                assertThat(d.get("last_status_code").isNull()).isTrue();
                assertThat(d.get("last_error").asText()).contains("connection failed");
            }
            assertThat(subscription(server, subId).get("status").asText()).isEqualTo("failing");
            assertThat(receiver.received).isEmpty();

            receiver.up();
            TestServer.await(Duration.ofSeconds(30), () -> receiver.accepted().size() == 5);
            Map<String, Set<String>> bodiesById = new HashMap<>();
            for (Receiver.Received r : receiver.received) {
                bodiesById.computeIfAbsent(r.id(), k -> new HashSet<>()).add(r.body());
                assertThat(r.signature()).isEqualTo(WebhookSignature.sign(sub.get("secret").asText(), r.id(),
                        Long.parseLong(r.timestamp()), r.body()));
            }
            assertThat(bodiesById).hasSize(5);
            assertThat(bodiesById.values()).allSatisfy(bodies -> assertThat(bodies).hasSize(1));
            assertThat(receiver.seenById.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(2));
            Set<String> clickIds = new HashSet<>();
            receiver.accepted().forEach(r -> clickIds.add(json(r.body()).get("data").get("id").asText()));
            assertThat(clickIds).hasSize(5);
            TestServer.await(Duration.ofSeconds(10), () -> subscription(server, subId).get("status").asText().equals("active"));
        }
    }

    @Test
    void aRestartInTheMiddleOfRetriesStillDelivers() {
        try (TestServer s = TestServer.start(SETTINGS); Receiver receiver = new Receiver()) {
            s.createLink(Map.of("url", "https://example.com/r", "custom_alias", "wh-restart"));
            JsonNode sub = subscribe(s, Map.of("event_type", "link.clicked", "target_url", receiver.url("/r")));
            String subId = sub.get("id").asText();
            receiver.down();
            for (int i = 0; i < 3; i++) {
                click(s, "wh-restart", "81.2.69." + (150 + i));
            }
            TestServer.await(Duration.ofSeconds(60), () -> {
                JsonNode d = deliveries(s, subId);
                if (d.get("pagination").get("total").asInt() != 3) {
                    return false;
                }
                for (JsonNode one : d.get("deliveries")) {
                    if (one.get("attempts").asInt() < 2) {
                        return false;
                    }
                }
                return true;
            });
            s.restart();
            receiver.up();
            TestServer.await(Duration.ofSeconds(30), () -> receiver.accepted().size() == 3);
            Set<String> ids = new HashSet<>();
            receiver.accepted().forEach(r -> ids.add(r.id()));
            assertThat(ids).hasSize(3);
            TestServer.await(Duration.ofSeconds(10), () -> subscription(s, subId).get("deliveries").get("delivered").asInt() == 3);
        }
    }

    @Test
    void aSubscriptionFailingFor3DaysIsDisabledAndSaysSoUntilRetried() {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestServer s = TestServer.start(SETTINGS, clock); Receiver receiver = new Receiver()) {
            receiver.answer(r -> 500);
            JsonNode sub = subscribe(s, Map.of("event_type", "link.created", "target_url", receiver.url("/fail")));
            String subId = sub.get("id").asText();
            s.createLink(Map.of("url", "https://example.com/f1", "custom_alias", "wh-fail-1"));
            TestServer.await(Duration.ofSeconds(60), () -> subscription(s, subId).get("status").asText().equals("failing"));
            JsonNode first = deliveries(s, subId).get("deliveries").get(0);
            assertThat(first.get("last_status_code").asInt()).isEqualTo(500);

            clock.advance(Duration.ofDays(2));
            s.createLink(Map.of("url", "https://example.com/f2", "custom_alias", "wh-fail-2"));
            TestServer.await(Duration.ofSeconds(60), () -> deliveries(s, subId).get("pagination").get("total").asInt() == 2
                    && deliveries(s, subId).get("deliveries").get(0).get("attempts").asInt() >= 1);
            // Two days of failures: past the first delivery's 24 h window, so it is given up; the subscription stays.
            TestServer.await(Duration.ofSeconds(60), () -> deliveries(s, subId).get("deliveries").get(1).get("status").asText().equals("failed"));
            assertThat(subscription(s, subId).get("status").asText()).isEqualTo("failing");

            clock.advance(Duration.ofDays(1).plusMinutes(1));
            TestServer.await(Duration.ofSeconds(60), () -> subscription(s, subId).get("status").asText().equals("disabled"));
            JsonNode disabled = subscription(s, subId);
            assertThat(disabled.get("disabled_reason").asText()).contains("3 days");
            assertThat(disabled.get("disabled_at").isNull()).isFalse();
            int before = receiver.received.size();
            s.createLink(Map.of("url", "https://example.com/f3", "custom_alias", "wh-fail-3"));
            assertThat(deliveries(s, subId).get("pagination").get("total").asInt()).as("a disabled subscription gets no events").isEqualTo(2);

            // Retry now: enabled again, both deliveries sent again, now accepted.
            receiver.answer(r -> 200);
            Http.Response retried = s.http().postJson("/api/v1/webhooks/subscriptions/" + subId + "/retry", "", s.admin());
            assertThat(retried.status()).as(retried.body()).isEqualTo(200);
            assertThat(retried.json().get("data").get("rescheduled").asInt()).isEqualTo(2);
            TestServer.await(Duration.ofSeconds(60), () -> subscription(s, subId).get("deliveries").get("delivered").asInt() == 2);
            assertThat(subscription(s, subId).get("status").asText()).isEqualTo("active");
            assertThat(receiver.received.size()).isGreaterThan(before);
        }
    }

    @Test
    void badSubscriptionsAreRefusedNamingTheField() {
        record Case(Map<String, ?> body, String field, String says) {}
        List<Case> cases = List.of(
                new Case(Map.of("event_type", "link.clicked", "target_url", "https://example.com/h", "colour", "red"), "colour", "unknown"),
                new Case(Map.of("target_url", "https://example.com/h"), "event_type", "required"),
                new Case(Map.of("event_type", "link.deleted", "target_url", "https://example.com/h"), "event_type", "one of"),
                // QR codes (issue 15): qr.created is workspace-wide; a qr_code_id must name a code of the workspace.
                new Case(Map.of("event_type", "qr.created", "target_url", "https://example.com/h", "short_code", "wh-a"), "short_code", "workspace-wide"),
                new Case(Map.of("event_type", "qr.scanned", "target_url", "https://example.com/h", "qr_code_id", "x"), "qr_code_id", "no QR code"),
                new Case(Map.of("event_type", "link.clicked", "target_url", "https://example.com/h", "qr_code_id", "x"), "qr_code_id", "no QR code"),
                new Case(Map.of("event_type", "link.clicked"), "target_url", "required"),
                new Case(Map.of("event_type", "link.clicked", "target_url", "ftp://example.com/h"), "target_url", "http"),
                new Case(Map.of("event_type", "link.clicked", "target_url", 12), "target_url", "string"),
                new Case(Map.of("event_type", "link.clicked", "target_url", "https://example.com/h", "short_code", "no-such-code"), "short_code", "no short URL"),
                new Case(Map.of("event_type", "link.clicked", "target_url", "https://example.com/h", "filters", Map.of("colour", "red")), "filters.colour", "unknown filter"),
                new Case(Map.of("event_type", "link.clicked", "target_url", "https://example.com/h", "filters", List.of()), "filters", "object"),
                new Case(Map.of("event_type", "link.created", "target_url", "https://example.com/h", "short_code", "wh-a"), "short_code", "workspace-wide"));
        for (Case c : cases) {
            Http.Response r = server.http().postJson("/api/v1/webhooks/subscriptions", Http.json(c.body()), server.admin());
            assertThat(r.status()).as(c + " -> " + r.body()).isEqualTo(400);
            assertThat(r.json().get("error").get("code").asText()).isEqualTo("VALIDATION_ERROR");
            assertThat(r.json().get("error").get("details").get("field").asText()).as(r.body()).isEqualTo(c.field());
            assertThat(r.json().get("error").get("message").asText()).as(r.body()).contains(c.says());
        }
        assertThat(server.http().get("/api/v1/webhooks/subscriptions/not-a-uuid", server.admin()).status()).isEqualTo(404);
        assertThat(server.http().get("/api/v1/webhooks/subscriptions/00000000-0000-4000-8000-000000000000/deliveries", server.admin())
                .status()).isEqualTo(404);
    }

    @Test
    void withoutAllowPrivateInternalTargetsAreRefusedWhenSubscribing() {
        try (TestServer strict = TestServer.start()) {
            for (String url : List.of("http://127.0.0.1:9/h", "http://localhost/h", "http://169.254.169.254/latest/meta-data/",
                    "http://10.1.2.3/h", "http://[::1]/h", "http://[::ffff:127.0.0.1]/h", "http://100.64.1.1/h", "http://[fd00::1]/h")) {
                Http.Response r = strict.http().postJson("/api/v1/webhooks/subscriptions",
                        Http.json(Map.of("event_type", "link.clicked", "target_url", url)), strict.admin());
                assertThat(r.status()).as(url + " -> " + r.body()).isEqualTo(400);
                assertThat(r.json().get("error").get("details").get("field").asText()).isEqualTo("target_url");
            }
            Http.Response ok = strict.http().postJson("/api/v1/webhooks/subscriptions",
                    Http.json(Map.of("event_type", "link.clicked", "target_url", "https://93.184.215.14/h")), strict.admin());
            assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        }
    }

    @Test
    void rotatingTheSecretSignsLaterDeliveriesWithTheNewOne() {
        server.createLink(Map.of("url", "https://example.com/rot", "custom_alias", "wh-rot"));
        try (Receiver receiver = new Receiver()) {
            JsonNode sub = subscribe(server, Map.of("event_type", "link.clicked", "target_url", receiver.url("/rot"), "short_code", "wh-rot"));
            Http.Response rotated = server.http().postJson("/api/v1/webhooks/subscriptions/" + sub.get("id").asText() + "/rotate-secret", "",
                    server.admin());
            assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
            String secret = rotated.json().get("data").get("secret").asText();
            assertThat(secret).startsWith("whsec_").isNotEqualTo(sub.get("secret").asText());
            click(server, "wh-rot", "81.2.69.142");
            TestServer.await(Duration.ofSeconds(60), () -> receiver.accepted().size() == 1);
            Receiver.Received r = receiver.accepted().get(0);
            assertThat(r.signature()).isEqualTo(WebhookSignature.sign(secret, r.id(), Long.parseLong(r.timestamp()), r.body()));

            Http.Response deleted = server.http().send("DELETE", "/api/v1/webhooks/subscriptions/" + sub.get("id").asText(), null, server.admin());
            assertThat(deleted.status()).isEqualTo(200);
            assertThat(server.http().get("/api/v1/webhooks/subscriptions/" + sub.get("id").asText(), server.admin()).status()).isEqualTo(404);
        }
    }
}
