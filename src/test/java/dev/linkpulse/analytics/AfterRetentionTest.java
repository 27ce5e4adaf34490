package dev.linkpulse.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;
import dev.linkpulse.config.Setting;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.MutableClock;
import dev.linkpulse.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * After retention has deleted raw clicks: the click log's {@code total} is what its pages hold
 * (workspace and link, with and without filters), and the default time series still counts the
 * deleted clicks' days from the rollups.
 */
class AfterRetentionTest {

    static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");
    /** Deleted by retention (10 days): 20 and 51 days old. */
    static final String OLD = "2026-06-10T08:00:00Z";
    static final String OLDER = "2026-05-10T08:00:00Z";
    /** Kept: 3 days old. */
    static final String RECENT = "2026-06-27T08:00:00Z";

    static TestServer server;
    static String linkA;
    static String linkB;
    static List<Click> stored = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(Setting.RETENTION_DAYS, "10"), new MutableClock(NOW));
        linkA = server.createLink(Map.of("url", "https://example.com/ret-a", "custom_alias", "ret-a")).get("id").asText();
        linkB = server.createLink(Map.of("url", "https://example.com/ret-b", "custom_alias", "ret-b")).get("id").asText();
        try (Database db = server.openStore()) {
            String ws = TestServer.workspaceOf(db, linkA);
            ClickIds ids = new ClickIds();
            int n = 0;
            for (String day : List.of(OLD, OLDER, RECENT)) {
                for (String link : List.of(linkA, linkB)) {
                    for (int i = 0; i < (link.equals(linkA) ? 60 : 25); i++, n++) {
                        long at = Instant.parse(day).toEpochMilli() + i * 60_000L;
                        TrafficClass tc = n % 5 == 0 ? TrafficClass.BOT : n % 7 == 0 ? TrafficClass.PREVIEW : TrafficClass.HUMAN;
                        stored.add(new Click(ids.next(at).toString(), link, ws, at, "https://example.com/x", null, "agent", null, null,
                                "direct", n % 3 == 0 ? "FR" : "DE", null, null, tc == TrafficClass.HUMAN ? "desktop" : "bot", "Firefox",
                                "Linux", tc, "v" + (n % 13) + "-" + at / 86_400_000L, new Utm(null, null, null, null, null)));
                    }
                }
            }
            new ClickStore(db.jdbi(), db.dialect()).insert(stored);
        }
        // Let the rollups count them (retention deletes only counted clicks), then start again: the
        // retention job runs a second after start.
        server.http().get("/api/v1/analytics/analytics/" + linkA + "?startDate=2026-05-01", server.admin());
        server.stop();
        server.startAgain();
        long recent = stored.stream().filter(c -> c.clickedAt() >= Instant.parse(RECENT).toEpochMilli() - 86_400_000L).count();
        TestServer.await(Duration.ofSeconds(20), () -> server.clickLog(null, "?limit=1").get("pagination").get("total").asLong() == recent);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode log(String path) {
        Http.Response r = server.http().get(path, server.admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("data");
    }

    @Test
    void theClickLogsTotalIsWhatItsPagesHold() {
        try (Database db = server.openStore()) {
            long left = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM clicks WHERE clicked_at < :cut")
                    .bind("cut", Instant.parse(RECENT).toEpochMilli() - 86_400_000L).mapTo(Long.class).one());
            assertThat(left).as("raw rows of the old days deleted").isZero();
        }
        for (String scope : List.of("", "/" + linkA, "/ret-b")) {
            for (String filter : List.of("", "traffic=human", "traffic=bot", "country=DE", "traffic=human&country=FR",
                    "startDate=2026-05-01", "startDate=2026-06-01&endDate=2026-06-29&traffic=human", "endDate=2026-06-20")) {
                String base = "/api/v1/analytics/click-details" + scope + "?" + filter + (filter.isEmpty() ? "" : "&");
                JsonNode first = log(base + "limit=7");
                long total = first.get("pagination").get("total").asLong();
                List<String> walked = new ArrayList<>();
                JsonNode page = first;
                while (true) {
                    page.get("data").forEach(c -> walked.add(c.get("id").asText()));
                    JsonNode next = page.get("pagination").get("next_cursor");
                    if (next.isNull()) {
                        break;
                    }
                    page = log(base + "limit=7&cursor=" + next.asText());
                }
                assertThat(walked).as(base).doesNotHaveDuplicates();
                assertThat(total).as(base + " total").isEqualTo(walked.size());
                assertThat(log(base + "limit=1000").get("data").size()).as(base).isEqualTo(walked.size());
            }
        }
        // since_id as well: what is stored after a click, counted and paged alike.
        String pivot = log("/api/v1/analytics/click-details/" + linkA + "?limit=1000").get("data").get(30).get("id").asText();
        JsonNode since = log("/api/v1/analytics/click-details/" + linkA + "?limit=1000&traffic=human&since_id=" + pivot);
        assertThat(since.get("pagination").get("total").asLong()).isEqualTo(since.get("data").size()).isPositive();
    }

    @Test
    void whileTheRollupsAreHeldUpTheDeletedDaysStillCountFromThem() throws Exception {
        // Link B only: the other tests read link A's series.
        long expected = stored.stream().filter(c -> c.linkId().equals(linkB) && c.trafficClass() == TrafficClass.HUMAN).count();
        String path = "/api/v1/analytics/analytics/" + linkB + "?startDate=2026-05-01";
        assertThat(log(path).get("total_clicks").asLong()).isEqualTo(expected);
        java.sql.Connection lock = null;
        int added = 0;
        try (Database db = server.openStore()) {
            String ws = stored.get(0).workspaceId();
            ClickIds ids = new ClickIds();
            ClickStore store = new ClickStore(db.jdbi(), db.dialect());
            RollupProbe probe = new RollupProbe(db);
            // A click of today stays uncounted: stored, then the rollups held (once more if the
            // server's worker counted it before the lock).
            for (int attempt = 0; attempt < 20 && (lock == null || probe.lag() == 0); attempt++) {
                if (lock != null) {
                    lock.rollback();
                    lock.close();
                }
                long at = NOW.toEpochMilli() - 1_000 + attempt;
                store.insert(List.of(new Click(ids.next(at).toString(), linkB, ws, at, "https://example.com/x", null, "agent", null,
                        null, "direct", "DE", null, null, "desktop", "Firefox", "Linux", TrafficClass.HUMAN, "late-" + attempt,
                        new Utm(null, null, null, null, null))));
                added++;
                lock = server.lockRollups();
            }
            assertThat(probe.lag()).isPositive();
            // The question waits for the rollups (2 s), then takes the days before today from them:
            // 10 May and 10 June, whose raw rows are gone, still count.
            assertThat(log(path).get("total_clicks").asLong()).isEqualTo(expected + added);
            assertThat(log("/api/v1/analytics/timeseries/" + linkB + "?interval=week&startDate=2026-05-01")
                    .get("data").findValues("clicks").stream().mapToLong(JsonNode::asLong).sum()).isEqualTo(expected + added);
        } finally {
            if (lock != null) {
                lock.rollback();
                lock.close();
            }
        }
        try (Database db = server.openStore()) {
            TestServer.await(Duration.ofSeconds(20), () -> new RollupProbe(db).lag() == 0);
        }
    }

    /** How many stored clicks the rollups do not count yet. */
    private record RollupProbe(Database db) {
        long lag() {
            return db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT (SELECT last FROM click_sequence WHERE id = 1) - watermark FROM rollup_watermark WHERE id = 1").mapTo(Long.class).one());
        }
    }

    @Test
    void theDefaultTimeseriesCountsTheDeletedDaysFromTheRollups() {
        // Human clicks of link A per day, as stored (and as the rollups counted them before the raw rows went).
        Map<String, Long> perDay = new java.util.TreeMap<>();
        stored.stream().filter(c -> c.linkId().equals(linkA) && c.trafficClass() == TrafficClass.HUMAN)
                .forEach(c -> perDay.merge(Instant.ofEpochMilli(c.clickedAt()).toString().substring(0, 10), 1L, Long::sum));
        JsonNode days = log("/api/v1/analytics/timeseries/" + linkA + "?interval=day");
        Map<String, Long> got = new java.util.TreeMap<>();
        days.get("data").forEach(b -> {
            if (b.get("clicks").asLong() > 0) {
                got.put(b.get("bucket").asText().substring(0, 10), b.get("clicks").asLong());
            }
        });
        // The default day series covers the last 30 days: 10 June (raw rows deleted) and 27 June.
        Map<String, Long> expected = new java.util.TreeMap<>();
        expected.put("2026-06-10", perDay.get("2026-06-10"));
        expected.put("2026-06-27", perDay.get("2026-06-27"));
        assertThat(got).isEqualTo(expected);
        // Whole buckets, from a UTC midnight: the same answer as the explicit whole-day range.
        assertThat(days.get("filters").get("startDate").asText()).isEqualTo("2026-05-31T00:00:00.000Z");
        JsonNode explicit = log("/api/v1/analytics/timeseries/" + linkA + "?interval=day&startDate=2026-05-31");
        assertThat(days.get("data")).isEqualTo(explicit.get("data"));
        // Weeks reach back to 10 May, whose raw rows are gone too.
        JsonNode weeks = log("/api/v1/analytics/timeseries/" + linkA + "?interval=week");
        long total = 0;
        for (JsonNode b : weeks.get("data")) {
            total += b.get("clicks").asLong();
        }
        assertThat(total).isEqualTo(perDay.values().stream().mapToLong(Long::longValue).sum());
        assertThat(new HashSet<>(perDay.keySet())).contains("2026-05-10");
    }
}
