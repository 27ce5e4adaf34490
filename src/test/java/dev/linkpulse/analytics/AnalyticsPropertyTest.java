package dev.linkpulse.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.rollups.ClickAggregates;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.clicks.rollups.RollupStep;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.MutableClock;
import dev.linkpulse.support.TestServer;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every aggregate endpoint against a brute-force recomputation from the raw rows: seeded random
 * clicks are written to the store, and each number the API gives is recomputed here from the list.
 */
class AnalyticsPropertyTest {

    static final long NOW = Instant.parse("2026-04-01T00:00:00Z").toEpochMilli();
    static final MutableClock CLOCK = new MutableClock(Instant.ofEpochMilli(NOW));
    static final String[] COUNTRIES = {"US", "GB", "DE", null};
    static final String[] CITIES = {"Boston", "London", "Berlin", null};
    static final String[] DEVICES = {"desktop", "mobile", "tablet", "bot"};
    static final String[] BROWSERS = {"Chrome", "Safari", "Firefox", null};
    static final String[] OSES = {"Windows", "iOS", "Android", null};
    static final String[] SOURCES = {"direct", "social", "search", "email", "referral"};
    static final String[] DOMAINS = {null, "t.co", "google.com", "mail.google.com", "blog.example.org"};
    static final String[] UTM = {null, "newsletter", "twitter"};

