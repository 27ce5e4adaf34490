package dev.linkpulse.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.App;
import dev.linkpulse.Main;
import dev.linkpulse.clicks.ingest.ClickRecorder;
import dev.linkpulse.config.Config;
import dev.linkpulse.config.ConfigLoader;
import dev.linkpulse.config.Setting;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;

/**
 * The real server on a random port over a real SQLite store in a temporary directory, with the
 * test city database and a known admin key.
 */
public final class TestServer implements AutoCloseable {

    public static final String ADMIN_KEY = "lp_test_admin_key_0123456789abcdef";
    public static final Path CITY_DB = Path.of("src/test/resources/geo/GeoIP2-City-Test.mmdb");

    private final Path dataDir;
    private final Config config;
    private final Clock clock;
    private final ClickRecorder.Settings recorder;
    private App app;
    private Http http;

    private TestServer(Path dataDir, Config config, Clock clock, ClickRecorder.Settings recorder) {
        this.dataDir = dataDir;
        this.config = config;
        this.clock = clock;
        this.recorder = recorder;
        boot();
    }

    public static TestServer start(Map<Setting, String> overrides) {
        return start(overrides, Clock.systemUTC());
    }

    /** Which store the suite runs on: {@code -Dlinkpulse.test.store=postgresql}, SQLite otherwise. */
    public static boolean onPostgres() {
        return "postgresql".equals(System.getProperty("linkpulse.test.store"));
    }

    public static TestServer start(Map<Setting, String> overrides, Clock clock) {
        return start(overrides, clock, ClickRecorder.Settings.DEFAULT);
    }

