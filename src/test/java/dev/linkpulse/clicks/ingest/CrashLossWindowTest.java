package dev.linkpulse.clicks.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.ServerProcess;
import dev.linkpulse.support.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} loses at most the last flush window: every click whose redirect was answered
 * more than {@link #WINDOW_MILLIS} before the kill is in the store afterwards. Each redirect carries
 * its sequence number in the referrer, so the test measures the window itself, not a count.
 */
class CrashLossWindowTest {

    static final long WINDOW_MILLIS = 100;
    static final int CLIENTS = 4;

    @Test
    void aKilledProcessLosesAtMostTheLastFlushWindow(@org.junit.jupiter.api.io.TempDir Path work) throws Exception {
        ServerProcess started = ServerProcess.start(work);
        Process server = started.process();
        Http http = started.http();
        Path dataDir = started.dataDir();
        Map<Setting, String> store = started.store();
        String key = TestServer.ADMIN_KEY; // the key the restarted TestServer uses
        Map<Integer, Long> answeredAt = new ConcurrentHashMap<>();
        long killedAt;
        try {
            started.awaitHealthy(Duration.ofSeconds(30));
            Http.Response created = http.postJson("/api/v1/short-urls",
                    Http.json(Map.of("url", "https://example.com/crash", "custom_alias", "crash")), "Authorization", "Bearer " + key);
            assertThat(created.status()).isEqualTo(201);
            // Wait until the user-agent parser is ready, so enrichment runs at full speed as in production.
            TestServer.await(Duration.ofSeconds(30), () -> http.get("/health").json().get("user_agent_parser_ready").asBoolean());
            // Several clients at once, so the server's enrichment and storage fall behind the
            // redirects as under real load. The sequence number in the referrer tells afterwards
            // which redirects were stored.
            long until = System.currentTimeMillis() + 1_500;
            AtomicInteger next = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    while (System.currentTimeMillis() < until) {
                        int n = next.getAndIncrement();
                        assertThat(http.get("/crash", "User-Agent", "Mozilla/5.0 crash test", "Referer",
                                "https://example.com/crash-test/" + n).status()).isEqualTo(301);
                        answeredAt.put(n, System.currentTimeMillis());
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            clients.shutdown();
        } finally {
            killedAt = System.currentTimeMillis();
            server.destroyForcibly(); // SIGKILL: no shutdown hook, no drain
            server.waitFor();
        }
        long journaled = RecorderJournalTest.journaledIds(dataDir).size();
        store.put(Setting.INITIAL_API_KEY, key);
        try (TestServer after = TestServer.start(store)) {
            after.awaitRecorderIdle(); // it replays the journal the killed process left
            Http.Response export = after.http().get("/api/v1/analytics/click-details/crash?format=ndjson", after.admin());
            assertThat(export.status()).isEqualTo(200);
            List<Integer> storedList = new ArrayList<>();
            ObjectMapper mapper = new ObjectMapper();
            for (String line : export.body().lines().toList()) {
                String referrer = mapper.readTree(line).get("referrer").asText();
                storedList.add(Integer.parseInt(referrer.substring(referrer.lastIndexOf('/') + 1)));
            }
            Set<Integer> stored = new HashSet<>(storedList);
            long lost = answeredAt.size() - stored.size();
            long window = 0; // how long before the kill the oldest lost click was answered
            for (Map.Entry<Integer, Long> a : answeredAt.entrySet()) {
                if (!stored.contains(a.getKey())) {
                    window = Math.max(window, killedAt - a.getValue());
                }
            }
            System.out.printf("kill -9: %d redirects answered, %d in the journal at the kill, %d stored, %d lost, the oldest lost "
                    + "answered %d ms before the kill%n", answeredAt.size(), journaled, stored.size(), lost, window);
            assertThat(answeredAt.size()).isGreaterThan(200);
            assertThat(storedList).as("nothing stored twice").hasSameSizeAs(stored);
            assertThat(answeredAt.keySet()).as("nothing invented: every request was answered before the kill").containsAll(stored);
            assertThat(window).as("%d of %d redirects lost", lost, answeredAt.size()).isLessThanOrEqualTo(WINDOW_MILLIS);
        }
    }
}
