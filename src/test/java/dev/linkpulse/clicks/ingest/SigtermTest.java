package dev.linkpulse.clicks.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.config.Setting;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.Postgres;
import dev.linkpulse.support.ServerProcess;
import dev.linkpulse.support.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
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
        ServerProcess started = ServerProcess.start(work);
        Process server = started.process();
        Http http = started.http();
        Path dataDir = started.dataDir();
        Map<Setting, String> store = started.store();
        String key = TestServer.ADMIN_KEY; // the key the restarted TestServer uses
        String pgUrl = started.postgresUrl().orElse(null);
        long took;
        try {
            started.awaitHealthy(Duration.ofSeconds(30));
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
