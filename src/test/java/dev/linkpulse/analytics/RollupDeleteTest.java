package dev.linkpulse.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.MutableClock;
import dev.linkpulse.support.TestServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Deleting a link takes its clicks out of the workspace's aggregates, including unique visitors
 * shared with the workspace's other links, and leaves no rollup row of it behind.
 */
class RollupDeleteTest {

    static final long START = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();
    static final String[] COUNTRIES = {"US", "DE", "FR", null};
    static final String[] DOMAINS = {null, "t.co", "news.ycombinator.com"};

    @Test
    void workspaceNumbersAfterADeleteEqualThoseOfTheRemainingClicks() {
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(START + 12 * 86_400_000L));
        try (TestServer server = TestServer.start(Map.of(), clock)) {
            String keep = server.createLink(Map.of("url", "https://example.com/keep")).get("id").asText();
            String gone = server.createLink(Map.of("url", "https://example.com/gone")).get("id").asText();
            List<Click> clicks;
            try (Database db = server.openStore()) {
                String ws = TestServer.workspaceOf(db, keep);
                clicks = generate(new Random(7), keep, gone, ws);
                ClickStore store = new ClickStore(db.jdbi(), db.dialect());
                for (int from = 0; from < clicks.size(); from += 40) {
                    store.insert(clicks.subList(from, Math.min(clicks.size(), from + 40)));
                }
            }
            String range = "&startDate=2026-05-01&endDate=2026-05-08"; // the end date is inclusive: up to 9 May 00:00
            assertBreakdowns(server, clicks, range);

            assertThat(server.http().send("DELETE", "/api/v1/short-urls/" + gone, null, server.admin()).status()).isEqualTo(200);

            List<Click> remaining = clicks.stream().filter(c -> c.linkId().equals(keep)).toList();
            assertThat(remaining.size()).isLessThan(clicks.size());
            assertBreakdowns(server, remaining, range);
            assertBreakdowns(server, remaining, "");
            try (Database db = server.openStore()) {
                for (String table : List.of("visitor_days", "day_totals", "day_stats", "hour_clicks")) {
                    long rows = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE scope_id = :id")
                            .bind("id", gone).mapTo(Long.class).one());
                    assertThat(rows).as(table).isZero();
                }
            }
        }
    }

    /** Visitors (a hash per visitor and day) click both links, so they are shared in the workspace's count. */
    static List<Click> generate(Random r, String a, String b, String ws) {
        ClickIds ids = new ClickIds();
        List<Click> out = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            long at = START + (long) (r.nextDouble() * 10 * 86_400_000L);
            String hash = "v" + r.nextInt(15) + "-" + Math.floorDiv(at, 86_400_000L);
            String domain = DOMAINS[r.nextInt(DOMAINS.length)];
            out.add(new Click(ids.next(at).toString(), r.nextBoolean() ? a : b, ws, at, "https://example.com/", null, "agent",
                    domain == null ? null : "https://" + domain + "/", domain, domain == null ? "direct" : "social",
                    COUNTRIES[r.nextInt(COUNTRIES.length)], null, null, "desktop", "Chrome", "Linux", TrafficClass.HUMAN,
                    hash, new Utm(null, null, null, null, null)));
        }
        return out;
    }

    static void assertBreakdowns(TestServer server, List<Click> clicks, String range) {
        List<Click> in = clicks.stream().filter(c -> range.isEmpty() || c.clickedAt() < START + 8 * 86_400_000L).toList();
        for (var by : Map.<String, Function<Click, String>>of("country", Click::country, "referrer_domain", Click::referrerDomain).entrySet()) {
            JsonNode d = server.http().get("/api/v1/analytics/breakdown?limit=1000&by=" + by.getKey() + range, server.admin()).json().get("data");
            Map<String, long[]> actual = new HashMap<>();
            d.get("data").forEach(row -> actual.put(row.get("value").isNull() ? "-" : row.get("value").asText(),
                    new long[] {row.get("clicks").asLong(), row.get("unique_clicks").asLong()}));
            Map<String, List<Click>> expected = in.stream()
                    .collect(Collectors.groupingBy(c -> Objects.requireNonNullElse(by.getValue().apply(c), "-")));
            assertThat(actual.keySet()).as(by.getKey()).isEqualTo(expected.keySet());
            expected.forEach((value, list) -> {
                assertThat(actual.get(value)[0]).as(by.getKey() + "=" + value).isEqualTo(list.size());
                assertThat(actual.get(value)[1]).as(by.getKey() + "=" + value + " uniques")
                        .isEqualTo(list.stream().map(Click::visitorHash).distinct().count());
            });
            assertThat(d.get("total").asLong()).isEqualTo(in.size());
        }
        JsonNode series = server.http().get("/api/v1/analytics/timeseries?interval=week&startDate=2026-04-27&endDate=2026-05-17",
                server.admin()).json().get("data").get("data");
        long total = 0;
        long uniques = 0;
        for (JsonNode bucket : series) {
            total += bucket.get("clicks").asLong();
            uniques += bucket.get("unique_clicks").asLong();
        }
        assertThat(total).isEqualTo(clicks.size());
        assertThat(uniques).isEqualTo(clicks.stream().map(Click::visitorHash).distinct().count());
    }
}
