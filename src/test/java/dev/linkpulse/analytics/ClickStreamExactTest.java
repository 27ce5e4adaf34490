package dev.linkpulse.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;
import dev.linkpulse.store.Database;
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
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The live stream delivers every stored click exactly once, in storage order: through a backlog of
 * tens of thousands, clicks stored days after they happened, replayed batches (sequence gaps) and
 * a disconnect resumed with {@code Last-Event-ID}.
 */
class ClickStreamExactTest {

    static final int BATCHES = 56;
    static final int PER_BATCH = 1_000;

    /** An open stream whose click ids are collected in arrival order. */
    static final class Reader implements AutoCloseable {
        final List<String> ids = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch connected = new CountDownLatch(1);
        final int status;
        private final InputStream body;
        private final Thread thread;

        Reader(TestServer server, String path, String lastEventId) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .header("Authorization", "Bearer " + TestServer.ADMIN_KEY);
            if (lastEventId != null) {
                b.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<InputStream> r = HttpClient.newHttpClient().send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            status = r.statusCode();
            body = r.body();
            thread = Thread.ofPlatform().daemon().start(this::read);
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16)) {
                String id = null;
                boolean data = false;
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals(": connected")) {
                        connected.countDown();
                    } else if (line.isEmpty()) {
                        if (id != null && data) {
                            ids.add(id); // an event counts once it is whole
                        }
                        id = null;
                        data = false;
                    } else if (line.startsWith("id: ")) {
                        id = line.substring(4);
                    } else if (line.startsWith("data: ")) {
                        data = true;
                    }
                }
            } catch (Exception e) {
                // closed
            }
        }

        String last() {
            synchronized (ids) {
                return ids.get(ids.size() - 1);
            }
        }

        @Override
        public void close() throws Exception {
            body.close();
            thread.join(5_000);
        }
    }

    @Test
    void everyStoredClickIsStreamedExactlyOnceThroughABacklogLateClicksReplaysAndAResume() throws Exception {
        try (TestServer server = TestServer.start()) {
            JsonNode linkA = server.createLink(Map.of("url", "https://example.com/stream-a", "custom_alias", "stream-a"));
            JsonNode linkB = server.createLink(Map.of("url", "https://example.com/stream-b", "custom_alias", "stream-b"));
            String a = linkA.get("id").asText();
            String b = linkB.get("id").asText();
            try (Database db = server.openStore()) {
                String ws = TestServer.workspaceOf(db, a);
                ClickStore store = new ClickStore(db.jdbi(), db.dialect());
                ClickIds ids = new ClickIds();
                // History: stored before the stream opens, so not news.
                List<Click> history = clicks(ids, a, ws, System.currentTimeMillis() - 60_000, 300);
                store.insert(history);

                Reader first = new Reader(server, "/api/v1/analytics/click-stream", null);
                assertThat(first.status).isEqualTo(200);
                assertThat(first.connected.await(5, TimeUnit.SECONDS)).isTrue();

                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        List<Click> previous = List.of();
                        for (int i = 0; i < BATCHES; i++) {
                            long now = System.currentTimeMillis();
                            // Every fifth batch is late: it happened three days ago and is stored only now
                            // (as a journal replay after a crash would store it).
                            long at = i % 5 == 4 ? now - Duration.ofDays(3).toMillis() + i * 10_000L : now;
                            List<Click> batch = clicks(ids, i % 3 == 0 ? b : a, ws, at, PER_BATCH);
                            store.insert(batch);
                            if (i % 7 == 6) {
                                // A replay: the same clicks again (they take sequence numbers that stay unused)
                                // together with a few new ones.
                                List<Click> replay = new ArrayList<>(previous);
                                replay.addAll(clicks(ids, a, ws, now, 50));
                                store.insert(replay);
                            }
                            previous = batch;
                            Thread.sleep(40);
                        }
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                // Real redirects at the same time, stored by the server's own recorder.
                long offeredBefore = server.clicksOffered();
                Thread clicker = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 300; i++) {
                        server.http().get("/stream-a?n=" + i);
                    }
                });

                // Mid-way, the subscriber drops and comes back with the last id it saw.
                TestServer.await(Duration.ofSeconds(30), () -> first.ids.size() >= 15_000);
                first.close();
                List<String> streamed = new ArrayList<>(first.ids);
                assertThat(writer.isAlive()).as("the resume happens while clicks are still being stored").isTrue();
                Reader second = new Reader(server, "/api/v1/analytics/click-stream", streamed.get(streamed.size() - 1));
                assertThat(second.status).isEqualTo(200);
                List<String> stored;
                try (second) {
                    writer.join();
                    clicker.join();
                    assertThat(failure.get()).isNull();
                    // A click is recorded just after its redirect is written: wait for all 300, not only an idle recorder.
                    TestServer.await(Duration.ofSeconds(20), () -> server.clicksOffered() >= offeredBefore + 300);
                    server.awaitRecorderIdle();
                    Set<String> historyIds = new HashSet<>(history.stream().map(Click::id).toList());
                    stored = db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM clicks ORDER BY seq")
                            .mapTo(String.class).list()).stream().filter(id -> !historyIds.contains(id)).toList();
                    assertThat(stored.size()).isGreaterThanOrEqualTo(BATCHES * PER_BATCH);
                    int expected = stored.size();
                    TestServer.await(Duration.ofSeconds(20), () -> streamed.size() + second.ids.size() >= expected);
                    Thread.sleep(1_500); // anything sent twice would arrive by now
                    streamed.addAll(second.ids);
                }
                assertThat(streamed).doesNotHaveDuplicates();
                // Every stored click exactly once, in storage order.
                assertThat(streamed).isEqualTo(stored);
            }
        }
    }

    static List<Click> clicks(ClickIds ids, String link, String ws, long at, int n) {
        List<Click> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long t = at + i;
            out.add(new Click(ids.next(t).toString(), link, ws, t, "https://example.com/stream", null, "agent", null, null,
                    "direct", "DE", null, null, "desktop", "Firefox", "Linux", TrafficClass.HUMAN, "v" + (i % 50),
                    new Utm(null, null, null, null, null)));
        }
        return out;
    }
}
