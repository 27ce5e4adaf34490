package dev.linkpulse.clicks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.Postgres;
import dev.linkpulse.support.TestServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} loses at most the last flush window: every click whose redirect was answered
 * more than {@link #WINDOW_MILLIS} before the kill is in the store afterwards. Each redirect carries
 * its sequence number in the user agent, so the test measures the window itself, not a count.
 */
class CrashLossWindowTest {

    static final long WINDOW_MILLIS = 100;

    @Test
    void aKilledProcessLosesAtMostTheLastFlushWindow(@org.junit.jupiter.api.io.TempDir Path work) throws Exception {
        Path dataDir = work.resolve("data");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String key = TestServer.ADMIN_KEY; // the key the restarted TestServer uses
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.linkpulse.Main", "serve",
                "--port", String.valueOf(port), "--data-dir", dataDir.toString(), "--initial-api-key", key));
        Map<Setting, String> store = new java.util.EnumMap<>(Setting.class);
        store.put(Setting.DATA_DIR, dataDir.toString());
        if (TestServer.onPostgres()) {
            String url = Postgres.shared().newDatabase();
            command.addAll(List.of("--db-url", url, "--db-user", Postgres.USER));
            store.put(Setting.DB_URL, url);
            store.put(Setting.DB_USER, Postgres.USER);
        }
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("server.log").toFile()).start();
        Http http = new Http(port);
        List<Long> answeredAt = new ArrayList<>();
        long killedAt;
        try {
            TestServer.await(Duration.ofSeconds(30), () -> {
                try {
                    return http.get("/health").status() == 200;
                } catch (RuntimeException e) {
                    return false;
                }
            });
            Http.Response created = http.postJson("/api/v1/short-urls",
                    Http.json(Map.of("url", "https://example.com/crash", "custom_alias", "crash")), "Authorization", "Bearer " + key);
            assertThat(created.status()).isEqualTo(201);
            // Wait until the user-agent parser is ready, so enrichment runs at full speed as in production.
            TestServer.await(Duration.ofSeconds(30), () -> http.get("/health").json().get("user_agent_parser_ready").asBoolean());
            long until = System.currentTimeMillis() + 1_500;
            while (System.currentTimeMillis() < until) {
                // The sequence number in the user agent tells afterwards which redirects were stored.
                String agent = "Mozilla/5.0 crash test " + answeredAt.size();
                assertThat(http.get("/crash", "User-Agent", agent).status()).isEqualTo(301);
                answeredAt.add(System.currentTimeMillis());
            }
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
                String agent = mapper.readTree(line).get("user_agent").asText();
                storedList.add(Integer.parseInt(agent.substring(agent.lastIndexOf(' ') + 1)));
            }
            Set<Integer> stored = new HashSet<>(storedList);
            long lost = answeredAt.size() - stored.size();
            long window = 0; // how long before the kill the oldest lost click was answered
            for (int i = 0; i < answeredAt.size(); i++) {
                if (!stored.contains(i)) {
                    window = Math.max(window, killedAt - answeredAt.get(i));
                }
            }
            System.out.printf("kill -9: %d redirects answered, %d in the journal at the kill, %d stored, %d lost, the oldest lost "
                    + "answered %d ms before the kill%n", answeredAt.size(), journaled, stored.size(), lost, window);
            assertThat(answeredAt.size()).isGreaterThan(200);
            assertThat(storedList).as("nothing stored twice").hasSameSizeAs(stored);
            assertThat(stored).as("nothing invented").allMatch(i -> i >= 0 && i < answeredAt.size());
            assertThat(window).as("%d of %d redirects lost", lost, answeredAt.size()).isLessThanOrEqualTo(WINDOW_MILLIS);
        }
    }
}