    public static TestServer start(Map<Setting, String> overrides, Clock clock, ClickRecorder.Settings recorder) {
        try {
            Path dir = Files.createTempDirectory("linkpulse-test");
            Map<Setting, String> flags = new EnumMap<>(Setting.class);
            flags.put(Setting.PORT, "0");
            flags.put(Setting.DATA_DIR, dir.toString());
            flags.put(Setting.INITIAL_API_KEY, ADMIN_KEY);
            flags.put(Setting.GEO_DB, CITY_DB.toString());
            if (onPostgres() && !overrides.containsKey(Setting.DB_URL)) {
                flags.put(Setting.DB_URL, Postgres.shared().newDatabase());
                flags.put(Setting.DB_USER, Postgres.USER);
            }
            flags.putAll(overrides);
            return new TestServer(dir, ConfigLoader.load(Map.of(), flags), clock, recorder);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static TestServer start() {
        return start(Map.of());
    }

    private void boot() {
        this.app = App.start(config, clock, recorder);
        this.http = new Http(app.port());
    }

    /** Stops the server as SIGTERM would; {@link #startAgain} starts it on the same store and data directory. */
    public void stop() {
        app.close();
    }

    public void startAgain() {
        boot();
    }

    /** Stops gracefully (everything queued is stored) and starts again on the same store. */
    public void restart() {
        app.close();
        boot();
    }

    public Http http() {
        return http;
    }

    public int port() {
        return app.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    public String[] auth(String key) {
        return new String[] {"Authorization", "Bearer " + key};
    }

    public String[] admin() {
        return auth(ADMIN_KEY);
    }

    /** A plain JDBC connection to this server's store, outside the server's pool. */
    public java.sql.Connection openStoreConnection() throws java.sql.SQLException {
        if (config.postgres().isPresent()) {
            var pg = config.postgres().get();
            return java.sql.DriverManager.getConnection(pg.url(), pg.user(), pg.password());
        }
        return java.sql.DriverManager.getConnection("jdbc:sqlite:" + dev.linkpulse.store.Database.sqliteFile(dataDir));
    }

    /**
     * Holds the rollups' watermark row until rolled back, so every rollup step fails after its lock
     * wait (2 s on SQLite, 15 s on PostgreSQL) and clicks stay uncounted. On SQLite that lock is the
     * store's one write lock: take it after storing the clicks that should stay uncounted.
     */
    public java.sql.Connection lockRollups() throws java.sql.SQLException {
        if (!onPostgres()) {
            return lockStore();
        }
        java.sql.Connection lock = openStoreConnection();
        lock.setAutoCommit(false);
        try (java.sql.Statement st = lock.createStatement()) {
            st.execute("SELECT watermark FROM rollup_watermark WHERE id = 1 FOR UPDATE");
        }
        return lock;
    }

    /**
     * An open write transaction that every other writer must wait for, until rolled back: both
     * stores give up waiting after 2 s, so the server's click writes fail and are retried.
     */
    public java.sql.Connection lockStore() throws java.sql.SQLException {
        java.sql.Connection lock = openStoreConnection();
        lock.setAutoCommit(false);
        try (java.sql.Statement st = lock.createStatement()) {
            if (onPostgres()) {
                st.execute("LOCK TABLE clicks IN EXCLUSIVE MODE");
            } else {
                // The first write takes SQLite's one write lock, for the whole store.
                st.execute("INSERT INTO visitor_salts (day, salt) VALUES ('1999-01-01', x'00')");
            }
        }
        return lock;
    }

    /** A link's workspace, read from the store: tests that write clicks directly need it. */
    public static String workspaceOf(dev.linkpulse.store.Database db, String linkId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT workspace_id FROM short_urls WHERE id = :id")
                .bind("id", linkId).mapTo(String.class).one());
    }

    /** A second handle on this server's store, for tests that write rows directly. */
    public dev.linkpulse.store.Database openStore() {
        return App.openStore(config);
    }

    public Config config() {
        return config;
    }

    public App app() {
        return app;
    }

    /** Creates a key through the real command line and returns the secret it printed last. */
    public String createKey(String name, String permissions, String workspace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            List<String> args = new java.util.ArrayList<>(List.of("keys", "create", "--name", name,
                    "--permissions", permissions, "--data-dir", dataDir.toString()));
            config.postgres().ifPresent(pg -> args.addAll(List.of("--db-url", pg.url(), "--db-user", pg.user())));
            if (workspace != null) {
                args.addAll(List.of("--workspace", workspace));
            }
            exit = new CommandLine(new Main()).execute(args.toArray(String[]::new));
        } finally {
            System.setOut(previous);
        }
        assertThat(exit).as("keys create exit code").isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        return lines.get(lines.size() - 1).strip();
    }

    /** Creates a short link with the admin key and returns its JSON object. */
    public JsonNode createLink(Map<String, ?> body) {
        Http.Response r = http.postJson("/api/v1/short-urls", Http.json(body), admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("data");
    }

    /** The click log of a link (or of the workspace when {@code idOrNull} is null), with the admin key. */
    public JsonNode clickLog(String idOrNull, String query) {
        String path = "/api/v1/analytics/click-details" + (idOrNull == null ? "" : "/" + idOrNull) + query;
        Http.Response r = http.get(path, admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("data");
    }

    /** Waits until {@code condition} holds, failing after {@code timeout}. */
    public static void await(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Waits until the click log of a link (or the workspace) holds exactly {@code count} clicks;
     * while the store is recovering, 503 answers count as "not yet".
     */
    public void awaitClicks(String idOrNull, long count) {
        String path = "/api/v1/analytics/click-details" + (idOrNull == null ? "" : "/" + idOrNull) + "?limit=1";
        await(Duration.ofSeconds(20), () -> {
            Http.Response r = http.get(path, admin());
            return r.status() == 200 && r.json().get("data").get("pagination").get("total").asLong() >= count;
        });
        assertThat(clickLog(idOrNull, "?limit=1").get("pagination").get("total").asLong()).isEqualTo(count);
    }

    /**
     * Clicks the redirects have handed to the recorder so far ({@code linkpulse_clicks_offered_total}).
     * A click is handed over just after its redirect is written, so a client can hold its answer a
     * moment before this counts it; {@link #awaitRecorderIdle} alone does not wait for that.
     */
    public long clicksOffered() {
        return (long) metric("linkpulse_clicks_offered_total");
    }

    /** The value of one series of {@code /metrics}, named with its labels as printed, e.g. {@code linkpulse_redirects_total{status="301"}}. */
    public double metric(String series) {
        String metrics = http.get("/metrics", admin()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^" + java.util.regex.Pattern.quote(series) + " (\\S+)$",
                java.util.regex.Pattern.MULTILINE).matcher(metrics);
        assertThat(m.find()).as(series + " in /metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** Waits until the recorder has stored every click it took. */
    public void awaitRecorderIdle() {
        await(Duration.ofSeconds(20), () -> {
            JsonNode health = http.get("/health").json();
            return health.get("clicks_queued").asInt() == 0 && health.get("clicks_journaled").asLong() == 0;
        });
    }

    @Override
    public void close() {
        app.close();
        TempDirs.delete(dataDir);
    }
}
