package dev.linkpulse.clicks.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.config.Setting;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.Postgres;
import dev.linkpulse.support.TestServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM ends a real server process within 30 s even when the store refuses every write: it gives
 * up on the store in time, leaves what it could not store in the journal, and the next start
 * stores every click exactly once.
 */
class SigtermTest {

    static final int CLICKS = 200;

    @Test
    void sigtermWithTheStoreLockedEndsWithinThirtySecondsAndLosesNothing(@org.junit.jupiter.api.io.TempDir Path work) throws Exception {
        Path dataDir = work.resolve("data");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String key = TestServer.ADMIN_KEY;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.linkpulse.Main", "serve",
                "--port", String.valueOf(port), "--data-dir", dataDir.toString(), "--initial-api-key", key));
        Map<Setting, String> store = new java.util.EnumMap<>(Setting.class);
        store.put(Setting.DATA_DIR, dataDir.toString());
        String pgUrl = null;
        if (TestServer.onPostgres()) {
            pgUrl = Postgres.shared().newDatabase();
            command.addAll(List.of("--db-url", pgUrl, "--db-user", Postgres.USER));
            store.put(Setting.DB_URL, pgUrl);
            store.put(Setting.DB_USER, Postgres.USER);
        }
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("server.log").toFile()).start();
        Http http = new Http(port);
        long took;
        try {
            TestServer.await(Duration.ofSeconds(30), () -> {
                try {
                    return http.get("/health").status() == 200;
                } catch (RuntimeException e) {
                    return false;
                }
            });
            Http.Response created = http.postJson("/api/v1/short-urls",
                    Http.json(Map.of("url", "https://example.com/term", "custom_alias", "term")), "Authorization", "Bearer " + key);
            assertThat(created.status()).isEqualTo(201);
            assertThat(http.get("/term").status()).isEqualTo(301); // cached
            TestServer.await(Duration.ofSeconds(10), () -> http.get("/health").json().get("clicks_stored").asLong() == 1);
            try (Connection lock = lockStore(dataDir, pgUrl)) {
                for (int i = 1; i < CLICKS; i++) {
                    assertThat(http.get("/term", "X-Forwarded-For", "81.2.69.142", "User-Agent", "term/" + i).status()).isEqualTo(301);
                }
                long start = System.nanoTime();
                server.destroy(); // SIGTERM
                assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the process ended").isTrue();
                took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                lock.rollback();
            }
        } finally {
            server.destroyForcibly();
            server.waitFor();
        }
        System.out.printf("SIGTERM with the store locked: exited after %d ms%n", took);
        assertThat(took).as("SIGTERM to exit, ms").isLessThan(30_000);

        store.put(Setting.INITIAL_API_KEY, key);
        try (TestServer after = TestServer.start(store)) {
            after.awaitClicks("term", CLICKS);
            after.awaitRecorderIdle();
            Set<String> ids = new HashSet<>();
            after.clickLog("term", "?limit=1000").get("data").forEach(c -> ids.add(c.get("id").asText()));
            assertThat(ids).hasSize(CLICKS);
        }
    }

    /** A write transaction every other writer waits for (as TestServer.lockStore, for a store of another process). */
    private static Connection lockStore(Path dataDir, String pgUrl) throws Exception {
        Connection c = pgUrl != null ? DriverManager.getConnection(pgUrl, Postgres.USER, null)
                : DriverManager.getConnection("jdbc:sqlite:" + Database.sqliteFile(dataDir));
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            if (pgUrl != null) {
                st.execute("LOCK TABLE clicks IN EXCLUSIVE MODE");
            } else {
                st.execute("INSERT INTO visitor_salts (day, salt) VALUES ('1999-01-01', x'00')");
            }
        }
        return c;
    }
}
