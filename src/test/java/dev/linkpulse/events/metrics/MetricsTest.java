package dev.linkpulse.events.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /metrics}: the names are there, behind the token, and their values move with traffic. */
class MetricsTest {

    static final String TOKEN = "metrics-token-0123456789";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(Setting.METRICS_TOKEN, TOKEN, Setting.WEBHOOK_ALLOW_PRIVATE, "true"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String scrape() {
        Http.Response r = server.http().get("/metrics", "Authorization", "Bearer " + TOKEN);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        return r.body();
    }

    /** The value of the first sample whose name and labels start with {@code prefix}; -1 when absent. */
    static double value(String text, String prefix) {
        for (String line : text.lines().toList()) {
            if (!line.startsWith("#") && line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    @Test
    void theTokenIsRequiredWhenSet() {
        assertThat(server.http().get("/metrics").status()).isEqualTo(401);
        assertThat(server.http().get("/metrics", "Authorization", "Bearer wrong").status()).isEqualTo(401);
        assertThat(server.http().get("/metrics", "Authorization", "Bearer " + TOKEN).status()).isEqualTo(200);
    }

    @Test
    void namesArePresentAndValuesMoveWithTraffic() throws IOException {
        String before = scrape();
        for (String name : List.of("linkpulse_redirects_total{status=\"301\"}", "linkpulse_redirects_total{status=\"302\"}",
                "linkpulse_redirects_total{status=\"404\"}", "linkpulse_redirects_total{status=\"410\"}",
                "linkpulse_clicks_offered_total", "linkpulse_clicks_journaled_total", "linkpulse_clicks_stored_total",
                "linkpulse_clicks_quarantined_total", "linkpulse_clicks_backlog", "linkpulse_rollups_lag",
                "linkpulse_store_batch_seconds_count", "linkpulse_webhook_deliveries_total{result=\"delivered\"}",
                "linkpulse_webhook_pending", "jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds")) {
            assertThat(value(before, name)).as(name).isGreaterThanOrEqualTo(0);
        }

        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        receiver.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        try {
            Http.Response sub = server.http().postJson("/api/v1/webhooks/subscriptions", Http.json(Map.of("event_type", "link.clicked",
                    "target_url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/m")), server.admin());
            assertThat(sub.status()).as(sub.body()).isEqualTo(201);
            server.createLink(Map.of("url", "https://example.com/m", "custom_alias", "metrics-link"));
            for (int i = 0; i < 3; i++) {
                assertThat(server.http().get("/metrics-link").status()).isEqualTo(301);
            }
            assertThat(server.http().get("/no-such-code-here").status()).isEqualTo(404);
            server.awaitClicks("metrics-link", 3);
            TestServer.await(Duration.ofSeconds(60), () -> value(scrape(), "linkpulse_webhook_deliveries_total{result=\"delivered\"}")
                    >= value(before, "linkpulse_webhook_deliveries_total{result=\"delivered\"}") + 3);
        } finally {
            receiver.stop(0);
        }
        String after = scrape();
        assertThat(value(after, "linkpulse_redirects_total{status=\"301\"}")).isEqualTo(value(before, "linkpulse_redirects_total{status=\"301\"}") + 3);
        assertThat(value(after, "linkpulse_redirects_total{status=\"404\"}")).isGreaterThanOrEqualTo(value(before, "linkpulse_redirects_total{status=\"404\"}") + 1);
        assertThat(value(after, "linkpulse_clicks_offered_total")).isEqualTo(value(before, "linkpulse_clicks_offered_total") + 3);
        assertThat(value(after, "linkpulse_clicks_journaled_total")).isEqualTo(value(before, "linkpulse_clicks_journaled_total") + 3);
        assertThat(value(after, "linkpulse_clicks_stored_total")).isEqualTo(value(before, "linkpulse_clicks_stored_total") + 3);
        assertThat(value(after, "linkpulse_store_batch_seconds_count")).isGreaterThan(value(before, "linkpulse_store_batch_seconds_count"));
        assertThat(value(after, "linkpulse_http_requests_total{method=\"POST\",route=\"/api/v1/short-urls\",status=\"201\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(after, "linkpulse_http_requests_total{method=\"POST\",route=\"/api/v1/webhooks/subscriptions\",status=\"201\"}"))
                .isEqualTo(1);
    }
}
