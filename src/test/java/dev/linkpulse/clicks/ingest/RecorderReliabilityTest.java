package dev.linkpulse.clicks.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Accepted means stored: nothing is lost on a graceful stop, and a busy store never slows a redirect. */
class RecorderReliabilityTest {

    @Test
    void everyConcurrentRedirectIsStoredAcrossAGracefulRestart() throws Exception {
        int clicks = 2_000;
        try (TestServer server = TestServer.start()) {
            JsonNode a = server.createLink(Map.of("url", "https://example.com/a"));
            JsonNode b = server.createLink(Map.of("url", "https://example.com/b"));
            List<String> codes = List.of(a.get("short_code").asText(), b.get("short_code").asText());
            try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
                List<Future<Integer>> statuses = new ArrayList<>();
                for (int i = 0; i < clicks; i++) {
                    String code = codes.get(i % 2);
                    statuses.add(pool.submit(() -> server.http().get("/" + code, "User-Agent", "Mozilla/5.0 test").status()));
                }
                for (Future<Integer> status : statuses) {
                    assertThat(status.get()).isEqualTo(301);
                }
            }
            // What the server answered, counted before each answer is written. It can exceed the
            // client's 2,000: Java's HTTP client silently sends a GET again when its connection
            // fails before the response arrives, and that second request is a real redirect, and
            // click. (It happened twice on PostgreSQL, in sessions 3 and 15: 2,001 clicks stored, each
            // with its own id, and an id is made per answered redirect.)
            long answered = (long) server.metric("linkpulse_redirects_total{status=\"301\"}");
            // Stop right after the last redirect answered: whatever is still queued must be drained.
            server.restart();
            // The rows first, then the counter: a failure then tells an extra click from a miscount.
            Set<String> ids = new HashSet<>();
            for (int offset = 0; offset <= answered; offset += 1000) {
                server.clickLog(null, "?limit=1000&offset=" + offset).get("data").forEach(r -> ids.add(r.get("id").asText()));
            }
            // Every redirect the client got is stored, and nothing beyond what the server answered:
            // a click lost or stored twice fails one bound or the other.
            assertThat(ids.size()).as("clicks stored (server answered %d)", answered).isBetween(clicks, (int) answered);
            JsonNode log = server.clickLog(null, "?limit=1000");
            assertThat(log.get("pagination").get("total").asLong()).isEqualTo(ids.size());
            long first = server.clickLog(codes.get(0), "?limit=1").get("pagination").get("total").asLong();
            long second = server.clickLog(codes.get(1), "?limit=1").get("pagination").get("total").asLong();
            assertThat(first).isGreaterThanOrEqualTo(clicks / 2);
            assertThat(second).isGreaterThanOrEqualTo(clicks / 2);
            assertThat(first + second).isEqualTo(ids.size());
        }
    }

    @Test
    void redirectsAnswerPromptlyWhileTheStoreIsLockedAndClicksLandOnceItIsReleased() throws Exception {
        try (TestServer server = TestServer.start()) {
            JsonNode link = server.createLink(Map.of("url", "https://example.com/locked"));
            String code = link.get("short_code").asText();
            JsonNode other = server.createLink(Map.of("url", "https://example.com/uncached"));
            int clicks = 30;
            try (Connection lock = server.lockStore()) {
                long slowest = 0;
                for (int i = 0; i < clicks; i++) {
                    long start = System.nanoTime();
                    Http.Response r = server.http().get("/" + (i == clicks - 1 ? other.get("short_code").asText() : code));
                    slowest = Math.max(slowest, System.nanoTime() - start);
                    assertThat(r.status()).isEqualTo(301);
                }
                // Generous for a shared machine; a redirect that waited on the lock would take 2 s or more.
                assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofMillis(500));
                // Hold the lock past the store's busy timeout (2 s), so writes fail and are retried.
                TestServer.await(Duration.ofSeconds(10),
                        () -> server.http().get("/health").json().get("storage_failing").asBoolean());
                assertThat(server.clickLog(null, "?limit=1").get("pagination").get("total").asLong()).isZero();
                assertThat(server.http().get("/health").json().get("clicks_queued").asInt()).isEqualTo(clicks);
                lock.rollback();
            }
            server.awaitClicks(null, clicks);
            assertThat(server.http().get("/health").json().get("storage_failing").asBoolean()).isFalse();
        }
    }
}