    static TestServer server;
    static List<Click> all;
    static String linkA;
    static String linkB;
    static String workspace;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), CLOCK);
        JsonNode a = server.createLink(Map.of("url", "https://example.com/a", "custom_alias", "prop-a"));
        JsonNode b = server.createLink(Map.of("url", "https://example.com/b", "custom_alias", "prop-b"));
        linkA = a.get("id").asText();
        linkB = b.get("id").asText();
        try (Database db = server.openStore()) {
            workspace = TestServer.workspaceOf(db, linkA);
            all = generate(new Random(20260326L), 600);
            // Several batches, each counted into the rollups by a step of its own, so visitors already
            // counted by an earlier step come back.
            ClickStore store = new ClickStore(db.jdbi(), db.dialect());
            RollupStep rollups = new RollupStep(db.jdbi(), db.dialect());
            for (int from = 0; from < all.size(); from += 45) {
                store.insert(all.subList(from, Math.min(all.size(), from + 45)));
                assertThat(rollups.catchUp(Duration.ofSeconds(30))).isTrue();
            }
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * Clicks over March 2026 (US and EU daylight-saving changes inside), some on equal milliseconds.
     * Visitors behave as the real hash makes them: a hash stands for one visitor on one UTC day
     * (the salt changes daily), and its traffic class comes from its user agent, so it is fixed.
     * Everything else (place, device, referrer, UTM) varies per click, which the rollups must
     * count exactly too. One visitor clicks often on 12 March, so some clicks look suspicious.
     */
    static List<Click> generate(Random r, int n) {
        return generate(r, n, linkA, linkB, workspace);
    }

    static List<Click> generate(Random r, int n, String linkA, String linkB, String workspace) {
        List<Click> out = new ArrayList<>();
        ClickIds ids = new ClickIds();
        long start = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
        long heavyDay = Instant.parse("2026-03-12T00:00:00Z").toEpochMilli();
        long span = NOW - start;
        for (int i = 0; i < n; i++) {
            boolean heavy = i % 25 == 0;
            long at = heavy ? heavyDay + (long) (r.nextDouble() * 86_400_000L)
                    : i % 10 == 1 && !out.isEmpty() ? out.get(out.size() - 1).clickedAt() : start + (long) (r.nextDouble() * span);
            int visitor = heavy ? 0 : 1 + r.nextInt(30);
            int place = r.nextInt(COUNTRIES.length);
            String source = SOURCES[r.nextInt(SOURCES.length)];
            String domain = source.equals("direct") ? null : DOMAINS[1 + r.nextInt(DOMAINS.length - 1)];
            TrafficClass tc = visitor % 10 < 7 ? TrafficClass.HUMAN : visitor % 2 == 0 ? TrafficClass.BOT : TrafficClass.PREVIEW;
            String device = tc == TrafficClass.HUMAN ? DEVICES[r.nextInt(3)] : "bot";
            String hash = "visitor-" + visitor + "-" + Math.floorDiv(at, 86_400_000L);
            out.add(new Click(ids.next(at).toString(), r.nextInt(3) == 0 ? linkB : linkA, workspace, at,
                    "https://example.com/x", "81.2.xxx.xxx", "agent", domain == null ? null : "https://" + domain + "/",
                    domain, source, COUNTRIES[place], place == 3 ? null : "Region " + place, CITIES[place], device,
                    BROWSERS[r.nextInt(BROWSERS.length)], OSES[r.nextInt(OSES.length)], tc,
                    hash, new Utm(UTM[r.nextInt(UTM.length)], null, null, null, null)));
        }
        return out;
    }

    // ---- the oracle ----

    static List<Click> select(String linkId, Predicate<Click> filter) {
        return all.stream().filter(c -> linkId == null || c.linkId().equals(linkId)).filter(filter).toList();
    }

    static Predicate<Click> humans() {
        return c -> c.trafficClass() == TrafficClass.HUMAN;
    }

    static long uniques(List<Click> clicks) {
        return clicks.stream().map(Click::visitorHash).distinct().count();
    }

    static double percent(long part, long whole, int decimals) {
        return AnalyticsApi.percent(part, whole, decimals);
    }

    record Row(String value, long clicks, long uniques) {}

    static List<Row> groups(List<Click> clicks, Function<Click, String> key) {
        Map<String, List<Click>> by = new HashMap<>();
        clicks.forEach(c -> by.computeIfAbsent(Objects.requireNonNullElse(key.apply(c), "\u0000null"), k -> new ArrayList<>()).add(c));
        return by.entrySet().stream()
                .map(e -> new Row(e.getKey().equals("\u0000null") ? null : e.getKey(), e.getValue().size(), uniques(e.getValue())))
                .sorted(Comparator.comparing(Row::clicks).reversed())
                .toList();
    }

    static JsonNode get(String path) {
        Http.Response r = server.http().get(path, server.admin());
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(200);
        return r.json().get("data");
    }

    /** The rows of an answer as (value, clicks, uniques), compared as sets: equal counts may come in any order. */
    static void assertRows(JsonNode rows, List<Row> expected, String valueField, String uniqueField) {
        Set<Row> actual = new HashSet<>();
        rows.forEach(r -> actual.add(new Row(r.get(valueField).isNull() ? null : r.get(valueField).asText(),
                r.get("clicks").asLong(), r.get(uniqueField).asLong())));
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
        List<Long> order = new ArrayList<>();
        rows.forEach(r -> order.add(r.get("clicks").asLong()));
        assertThat(order).isSortedAccordingTo(Comparator.reverseOrder());
    }

    // ---- the properties ----

    @ParameterizedTest
    @ValueSource(strings = {"", "?startDate=2026-03-10&endDate=2026-03-20", "?country=GB", "?device_type=mobile&source=social",
            "?traffic=all", "?traffic=bot", "?browser=Safari&os=iOS", "?referrer_domain=t.co", "?city=Berlin",
            "?startDate=2026-03-15T12:00:00%2B02:00&end_date=2026-03-31T00:00:00Z", "?start_date=2026-03-12&end_date=2026-03-12&traffic=all",
            "?startDate=2026-03-05&traffic=preview", "?startDate=2026-03-03T05:00:00Z&endDate=2026-03-27T18:30:00Z&traffic=all",
            "?startDate=2026-03-12T23:00:00Z&endDate=2026-03-13T01:00:00Z"})
    void coreMetricsMatchTheRawRows(String query) {
        for (String link : new String[] {linkA, linkB}) {
            JsonNode d = get("/api/v1/analytics/analytics/" + link + query);
            List<Click> rows = select(link, Filters.of(query));
            assertCoreMetrics(d, rows, query);
        }
    }

    /** Every number of the core metrics answer {@code d}, recomputed from {@code rows}. */
    static void assertCoreMetrics(JsonNode d, List<Click> rows, String query) {
        assertThat(d.get("total_clicks").asLong()).as(query).isEqualTo(rows.size());
        assertThat(d.get("unique_clicks").asLong()).isEqualTo(uniques(rows));
        Map<String, List<Click>> byVisitor = rows.stream().collect(Collectors.groupingBy(Click::visitorHash));
        long returning = byVisitor.values().stream().filter(v -> v.size() > 1).count();
        assertThat(d.get("returning_visitors").asLong()).isEqualTo(returning);
        assertThat(d.get("new_visitors").asLong()).isEqualTo(byVisitor.size() - returning);
        double avg = byVisitor.values().stream().mapToDouble(v -> (v.stream().mapToLong(Click::clickedAt).max().getAsLong()
                - v.stream().mapToLong(Click::clickedAt).min().getAsLong()) / 1000.0).average().orElse(0);
        assertThat(d.get("avg_session_duration").asDouble()).isEqualTo(Math.round(avg * 10) / 10.0);
        assertThat(d.get("active_days").asLong()).isEqualTo(rows.stream().map(c -> c.clickedAt() / 86_400_000).distinct().count());
        assertThat(d.get("active_hours").asLong()).isEqualTo(rows.stream().map(c -> c.clickedAt() / 3_600_000).distinct().count());
        // The daily series holds every click, bucket by UTC day, zero-filled.
        long inSeries = 0;
        for (JsonNode bucket : d.get("series")) {
            long startMs = Instant.parse(bucket.get("bucket").asText()).toEpochMilli();
            List<Click> in = rows.stream().filter(c -> c.clickedAt() >= startMs && c.clickedAt() < startMs + 86_400_000).toList();
            assertThat(bucket.get("clicks").asLong()).isEqualTo(in.size());
            assertThat(bucket.get("unique_clicks").asLong()).isEqualTo(uniques(in));
            inSeries += in.size();
        }
        assertThat(inSeries).isEqualTo(rows.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"country", "region", "city", "device_type", "browser", "os", "referrer", "referrer_domain",
            "source", "utm_source"})
    void breakdownsMatchTheRawRows(String by) {
        Function<Click, String> key = switch (by) {
            case "country" -> Click::country;
            case "region" -> Click::region;
            case "city" -> Click::city;
            case "device_type" -> Click::deviceType;
            case "browser" -> Click::browser;
            case "os" -> Click::os;
            case "referrer" -> Click::referrer;
            case "referrer_domain" -> Click::referrerDomain;
            case "source" -> Click::source;
            default -> c -> c.utm().source();
        };
        for (String query : new String[] {"", "&traffic=all", "&startDate=2026-03-05&endDate=2026-03-25&country=US",
                "&startDate=2026-03-04T07:30:00Z&endDate=2026-03-21T22:00:00Z"}) {
            for (String link : new String[] {null, linkA}) {
                JsonNode d = get("/api/v1/analytics/breakdown" + (link == null ? "" : "/" + link) + "?by=" + by + "&limit=1000" + query);
                List<Click> rows = select(link, Filters.of(query.replaceFirst("&", "?")));
                List<Row> expected = groups(rows, key);
                assertRows(d.get("data"), expected, "value", "unique_clicks");
                assertThat(d.get("total").asLong()).isEqualTo(rows.size());
                assertThat(d.get("total_values").asLong()).isEqualTo(expected.size());
                d.get("data").forEach(r -> assertThat(r.get("percentage").asDouble())
                        .isEqualTo(percent(r.get("clicks").asLong(), rows.size(), 1)));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "America/New_York", "Asia/Kolkata", "Europe/Berlin"})
    void hourOfDayAndDayOfWeekFollowTheTimeZone(String zone) {
        ZoneId z = ZoneId.of(zone);
        List<Click> rows = select(null, humans());
        JsonNode hours = get("/api/v1/analytics/breakdown?by=hour_of_day&limit=1000&timezone=" + zone);
        assertRows(hours.get("data"), groups(rows, c -> Integer.toString(Instant.ofEpochMilli(c.clickedAt()).atZone(z).getHour())),
                "value", "unique_clicks");
        JsonNode days = get("/api/v1/analytics/breakdown?by=day_of_week&limit=1000&timezone=" + zone);
        assertRows(days.get("data"), groups(rows, c -> Integer.toString(
                Instant.ofEpochMilli(c.clickedAt()).atZone(z).getDayOfWeek().getValue() % 7)), "value", "unique_clicks");
    }

    @ParameterizedTest
    @ValueSource(strings = {"day|UTC", "day|America/New_York", "day|Asia/Kolkata", "hour|Europe/Berlin", "week|Europe/Berlin",
            "month|America/New_York", "minute|UTC"})
    void timeSeriesBucketsFollowTheTimeZoneAndAreZeroFilled(String spec) {
        String interval = spec.split("\\|")[0];
        ZoneId zone = ZoneId.of(spec.split("\\|")[1]);
        String range = interval.equals("minute") ? "&startDate=2026-03-10T10:00:00Z&endDate=2026-03-10T13:00:00Z"
                : "&startDate=2026-03-01T00:00:00Z&endDate=2026-03-31T23:59:59Z";
        JsonNode d = get("/api/v1/analytics/timeseries/" + linkA + "?interval=" + interval + "&timezone=" + zone + range);
        Predicate<Click> filter = Filters.of(range.replaceFirst("&", "?"));
        List<Click> rows = select(linkA, filter);
        JsonNode buckets = d.get("data");
        assertThat(buckets.size()).isGreaterThan(0);
        long counted = 0;
        ZonedDateTime previous = null;
        for (int i = 0; i < buckets.size(); i++) {
            ZonedDateTime start = Instant.parse(buckets.get(i).get("bucket").asText()).atZone(zone);
            ZonedDateTime end = i + 1 < buckets.size() ? Instant.parse(buckets.get(i + 1).get("bucket").asText()).atZone(zone)
                    : nextBucket(start, interval);
            assertThat(start).isEqualTo(floor(start, interval));
            if (previous != null) {
                assertThat(start).isEqualTo(nextBucket(previous, interval));
            }
            long s = start.toInstant().toEpochMilli();
            long e = end.toInstant().toEpochMilli();
            List<Click> in = rows.stream().filter(c -> c.clickedAt() >= s && c.clickedAt() < e).toList();
            assertThat(buckets.get(i).get("clicks").asLong()).as(start.toString()).isEqualTo(in.size());
            assertThat(buckets.get(i).get("unique_clicks").asLong()).isEqualTo(uniques(in));
            counted += in.size();
            previous = start;
        }
        assertThat(counted).isEqualTo(rows.size());
    }

    static ZonedDateTime floor(ZonedDateTime t, String interval) {
        return switch (interval) {
            case "minute" -> t.withSecond(0).withNano(0);
            case "hour" -> t.withMinute(0).withSecond(0).withNano(0);
            case "day" -> t.toLocalDate().atStartOfDay(t.getZone());
            case "week" -> t.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(t.getZone());
            default -> t.toLocalDate().withDayOfMonth(1).atStartOfDay(t.getZone());
        };
    }

    static ZonedDateTime nextBucket(ZonedDateTime t, String interval) {
        LocalDate d = t.toLocalDate();
        return switch (interval) {
            case "minute" -> t.plusMinutes(1);
            case "hour" -> t.plusHours(1);
            case "day" -> d.plusDays(1).atStartOfDay(t.getZone());
            case "week" -> d.plusWeeks(1).atStartOfDay(t.getZone());
            default -> d.plusMonths(1).atStartOfDay(t.getZone());
        };
    }

    @Test
    void geographyMatchesTheRawRows() {
        for (String query : new String[] {"", "?startDate=2026-03-10", "?traffic=all&device_type=bot"}) {
            JsonNode d = get("/api/v1/analytics/geographic/" + linkA + query);
            List<Click> rows = select(linkA, Filters.of(query));
            List<Row> expected = groups(rows, c -> c.country() + "|" + c.region() + "|" + c.city());
            Set<Row> actual = new HashSet<>();
            d.get("data").forEach(r -> actual.add(new Row(text(r, "country_code") + "|" + text(r, "region") + "|" + text(r, "city"),
                    r.get("clicks").asLong(), r.get("unique_clicks").asLong())));
            assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(d.get("total_locations").asLong()).isEqualTo(expected.size());
            d.get("data").forEach(r -> {
                assertThat(r.get("percentage").asDouble()).isEqualTo(percent(r.get("clicks").asLong(), rows.size(), 1));
                if ("GB".equals(text(r, "country_code"))) {
                    assertThat(r.get("country").asText()).isEqualTo("United Kingdom");
                }
            });
        }
    }

    static String text(JsonNode r, String field) {
        return r.get(field).isNull() ? null : r.get(field).asText();
    }

    @Test
    void referrersAndSourcesMatchTheRawRows() {
        JsonNode d = get("/api/v1/analytics/referrers?dateRange=all_time");
        List<Click> rows = select(null, humans());
        List<Row> expected = groups(rows, c -> (c.referrerDomain() == null ? "Direct" : c.referrerDomain()) + "|" + c.source());
        Set<Row> actual = new HashSet<>();
        d.get("data").forEach(r -> actual.add(new Row(r.get("referrer").asText() + "|" + r.get("source_category").asText(),
                r.get("clicks").asLong(), r.get("unique_visitors").asLong())));
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
        Map<String, Long> bySource = rows.stream().collect(Collectors.groupingBy(Click::source, Collectors.counting()));
        JsonNode ts = d.get("traffic_sources");
        assertThat(ts.get("social").asLong()).isEqualTo(bySource.getOrDefault("social", 0L));
        assertThat(ts.get("search").asLong()).isEqualTo(bySource.getOrDefault("search", 0L));
        assertThat(ts.get("direct").asLong()).isEqualTo(bySource.getOrDefault("direct", 0L));
        assertThat(ts.get("other").asLong()).isEqualTo(bySource.getOrDefault("referral", 0L) + bySource.getOrDefault("email", 0L));
        for (String source : SOURCES) {
            JsonNode cat = d.get("category_totals").get(source);
            List<Click> in = rows.stream().filter(c -> c.source().equals(source)).toList();
            assertThat(cat.get("clicks").asLong()).isEqualTo(in.size());
            assertThat(cat.get("unique_visitors").asLong()).isEqualTo(uniques(in));
            assertThat(cat.get("percentage").asDouble()).isEqualTo(percent(in.size(), rows.size(), 1));
        }
        // The default window is the last 30 days (the clock stands at April 1st).
        JsonNode recent = get("/api/v1/analytics/referrers");
        long last30 = rows.stream().filter(c -> c.clickedAt() >= NOW - 30L * 86_400_000).count();
        long sum = 0;
        for (JsonNode r : recent.get("data")) {
            sum += r.get("clicks").asLong();
        }
        assertThat(sum).isEqualTo(last30);

        Http.Response sources = server.http().get("/api/v1/analytics/user-traffic-sources", server.admin());
        JsonNode list = sources.json().get("data");
        assertThat(list).hasSize(5);
        for (JsonNode s : list) {
            String name = s.get("source").asText().toLowerCase();
            assertThat(s.get("clicks").asLong()).isEqualTo(bySource.getOrDefault(name, 0L));
            assertThat(s.get("percentage").asDouble()).isEqualTo(percent(bySource.getOrDefault(name, 0L), rows.size(), 1));
        }
    }

    @Test
    void trafficQualityMatchesTheRawRows() {
        JsonNode d = get("/api/v1/analytics/traffic-quality/" + linkA);
        List<Click> rows = select(linkA, c -> true);
        long human = rows.stream().filter(c -> c.trafficClass() == TrafficClass.HUMAN).count();
        long bot = rows.stream().filter(c -> c.trafficClass() == TrafficClass.BOT).count();
        long preview = rows.stream().filter(c -> c.trafficClass() == TrafficClass.PREVIEW).count();
        assertThat(d.get("human_clicks").asLong()).isEqualTo(human);
        assertThat(d.get("bot_clicks").asLong()).isEqualTo(bot);
        assertThat(d.get("preview_clicks").asLong()).isEqualTo(preview);
        assertThat(d.get("bot_percentage").asDouble()).isEqualTo(percent(bot, rows.size(), 2));
        long suspicious = rows.stream().filter(c -> c.trafficClass() == TrafficClass.HUMAN)
                .collect(Collectors.groupingBy(Click::visitorHash, Collectors.counting())).values().stream()
                .filter(n -> n > ClickAggregates.SUSPICIOUS_CLICKS_PER_VISITOR).mapToLong(Long::longValue).sum();
        assertThat(d.get("suspicious_clicks").asLong()).isEqualTo(suspicious).isPositive();
        double bad = (bot + suspicious) * 100.0 / rows.size();
        assertThat(d.get("traffic_health").asText()).isEqualTo(bad < 10 ? "good" : bad < 30 ? "fair" : "poor");
    }

    @Test
    void recentListsLinksByLastClick() {
        // Counters come from the recorder's batch; these rows were written with the store's own insert.
        Http.Response r = server.http().get("/api/v1/analytics/recent?limit=5", server.admin());
        JsonNode list = r.json().get("data");
        assertThat(list.size()).isGreaterThanOrEqualTo(2);
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        list.forEach(l -> byId.put(l.get("id").asText(), l));
        for (String link : new String[] {linkA, linkB}) {
            List<Click> rows = select(link, c -> true);
            JsonNode l = byId.get(link);
            assertThat(l.get("stored_clicks").asLong()).isEqualTo(rows.size());
            assertThat(l.get("actual_clicks").asLong()).isEqualTo(rows.size());
            assertThat(l.get("click_count").asLong()).isEqualTo(rows.stream().filter(humans()).count());
            long last = rows.stream().mapToLong(Click::clickedAt).max().getAsLong();
            assertThat(Instant.parse(l.get("last_clicked_at").asText()).toEpochMilli()).isEqualTo(last);
        }
    }

    /**
     * Late clicks (stored in a later batch, after the rollups counted the days they belong to),
     * replays (batches stored twice) and retention (raw rows deleted): answers from the rollups
     * (whole UTC days, no dimension filter) must equal the oracle over every click ever stored once;
     * answers that need raw rows, the oracle over the clicks retention kept.
     */
    @Test
    void rollupsStayExactThroughLateClicksReplaysAndRetention() {
        // Retention of 20 days at April 1st: the raw rows before March 12 go.
        long cutoff = NOW - 20L * 86_400_000L;
        // The clock stands 40 days earlier while the clicks are stored, so retention deletes nothing
        // before every late click and replay is in; then it moves to April 1st and the server restarts.
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(NOW).minus(java.time.Duration.ofDays(40)));
        try (TestServer other = TestServer.start(Map.of(dev.linkpulse.config.Setting.RETENTION_DAYS, "20"), clock)) {
            String a = other.createLink(Map.of("url", "https://example.com/a", "custom_alias", "late-a")).get("id").asText();
            String b = other.createLink(Map.of("url", "https://example.com/b", "custom_alias", "late-b")).get("id").asText();
            List<Click> clicks;
            try (Database db = other.openStore()) {
                String ws = TestServer.workspaceOf(db, a);
                clicks = new ArrayList<>(generate(new Random(20261130L), 600, a, b, ws));
                clicks.sort(Comparator.comparingLong(Click::clickedAt));
                ClickStore store = new ClickStore(db.jdbi(), db.dialect());
                List<Click> late = new ArrayList<>();
                List<Click> onTime = new ArrayList<>();
                for (int i = 0; i < clicks.size(); i++) {
                    (i % 6 == 3 ? late : onTime).add(clicks.get(i));
                }
                for (int from = 0; from < onTime.size(); from += 45) {
                    List<Click> batch = onTime.subList(from, Math.min(onTime.size(), from + 45));
                    store.insert(batch);
                    if (from % 135 == 0) {
                        store.insert(batch); // a replay of the whole batch
                    }
                }
                // The rollups count every on-time click before the late ones arrive.
                JsonNode before = otherGet(other, "/api/v1/analytics/analytics/" + a + "?startDate=2026-03-01&endDate=2026-03-31");
                assertThat(before.get("total_clicks").asLong()).isEqualTo(
                        onTime.stream().filter(c -> c.linkId().equals(a) && c.trafficClass() == TrafficClass.HUMAN).count());
                for (int from = 0; from < late.size(); from += 30) {
                    List<Click> batch = new ArrayList<>(late.subList(from, Math.min(late.size(), from + 30)));
                    batch.addAll(onTime.subList(from, from + 10)); // a replay mixed into a late batch
                    store.insert(batch);
                }
            }
            // Count everything into the rollups, then start again: retention runs a second after start.
            otherGet(other, "/api/v1/analytics/analytics/" + a);
            other.stop();
            clock.advance(java.time.Duration.ofDays(40));
            other.startAgain();
            long keptCount = clicks.stream().filter(c -> c.clickedAt() >= cutoff).count();
            TestServer.await(java.time.Duration.ofSeconds(20),
                    () -> other.clickLog(null, "?limit=1").get("pagination").get("total").asLong() == keptCount);
            List<Click> kept = clicks.stream().filter(c -> c.clickedAt() >= cutoff).toList();

            for (String link : new String[] {a, b}) {
                // From the rollups: every click, deleted raw rows included.
                for (String query : new String[] {"", "?startDate=2026-03-01&endDate=2026-03-31", "?startDate=2026-03-05&endDate=2026-03-20&traffic=all",
                        // whole days from the rollups, the partial last day (kept by retention) from raw rows
                        "?traffic=bot", "?startDate=2026-03-01&endDate=2026-03-27T18:30:00Z"}) {
                    List<Click> rows = clicks.stream().filter(c -> c.linkId().equals(link)).filter(Filters.of(query)).toList();
                    assertCoreMetrics(otherGet(other, "/api/v1/analytics/analytics/" + link + query), rows, "rollups " + query);
                }
                for (String by : new String[] {"country", "device_type", "source", "browser"}) {
                    JsonNode d = otherGet(other, "/api/v1/analytics/breakdown/" + link + "?by=" + by + "&limit=1000");
                    List<Click> rows = clicks.stream().filter(c -> c.linkId().equals(link)).filter(humans()).toList();
                    Function<Click, String> key = switch (by) {
                        case "country" -> Click::country;
                        case "device_type" -> Click::deviceType;
                        case "source" -> Click::source;
                        default -> Click::browser;
                    };
                    assertRows(d.get("data"), groups(rows, key), "value", "unique_clicks");
                }
                // The default series (the last 30 days, whole UTC days) from the rollups too.
                JsonNode series = otherGet(other, "/api/v1/analytics/timeseries/" + link + "?interval=day");
                for (JsonNode bucket : series.get("data")) {
                    long startMs = Instant.parse(bucket.get("bucket").asText()).toEpochMilli();
                    List<Click> in = clicks.stream().filter(c -> c.linkId().equals(link)).filter(humans())
                            .filter(c -> c.clickedAt() >= startMs && c.clickedAt() < startMs + 86_400_000).toList();
                    assertThat(bucket.get("clicks").asLong()).as("series " + bucket).isEqualTo(in.size());
                    assertThat(bucket.get("unique_clicks").asLong()).isEqualTo(uniques(in));
                }
                // From the raw rows: only what retention kept.
                for (String query : new String[] {"?country=GB", "?device_type=mobile&source=social", "?traffic=all&browser=Safari"}) {
                    List<Click> rows = kept.stream().filter(c -> c.linkId().equals(link)).filter(Filters.of(query)).toList();
                    JsonNode d = otherGet(other, "/api/v1/analytics/analytics/" + link + query);
                    assertThat(d.get("total_clicks").asLong()).as("raw " + query).isEqualTo(rows.size());
                    assertThat(d.get("unique_clicks").asLong()).isEqualTo(uniques(rows));
                }
            }
        }
    }

    static JsonNode otherGet(TestServer other, String path) {
        Http.Response r = other.http().get(path, other.admin());
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(200);
        return r.json().get("data");
    }

    /** The subset of the common filters these tests use, as a predicate on rows. */
    static final class Filters {
        static Predicate<Click> of(String query) {
            Map<String, String> p = new HashMap<>();
            if (!query.isEmpty()) {
                for (String pair : query.substring(1).split("&")) {
                    String[] kv = pair.split("=", 2);
                    p.put(kv[0], java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            Predicate<Click> f = c -> true;
            String traffic = p.getOrDefault("traffic", "human");
            if (!traffic.equals("all")) {
                f = f.and(c -> c.trafficClass().label().equals(traffic));
            }
            String from = p.getOrDefault("startDate", p.get("start_date"));
            if (from != null) {
                long ms = dev.linkpulse.common.Timestamps.parse(from).orElseThrow().toEpochMilli();
                f = f.and(c -> c.clickedAt() >= ms);
            }
            String to = p.getOrDefault("endDate", p.get("end_date"));
            if (to != null) {
                long ms = dev.linkpulse.common.Timestamps.parse(to).orElseThrow().toEpochMilli() + (to.length() == 10 ? 86_400_000 : 1);
                f = f.and(c -> c.clickedAt() < ms);
            }
            for (String field : List.of("country", "city", "device_type", "browser", "os", "referrer_domain", "source")) {
                String v = p.get(field);
                if (v != null) {
                    Function<Click, String> get = switch (field) {
                        case "country" -> Click::country;
                        case "city" -> Click::city;
                        case "device_type" -> Click::deviceType;
                        case "browser" -> Click::browser;
                        case "os" -> Click::os;
                        case "referrer_domain" -> Click::referrerDomain;
                        default -> Click::source;
                    };
                    f = f.and(c -> v.equals(get.apply(c)));
                }
            }
            return f;
        }
    }
}
