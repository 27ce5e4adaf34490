package dev.linkpulse.clicks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.Postgres;
import dev.linkpulse.support.TestServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} loses at most the last flush window: every click whose redirect was answered
 * more than {@link #WINDOW_MILLIS} before the kill is in the store afterwards.
 */
class CrashLossWindowTest {

    static final long WINDOW_MILLIS = 100;

    @Test
    void aKilledProcessLosesAtMostTheLastFlushWindow() throws Exception {
        Path dataDir = Files.createTempDirectory("linkpulse-crash");
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
                .redirectOutput(Files.createTempFile("linkpulse-crash", ".log").toFile()).start();
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
                assertThat(http.get("/crash", "User-Agent", "Mozilla/5.0 crash test").status()).isEqualTo(301);
                answeredAt.add(System.currentTimeMillis());
            }
        } finally {
            killedAt = System.currentTimeMillis();
            server.destroyForcibly(); // SIGKILL: no shutdown hook, no drain
            server.waitFor();
        }
        long safe = answeredAt.stream().filter(t -> t < killedAt - WINDOW_MILLIS).count();
        store.put(Setting.INITIAL_API_KEY, key);
        try (TestServer after = TestServer.start(store)) {
            long stored = after.clickLog("crash", "?limit=1").get("pagination").get("total").asLong();
            System.out.printf("kill -9: %d redirects answered, %d of them more than %d ms before the kill, %d stored%n",
                    answeredAt.size(), safe, WINDOW_MILLIS, stored);
            assertThat(answeredAt.size()).isGreaterThan(200);
            assertThat(stored).as("%d redirects, %d answered more than %d ms before the kill", answeredAt.size(), safe, WINDOW_MILLIS)
                    .isGreaterThanOrEqualTo(safe)
                    .isLessThanOrEqualTo(answeredAt.size());
        }
    }
}
