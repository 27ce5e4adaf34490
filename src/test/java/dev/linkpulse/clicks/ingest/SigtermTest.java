package dev.linkpulse.clicks.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.config.Setting;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.Postgres;
import dev.linkpulse.support.ServerProcess;
import dev.linkpulse.support.TestServer;
import java.nio.file.Files;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM ends a real server process within 30 s. When the store refuses every write, it gives up
 * on the store in time, leaves what it could not store in the journal, and the next start stores
 * every click exactly once. When the store works, it stores every click it answered, redirects in
 * flight included, before it ends.
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

    @Test
    void sigtermUnderLoadWithTheStoreUpStoresEveryAnsweredClickBeforeItEnds(@org.junit.jupiter.api.io.TempDir Path work) throws Exception {
        ServerProcess started = ServerProcess.start(work);
        Process server = started.process();
        Http http = started.http();
        Map<Setting, String> store = started.store();
        String pgUrl = started.postgresUrl().orElse(null);
        Set<String> answered = java.util.concurrent.ConcurrentHashMap.newKeySet(); // the user agents of redirects answered
        long took;
        List<Thread> clients = new ArrayList<>();
        try {
            started.awaitHealthy(Duration.ofSeconds(30));
            assertThat(http.postJson("/api/v1/short-urls", Http.json(Map.of("url", "https://example.com/load", "custom_alias", "load")),
                    "Authorization", "Bearer " + TestServer.ADMIN_KEY).status()).isEqualTo(201);
            // Redirects from three clients, each a new visitor, until the server goes away.
            for (int c = 0; c < 3; c++) {
                int client = c;
                clients.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; ; i++) {
                        String agent = "load/" + client + "/" + i;
                        try {
                            if (http.get("/load", "X-Forwarded-For", "81.2." + client + "." + (i % 250 + 1), "User-Agent", agent)
                                    .status() == 301) {
                                answered.add(agent);
                            }
                        } catch (RuntimeException refused) {
                            return;
                        }
                    }
                }));
            }
            TestServer.await(Duration.ofSeconds(30), () -> answered.size() >= 2_000);
            long start = System.nanoTime();
            server.destroy(); // SIGTERM, with redirects in flight
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the process ended").isTrue();
            took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            for (Thread t : clients) {
                t.join(30_000);
            }
        } finally {
            server.destroyForcibly();
            server.waitFor();
        }
        System.out.printf("SIGTERM under load: exited after %d ms, %d redirects answered%n", took, answered.size());
        assertThat(took).as("SIGTERM to exit, ms").isLessThan(30_000);
        // Every redirect a client got was stored before the process ended (a GET the client sent again
        // after its connection broke may have been answered without reaching it: such a click is
        // stored too, so the store may hold more).
        Set<String> storedAgents = storedAgents(started.dataDir(), pgUrl);
        assertThat(storedAgents).containsAll(answered);
        try (Stream<Path> journal = Files.walk(started.dataDir())) {
            // A clean stop with the store up stores its backlog (a few thousand here, far below the
            // 50,000 held in memory) and deletes the segments.
            assertThat(journal.filter(f -> f.getFileName().toString().matches("segment-\\d{12}\\.ndjson")).toList())
                    .as("journal segments left for the next start").isEmpty();
        }
        long storedBeforeExit = storedClicks(started.dataDir(), pgUrl);

        store.put(Setting.INITIAL_API_KEY, TestServer.ADMIN_KEY);
        try (TestServer after = TestServer.start(store)) {
            after.awaitRecorderIdle();
            assertThat(storedClicks(started.dataDir(), pgUrl)).as("nothing was left in the journal to store, nothing stored twice")
                    .isEqualTo(storedBeforeExit);
        }
    }

    private static Set<String> storedAgents(Path dataDir, String pgUrl) throws Exception {
        Set<String> agents = new HashSet<>();
        try (Connection c = connect(dataDir, pgUrl); Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT user_agent FROM clicks")) {
            while (rs.next()) {
                agents.add(rs.getString(1));
            }
        }
        return agents;
    }

    private static Connection connect(Path dataDir, String pgUrl) throws Exception {
        return pgUrl != null ? DriverManager.getConnection(pgUrl, Postgres.USER, null)
                : DriverManager.getConnection("jdbc:sqlite:" + Database.sqliteFile(dataDir));
    }

    private static long storedClicks(Path dataDir, String pgUrl) throws Exception {
        try (Connection c = connect(dataDir, pgUrl); Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id) FROM clicks")) {
            rs.next();
            assertThat(rs.getLong(2)).as("distinct ids").isEqualTo(rs.getLong(1));
            return rs.getLong(1);
        }
    }

    /** A write transaction every other writer waits for (as TestServer.lockStore, for a store of another process). */
    private static Connection lockStore(Path dataDir, String pgUrl) throws Exception {
        Connection c = connect(dataDir, pgUrl);
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
