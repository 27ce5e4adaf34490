package dev.linkpulse.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkpulse.support.TestServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The live click stream over Server-Sent Events (spec §4.10). */
class ClickStreamTest {

    static TestServer server;
    static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.createLink(Map.of("url", "https://example.com/live", "custom_alias", "live"));
        server.createLink(Map.of("url", "https://example.com/other", "custom_alias", "not-live"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** An open stream whose events arrive in a queue: each as {id, event, data}. */
    static final class Subscription implements AutoCloseable {
        final BlockingQueue<Map<String, String>> events = new LinkedBlockingQueue<>();
        final int status;
        private final InputStream body;
        private final Thread reader;

        Subscription(String path, String lastEventId) throws Exception {
            this(path, lastEventId, TestServer.ADMIN_KEY);
        }

        Subscription(String path, String lastEventId, String key) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .header("Authorization", "Bearer " + key);
            if (lastEventId != null) {
                b.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<InputStream> r = HttpClient.newHttpClient().send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            status = r.statusCode();
            body = r.body();
            reader = Thread.ofVirtual().start(() -> read(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))));
        }

        private void read(BufferedReader in) {
            try {
                Map<String, String> event = new java.util.HashMap<>();
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (event.containsKey("data")) {
                            events.add(event);
                        }
                        event = new java.util.HashMap<>();
                    } else if (!line.startsWith(":")) {
                        int colon = line.indexOf(':');
                        event.put(line.substring(0, colon), line.substring(colon + 1).strip());
                    }
                }
            } catch (Exception e) {
                // closed
            }
        }

        Map<String, String> next(Duration within) throws InterruptedException {
            return events.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws Exception {
            body.close();
            reader.interrupt();
        }
    }

    @Test
    void aClickArrivesWithinOneSecondAndAReconnectReplaysWhatWasMissed() throws Exception {
        String lastId;
        try (Subscription s = new Subscription("/api/v1/analytics/click-stream/live", null)) {
            assertThat(s.status).isEqualTo(200);
            Thread.sleep(200);
            long clickedAt = System.nanoTime();
            server.http().get("/live", "User-Agent", ClickRecordTest.IPHONE_SAFARI, "X-Forwarded-For", "81.2.69.142");
            Map<String, String> event = s.next(Duration.ofSeconds(5));
            long latencyMillis = (System.nanoTime() - clickedAt) / 1_000_000;
            assertThat(event).isNotNull();
            assertThat(latencyMillis).isLessThan(1_000);
            assertThat(event.get("event")).isEqualTo("click");
            JsonNode record = MAPPER.readTree(event.get("data"));
            assertThat(record.get("id").asText()).isEqualTo(event.get("id"));
            assertThat(record.get("short_code").asText()).isEqualTo("live");
            assertThat(record.get("city").asText()).isEqualTo("London");
            assertThat(record.get("device_type").asText()).isEqualTo("mobile");
            // A click on another link is not part of this link's stream.
            server.http().get("/not-live");
            assertThat(s.next(Duration.ofMillis(700))).isNull();
            lastId = event.get("id");
        }
        // Three clicks while nobody listens; the reconnect resumes after the last event seen.
        for (int i = 0; i < 3; i++) {
            server.http().get("/live?n=" + i, "User-Agent", ClickRecordTest.WINDOWS_CHROME);
        }
        server.awaitClicks("live", 4);
        try (Subscription again = new Subscription("/api/v1/analytics/click-stream/live", lastId)) {
            List<String> replayed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Map<String, String> e = again.next(Duration.ofSeconds(5));
                assertThat(e).as("replayed event " + i).isNotNull();
                replayed.add(MAPPER.readTree(e.get("data")).get("original_url").asText());
            }
            assertThat(replayed).containsExactly("https://example.com/live?n=0", "https://example.com/live?n=1",
                    "https://example.com/live?n=2");
            assertThat(again.next(Duration.ofMillis(500))).isNull();
        }
    }

    @Test
    void aKeyMayHoldTenStreamsAtOnce() throws Exception {
        String key = server.createKey("streamer", "analytics", null);
        List<Subscription> open = new ArrayList<>();
        try {
            for (int i = 0; i < ClickStreamApi.MAX_STREAMS_PER_KEY; i++) {
                Subscription s = new Subscription("/api/v1/analytics/click-stream", null, key);
                assertThat(s.status).isEqualTo(200);
                open.add(s);
            }
            var refused = server.http().get("/api/v1/analytics/click-stream", "Authorization", "Bearer " + key);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.json().get("error").get("code").asText()).isEqualTo("RATE_LIMIT_EXCEEDED");
            assertThat(refused.json().get("error").get("details").get("limit").asInt()).isEqualTo(ClickStreamApi.MAX_STREAMS_PER_KEY);
            // Another key is not affected.
            try (Subscription other = new Subscription("/api/v1/analytics/click-stream", null)) {
                assertThat(other.status).isEqualTo(200);
            }
        } finally {
            for (Subscription s : open) {
                s.close();
            }
        }
    }

    @Test
    void theWorkspaceStreamCarriesEveryLinkAndAnUnknownResumePointIsRefused() throws Exception {
        try (Subscription s = new Subscription("/api/v1/analytics/click-stream", null)) {
            Thread.sleep(200);
            server.http().get("/not-live");
            Map<String, String> e = s.next(Duration.ofSeconds(5));
            assertThat(e).isNotNull();
            assertThat(MAPPER.readTree(e.get("data")).get("short_code").asText()).isEqualTo("not-live");
        }
        var bad = server.http().get("/api/v1/analytics/click-stream", "Authorization", "Bearer " + TestServer.ADMIN_KEY,
                "Last-Event-ID", "00000000-0000-7000-8000-000000000000");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").get("details").get("field").asText()).isEqualTo("Last-Event-ID");
        assertThat(server.http().get("/api/v1/analytics/click-stream").status()).isEqualTo(401);
    }
}
