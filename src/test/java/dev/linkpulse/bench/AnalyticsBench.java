package dev.linkpulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkpulse.App;
import dev.linkpulse.clicks.ingest.ClickRecorder;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.config.Config;
import dev.linkpulse.config.ConfigLoader;
import dev.linkpulse.config.Setting;
import dev.linkpulse.demo.DemoData;
import dev.linkpulse.keys.KeyService;
import dev.linkpulse.links.LinkService;
import dev.linkpulse.store.Database;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Analytics latency on a large store: fills {@code clicks} clicks over 100 links (the first holds
 * a fifth) with demo data, starts the server, and times each endpoint. Prints p50 and p99.
 * Usage: {@code AnalyticsBench [clicks] [requests-per-endpoint] [data-dir-to-reuse]}; {@code -Dstore=postgresql}
 * for the embedded PostgreSQL, {@code -Dhold=SECONDS} to keep that server up after the run (its URL
 * is printed) for EXPLAIN on the filled store, and {@code -Ddb=URL} to ask that kept store again
 * without refilling it (two builds compared on one store).
 */
public final class AnalyticsBench {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String KEY = "lp_bench_admin_key_0123456789abcdef";

    public static void main(String[] args) throws Exception {
        long clicks = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("linkpulse-analytics-bench");
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.PORT, "0");
        flags.put(Setting.DATA_DIR, dir.toString());
        flags.put(Setting.INITIAL_API_KEY, KEY);
        flags.put(Setting.RATE_LIMITS, "read=1000000/min,analytics=1000000/min,write=1000000/min");
        // -Dstore=postgresql: the tests' embedded PostgreSQL, filled anew every run and removed at the end.
        // -Ddb=URL: a PostgreSQL database filled by an earlier run kept with -Dhold, asked again without refilling.
        String reused = System.getProperty("db");
        dev.linkpulse.support.Postgres pg = reused == null && "postgresql".equals(System.getProperty("store"))
                ? dev.linkpulse.support.Postgres.startNew() : null;
        if (pg != null || reused != null) {
            flags.put(Setting.DB_URL, reused != null ? reused : pg.newDatabase());
            flags.put(Setting.DB_USER, dev.linkpulse.support.Postgres.USER);
        }
        Config config = ConfigLoader.load(Map.of(), flags);
        try {
            run(config, pg != null, reused != null, clicks, requests, dir);
            long hold = Long.getLong("hold", 0);
            if (pg != null && hold > 0) {
                System.out.println("store: PostgreSQL kept for " + hold + " s at " + flags.get(Setting.DB_URL));
                Thread.sleep(hold * 1000);
            }
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    private static void run(Config config, boolean freshPostgres, boolean reusedPostgres, long clicks, int requests, Path dir) throws Exception {
        boolean postgres = freshPostgres || reusedPostgres;
        if (freshPostgres || (!reusedPostgres && !Files.exists(Database.sqliteFile(dir)))) {
            try (Database db = App.openStore(config); var changes = db.openChangeFeed()) {
                Clock clock = Clock.systemUTC();
                KeyService keys = new KeyService(db.jdbi(), clock);
                keys.ensureFirstKey(Optional.of(KEY));
                ClickStore store = new ClickStore(db.jdbi(), db.dialect());
                new DemoData(new LinkService(db.jdbi(), store, changes, clock), store,
                        new dev.linkpulse.clicks.rollups.RollupStep(db.jdbi(), db.dialect()), clock, 7)
                        .generate(keys.workspaceId(Optional.empty()), 100, clicks, 90, 0.2, System.err);
            }
        }
        try (App app = App.start(config, Clock.systemUTC(), ClickRecorder.Settings.DEFAULT)) {
            String base = "http://127.0.0.1:" + app.port();
            JsonNode top = get(base + "/api/v1/short-urls?sort=clicks&order=desc&limit=1").get("data").get("shortUrls").get(0);
            String link = top.get("id").asText();
            System.out.printf("store: " + (postgres ? "PostgreSQL" : "SQLite") + ", %,d clicks, busiest link %s with %,d human clicks%n", clicks, top.get("short_code").asText(),
                    top.get("clicks").asLong());
            String cursor = get(base + "/api/v1/analytics/click-details/" + link + "?limit=100").get("data").get("pagination")
                    .get("next_cursor").asText();
            String ninetyDays = "&startDate=" + java.time.LocalDate.now().minusDays(89) + "&endDate=" + java.time.LocalDate.now();
            Map<String, String> endpoints = new java.util.LinkedHashMap<>();
            endpoints.put("click-details first page (1M link)", "/api/v1/analytics/click-details/" + link + "?limit=100");
            endpoints.put("click-details first page (workspace)", "/api/v1/analytics/click-details?limit=100");
            endpoints.put("click-details offset 100,000", "/api/v1/analytics/click-details/" + link + "?limit=100&offset=100000");
            endpoints.put("click-details cursor page", "/api/v1/analytics/click-details/" + link + "?limit=100&cursor=" + cursor);
            endpoints.put("breakdown by country (1M link)", "/api/v1/analytics/breakdown/" + link + "?by=country");
            endpoints.put("breakdown by country (workspace)", "/api/v1/analytics/breakdown?by=country");
            endpoints.put("core metrics (1M link)", "/api/v1/analytics/analytics/" + link);
            endpoints.put("90-day daily series (1M link)", "/api/v1/analytics/timeseries/" + link + "?interval=day" + ninetyDays);
            endpoints.put("geographic (1M link)", "/api/v1/analytics/geographic/" + link);
            endpoints.put("traffic quality (1M link)", "/api/v1/analytics/traffic-quality/" + link);
            endpoints.put("referrers (workspace, 30 days)", "/api/v1/analytics/referrers");
            for (Map.Entry<String, String> e : endpoints.entrySet()) {
                long first = System.nanoTime();
                get(base + e.getValue());
                boolean slow = System.nanoTime() - first > 500_000_000L;
                // Fast endpoints get a JIT warm-up; slow ones (seconds each) only a few timed runs.
                for (int i = 0; !slow && i < 200; i++) {
                    get(base + e.getValue());
                }
                int n = slow ? Math.min(requests, 3) : requests;
                long[] nanos = new long[n];
                for (int i = 0; i < n; i++) {
                    long t = System.nanoTime();
                    get(base + e.getValue());
                    nanos[i] = System.nanoTime() - t;
                }
                Arrays.sort(nanos);
                System.out.printf("RESULT %-38s p50 %8.1f ms   p99 %8.1f ms   (%d requests)%n", e.getKey(),
                        nanos[n / 2] / 1e6, nanos[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1e6, n);
            }
            export(base + "/api/v1/analytics/click-details/" + link + "?format=ndjson");
        }
    }

    private static void export(String url) throws Exception {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        long[] peak = {before};
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak[0] = Math.max(peak[0], rt.totalMemory() - rt.freeMemory());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long t = System.nanoTime();
        HttpResponse<InputStream> r = HTTP.send(request(url), HttpResponse.BodyHandlers.ofInputStream());
        long lines = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = r.body()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        sampler.interrupt();
        System.out.printf("RESULT %-38s %,d rows in %.1f s = %,.0f rows/s; heap in use %,d MiB before, peak %,d MiB%n",
                "export ndjson (1M link)", lines, seconds, lines / seconds, before >> 20, peak[0] >> 20);
    }

    private static HttpRequest request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + KEY).GET().build();
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(request(url), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " -> " + r.statusCode() + " " + r.body());
        }
        return MAPPER.readTree(r.body());
    }
}
