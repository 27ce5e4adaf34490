package dev.linkpulse.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.config.Setting;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fields of jmpy's click payloads (spec §6.2) on every view of the click log: click-details,
 * since_id polling, CSV and NDJSON export, and the live stream; {@code is_unique} exact at day
 * boundaries and ties.
 */
class JmpyClickFieldsTest {

    static final long DAY = 86_400_000L;
    static final String BASE = "https://lnk.example.com";
    static final String IPHONE_SAFARI = ClickRecordTest.IPHONE_SAFARI;
    static final String ANDROID_TABLET = ClickRecordTest.ANDROID_TABLET;
    static final ObjectMapper JSON = new ObjectMapper();

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(Setting.BASE_URL, BASE));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String newLink(String alias) {
        return server.createLink(Map.of("url", "https://example.com/" + alias, "custom_alias", alias)).get("short_code").asText();
    }

    @Test
    void aRecordCarriesTheJmpyFieldsAfterTheOldOnes() {
        String code = newLink("fields-iphone");
        server.http().get("/" + code + "?utm_medium=newsletter", "User-Agent", IPHONE_SAFARI, "X-Forwarded-For", "81.2.69.142",
                "Referer", "https://t.co/abc");
        server.awaitClicks(code, 1);
        JsonNode r = server.clickLog(code, "").get("data").get(0);
        List<String> names = new ArrayList<>();
        r.fieldNames().forEachRemaining(names::add);
        // Added after every field the record had, never renamed.
        assertThat(names).containsExactlyElementsOf(ClickRecordView.FIELDS);
        assertThat(names.subList(0, 22)).containsExactly("id", "short_code", "original_url", "clicked_at", "ip_address",
                "user_agent", "referrer", "country", "city", "device_type", "browser", "os", "short_url_id", "region",
                "referrer_domain", "source", "traffic_class", "utm_source", "utm_medium", "utm_campaign", "utm_term",
                "utm_content");
        assertThat(r.get("short_url").asText()).isEqualTo(BASE + "/fields-iphone");
        assertThat(r.get("country_code").asText()).isEqualTo("GB");
        assertThat(r.get("country").asText()).isEqualTo("GB");
        assertThat(r.get("region").asText()).isEqualTo("England");
        assertThat(r.get("timezone").asText()).isEqualTo("Europe/London");
        assertThat(r.get("is_unique").isBoolean()).isTrue();
        assertThat(r.get("is_unique").asBoolean()).isTrue();
        assertThat(r.get("device_brand").asText()).isEqualTo("Apple");
        assertThat(r.get("device_model").asText()).isEqualTo("iPhone");
        assertThat(r.get("browser_version").asText()).isEqualTo("17.2");
        assertThat(r.get("os_version").asText()).isEqualTo("17.2");
        assertThat(r.get("traffic_source").asText()).isEqualTo("social").isEqualTo(r.get("source").asText());
        assertThat(r.get("traffic_medium").asText()).isEqualTo("newsletter");
    }

    @Test
    void androidTabletHasBrandModelAndVersionsAndADirectMedium() {
        String code = newLink("fields-android");
        server.http().get("/" + code, "User-Agent", ANDROID_TABLET, "X-Forwarded-For", "2.125.160.216");
        server.awaitClicks(code, 1);
        JsonNode r = server.clickLog(code, "").get("data").get(0);
        assertThat(r.get("device_brand").asText()).isEqualTo("Samsung");
        assertThat(r.get("device_model").asText()).isEqualTo("SM-X710");
        assertThat(r.get("browser_version").asText()).startsWith("120");
        assertThat(r.get("os_version").asText()).isEqualTo("13");
        assertThat(r.get("traffic_source").asText()).isEqualTo("direct");
        assertThat(r.get("traffic_medium").asText()).isEqualTo("none");
    }

    @Test
    void isUniqueThroughTheRedirectOnEveryView() throws Exception {
        String a = newLink("uniq-a");
        String b = newLink("uniq-b");
        String linkA = server.http().get("/api/v1/short-urls/uniq-a", server.admin()).json().get("data").get("id").asText();
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<Stream<String>> stream = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/v1/analytics/click-stream/" + linkA))
                .header("Authorization", "Bearer " + TestServer.ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);

        // Visitor 1 three times on A, visitor 2 once on A, visitor 1 once on B.
        for (int i = 0; i < 3; i++) {
            server.http().get("/" + a, "User-Agent", IPHONE_SAFARI, "X-Forwarded-For", "81.2.69.142");
            server.awaitClicks(a, i + 1); // stored in order, so "first" is the first request
        }
        server.http().get("/" + a, "User-Agent", IPHONE_SAFARI, "X-Forwarded-For", "2.125.160.216");
        server.http().get("/" + b, "User-Agent", IPHONE_SAFARI, "X-Forwarded-For", "81.2.69.142");
        server.awaitClicks(a, 4);
        server.awaitClicks(b, 1);

        JsonNode log = server.clickLog(a, "").get("data"); // newest first
        assertThat(uniqueFlags(log)).containsExactly(true, false, false, true);
        assertThat(server.clickLog(b, "").get("data").get(0).get("is_unique").asBoolean()).isTrue();

        // since_id polling: the three clicks after the first
        String firstId = log.get(3).get("id").asText();
        JsonNode since = server.clickLog(a, "?since_id=" + firstId).get("data");
        assertThat(uniqueFlags(since)).containsExactly(true, false, false);
        // One page of the workspace's log holding both links: visitor 1 is first on each of them.
        Map<String, List<Boolean>> byLink = new HashMap<>();
        server.clickLog(null, "?since_id=" + firstId).get("data").forEach(r ->
                byLink.computeIfAbsent(r.get("short_url").asText(), k -> new ArrayList<>()).add(r.get("is_unique").booleanValue()));
        assertThat(byLink).containsOnlyKeys(BASE + "/uniq-a", BASE + "/uniq-b");
        assertThat(byLink.get(BASE + "/uniq-a")).containsExactly(true, false, false);
        assertThat(byLink.get(BASE + "/uniq-b")).containsExactly(true);

        // NDJSON and CSV exports
        String ndjson = server.http().get("/api/v1/analytics/click-details/" + a + "?format=ndjson", server.admin()).body();
        List<Boolean> fromNdjson = new ArrayList<>();
        for (String line : ndjson.split("\n")) {
            JsonNode rec = JSON.readTree(line);
            fromNdjson.add(rec.get("is_unique").booleanValue());
            assertThat(rec.get("short_url").asText()).isEqualTo(BASE + "/uniq-a");
            assertThat(rec.get("device_brand").asText()).isEqualTo("Apple");
        }
        assertThat(fromNdjson).containsExactly(true, false, false, true);
        List<List<String>> csv = dev.linkpulse.common.Csv.parse(
                server.http().get("/api/v1/analytics/click-details/" + a + "?format=csv", server.admin()).body()).records();
        List<String> header = csv.get(0);
        assertThat(header).containsExactlyElementsOf(ClickRecordView.FIELDS);
        int col = header.indexOf("is_unique");
        List<String> fromCsv = new ArrayList<>();
        for (int i = 1; i < csv.size(); i++) {
            fromCsv.add(csv.get(i).get(col));
        }
        assertThat(fromCsv).containsExactly("true", "false", "false", "true");
        assertThat(csv.get(1).get(header.indexOf("timezone"))).isEqualTo("Europe/London");

        // The live stream: the four clicks on A, oldest first
        List<Boolean> streamed = new ArrayList<>();
        Iterator<String> lines = stream.body().iterator();
        while (streamed.size() < 4 && lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("data: ")) {
                JsonNode rec = JSON.readTree(line.substring(6));
                streamed.add(rec.get("is_unique").booleanValue());
                assertThat(rec.get("short_url").asText()).isEqualTo(BASE + "/uniq-a");
            }
        }
        stream.body().close();
        assertThat(streamed).containsExactly(true, false, false, true);
    }

    @Test
    void isUniqueIsExactAtTheDayBoundaryAndOnTies() {
        String code = newLink("uniq-days");
        String linkId = linkIdOf("uniq-days");
        try (Database db = server.openStore()) {
            String ws = TestServer.workspaceOf(db, linkId);
            ClickStore store = new ClickStore(db.jdbi(), db.dialect());
            ClickIds ids = new ClickIds();
            long day = (System.currentTimeMillis() / DAY - 3) * DAY;
            // Same hash at 23:59:59.999 and at 00:00 the next day: first of each day. Two clicks in one
            // millisecond: the lower id is first. Inserted out of order: storage order must not matter.
            long lastMs = day + DAY - 1;
            String tieLow = ids.next(day + DAY + 5_000).toString();
            String tieHigh = ids.next(day + DAY + 5_000).toString();
            assertThat(tieLow.compareTo(tieHigh)).isNegative();
            List<Click> clicks = List.of(
                    click(tieHigh, linkId, ws, day + DAY + 5_000, "v-tie"),
                    click(ids.next(day + DAY).toString(), linkId, ws, day + DAY, "v-edge"),
                    click(ids.next(lastMs).toString(), linkId, ws, lastMs, "v-edge"),
                    click(tieLow, linkId, ws, day + DAY + 5_000, "v-tie"),
                    click(ids.next(day + 10).toString(), linkId, ws, day + 10, "v-edge"));
            store.insert(clicks);
            // Read at once (the server's rollup worker polls every 500 ms: not counted yet, read from
            // the log), then again once the rollups count them (read from their visitor rows).
            for (String when : List.of("not counted yet", "counted")) {
                if (when.equals("counted")) {
                    dev.linkpulse.clicks.rollups.RollupStep step = new dev.linkpulse.clicks.rollups.RollupStep(db.jdbi(), db.dialect());
                    TestServer.await(java.time.Duration.ofSeconds(20), () -> step.lag() == 0);
                }
                JsonNode log = server.clickLog(code, "").get("data");
                Map<String, Boolean> byId = new HashMap<>();
                log.forEach(r -> byId.put(r.get("id").asText(), r.get("is_unique").booleanValue()));
                assertThat(byId.get(tieLow)).as(when).isTrue();
                assertThat(byId.get(tieHigh)).as(when).isFalse();
                assertThat(byId.get(clicks.get(1).id())).as(when + ": 00:00 next day").isTrue();
                assertThat(byId.get(clicks.get(2).id())).as(when + ": 23:59:59.999, later the same day").isFalse();
                assertThat(byId.get(clicks.get(4).id())).as(when + ": 00:00:00.010").isTrue();
            }
        }
    }

    @Test
    void isUniqueBreaksATieWithinTheTrafficClassAsTheRollupsCountVisitors() {
        newLink("uniq-class");
        String linkId = linkIdOf("uniq-class");
        try (Database db = server.openStore()) {
            String ws = TestServer.workspaceOf(db, linkId);
            ClickStore store = new ClickStore(db.jdbi(), db.dialect());
            ClickIds ids = new ClickIds();
            long at = (System.currentTimeMillis() / DAY - 2) * DAY + 7_000;
            // One hash in one millisecond as a bot (lower id) and as a human: each is the first of its class.
            Click bot = click(ids.next(at).toString(), linkId, ws, at, "v-class", TrafficClass.BOT);
            Click human = click(ids.next(at).toString(), linkId, ws, at, "v-class", TrafficClass.HUMAN);
            Click humanAgain = click(ids.next(at).toString(), linkId, ws, at, "v-class", TrafficClass.HUMAN);
            assertThat(bot.id().compareTo(human.id())).isNegative();
            assertThat(human.id().compareTo(humanAgain.id())).isNegative();
            store.insert(List.of(humanAgain, human, bot));
            List<Click> page = List.of(humanAgain, human, bot);
            assertThat(store.firstOfDay(page)).as("not counted yet").containsExactlyInAnyOrder(bot.id(), human.id());
            dev.linkpulse.clicks.rollups.RollupStep step = new dev.linkpulse.clicks.rollups.RollupStep(db.jdbi(), db.dialect());
            TestServer.await(java.time.Duration.ofSeconds(20), () -> step.lag() == 0);
            assertThat(store.firstOfDay(page)).as("counted").containsExactlyInAnyOrder(bot.id(), human.id());
        }
    }

    @Test
    void isUniqueOverAnExportOfManyVisitorsMarksExactlyEachVisitorsFirstClickOfTheDay() throws Exception {
        String code = newLink("uniq-many");
        String linkId = linkIdOf("uniq-many");
        try (Database db = server.openStore()) {
            String ws = TestServer.workspaceOf(db, linkId);
            ClickStore store = new ClickStore(db.jdbi(), db.dialect());
            ClickIds ids = new ClickIds();
            java.util.Random random = new java.util.Random(7);
            long day = (System.currentTimeMillis() / DAY - 5) * DAY;
            // 1,300 visitors (more than any one lookup or page of 500 to 1,000), over two days, one to four clicks
            // each; every third visitor clicks twice in one millisecond (a tie broken by id).
            List<Click> clicks = new ArrayList<>();
            for (int v = 0; v < 1_300; v++) {
                long at = day + (v % 2) * DAY + random.nextInt(80_000_000);
                boolean tie = v % 3 == 0;
                int n = (tie ? 2 : 1) + random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    long t = tie && i < 2 ? at : at + 1 + random.nextInt(3_000_000);
                    clicks.add(click(ids.next(t).toString(), linkId, ws, t, "v-many-" + v));
                }
            }
            java.util.Collections.shuffle(clicks, random);
            // First in the test's own terms: the earliest (time, id) of each visitor and day.
            Map<String, Click> firsts = new HashMap<>();
            for (Click c : clicks) {
                firsts.merge(c.visitorHash() + "/" + Math.floorDiv(c.clickedAt(), DAY), c, (a, b) ->
                        a.clickedAt() < b.clickedAt() || (a.clickedAt() == b.clickedAt() && a.id().compareTo(b.id()) < 0) ? a : b);
            }
            java.util.Set<String> expected = new java.util.HashSet<>();
            firsts.values().forEach(c -> expected.add(c.id()));
            // Half stored and counted into the rollups (first clicks found in their visitor rows), then
            // the rest, read at once (most not counted yet by the server's worker: found in the log).
            int half = clicks.size() / 2;
            store.insert(clicks.subList(0, half));
            dev.linkpulse.clicks.rollups.RollupStep step = new dev.linkpulse.clicks.rollups.RollupStep(db.jdbi(), db.dialect());
            TestServer.await(java.time.Duration.ofSeconds(20), () -> step.lag() == 0);
            store.insert(clicks.subList(half, clicks.size()));

            String ndjson = server.http().get("/api/v1/analytics/click-details/" + code + "?format=ndjson", server.admin()).body();
            java.util.Set<String> unique = new java.util.HashSet<>();
            int rows = 0;
            for (String line : ndjson.split("\n")) {
                JsonNode rec = JSON.readTree(line);
                rows++;
                if (rec.get("is_unique").booleanValue()) {
                    unique.add(rec.get("id").asText());
                }
            }
            assertThat(rows).isEqualTo(clicks.size());
            assertThat(unique).hasSize(expected.size()).isEqualTo(expected);
        }
    }

    @Test
    void isUniqueOnPagesMixingLinksDaysAndClassesMarksExactlyEachVisitorsFirstClick() throws Exception {
        String[] linkIds = new String[3];
        for (int l = 0; l < linkIds.length; l++) {
            newLink("uniq-mixed-" + l);
            linkIds[l] = linkIdOf("uniq-mixed-" + l);
        }
        try (Database db = server.openStore()) {
            String ws = TestServer.workspaceOf(db, linkIds[0]);
            ClickStore store = new ClickStore(db.jdbi(), db.dialect());
            ClickIds ids = new ClickIds();
            java.util.Random random = new java.util.Random(11);
            long day = (System.currentTimeMillis() / DAY - 6) * DAY;
            // 1,000 hashes, each on one to three links, days and classes at random (the same hash is a
            // different visitor on another link, day or class); ties in one millisecond now and then.
            List<Click> clicks = new ArrayList<>();
            for (int v = 0; v < 1_000; v++) {
                int n = 1 + random.nextInt(5);
                long tieAt = day + random.nextInt(2) * DAY + random.nextInt(80_000_000);
                for (int i = 0; i < n; i++) {
                    boolean tie = v % 4 == 0 && i < 2;
                    long t = tie ? tieAt : day + random.nextInt(2) * DAY + random.nextInt(80_000_000);
                    TrafficClass trafficClass = tie || random.nextInt(4) > 0 ? TrafficClass.HUMAN : TrafficClass.BOT;
                    String link = tie ? linkIds[0] : linkIds[random.nextInt(linkIds.length)];
                    clicks.add(click(ids.next(t).toString(), link, ws, t, "v-mixed-" + v, trafficClass));
                }
            }
            java.util.Collections.shuffle(clicks, random);
            Map<String, Click> firsts = new HashMap<>();
            for (Click c : clicks) {
                firsts.merge(c.linkId() + "/" + c.visitorHash() + "/" + Math.floorDiv(c.clickedAt(), DAY) + "/" + c.trafficClass(), c, (a, b) ->
                        a.clickedAt() < b.clickedAt() || (a.clickedAt() == b.clickedAt() && a.id().compareTo(b.id()) < 0) ? a : b);
            }
            java.util.Set<String> expected = new java.util.HashSet<>();
            firsts.values().forEach(c -> expected.add(c.id()));
            assertThat(expected.size()).isBetween(1_000, clicks.size() - 100);
            // Large pages as an export takes them: every click at once, whose days are read whole;
            // and one mixing whole days (links 1 and 2) with days whose visitors it asks for only a
            // twentieth of (link 0), looked up one by one. Both over 1,000 visitors, where reading
            // whole days starts (FirstOfDay: a day is read whole when it has at most 4 times the
            // visitors the page asks of it).
            List<Click> mixedPage = new ArrayList<>();
            for (int i = 0; i < clicks.size(); i++) {
                if (!clicks.get(i).linkId().equals(linkIds[0]) || i % 20 == 0) {
                    mixedPage.add(clicks.get(i));
                }
            }
            assertThat(visitorsOn(mixedPage)).isGreaterThanOrEqualTo(1_000);
            assertThat(visitorsOn(clicks)).isGreaterThanOrEqualTo(1_000);
            int half = clicks.size() / 2;
            for (List<Click> counted : List.of(clicks.subList(0, half), clicks)) {
                assertThat(daysOf(mixedPage, counted, true)).as("days read whole").isPositive();
                assertThat(daysOf(mixedPage, counted, false)).as("days looked up one by one").isPositive();
                assertThat(daysOf(clicks, counted, false)).as("days of the whole log looked up one by one").isZero();
            }
            java.util.Set<String> expectedOnMixedPage = new java.util.HashSet<>(expected);
            expectedOnMixedPage.retainAll(mixedPage.stream().map(Click::id).toList());

            store.insert(clicks.subList(0, half));
            dev.linkpulse.clicks.rollups.RollupStep step = new dev.linkpulse.clicks.rollups.RollupStep(db.jdbi(), db.dialect());
            TestServer.await(java.time.Duration.ofSeconds(20), () -> step.lag() == 0);
            // The rest stored and held uncounted: the watermark row held by a transaction of our own,
            // on PostgreSQL before storing; on SQLite, where holding it is holding the store's write
            // lock, right after (the connection is opened first, so no rollup step fits in between).
            try (java.sql.Connection lock = server.openStoreConnection()) {
                lock.setAutoCommit(false);
                if (TestServer.onPostgres()) {
                    holdRollups(lock);
                }
                store.insert(clicks.subList(half, clicks.size()));
                if (!TestServer.onPostgres()) {
                    holdRollups(lock);
                }
                assertThat(step.lag()).as("clicks not counted yet").isEqualTo(clicks.size() - half);
                // Batches as the publishers and the workspace's stream take them: in any order, over every link, day and class.
                assertThat(firstsInBatchesOf97(store, clicks)).as("half counted").isEqualTo(expected);
                assertThat(store.firstOfDay(clicks)).as("half counted, one page").isEqualTo(expected);
                assertThat(store.firstOfDay(mixedPage)).as("half counted, a page with some days read whole").isEqualTo(expectedOnMixedPage);
                lock.rollback();
            }
            TestServer.await(java.time.Duration.ofSeconds(20), () -> step.lag() == 0);
            assertThat(firstsInBatchesOf97(store, clicks)).as("all counted").isEqualTo(expected);
            assertThat(store.firstOfDay(clicks)).as("all counted, one page").isEqualTo(expected);
            assertThat(store.firstOfDay(mixedPage)).as("all counted, a page with some days read whole").isEqualTo(expectedOnMixedPage);
            // The workspace's export: pages of the log as it orders them.
            String ndjson = server.http().get("/api/v1/analytics/click-details?format=ndjson", server.admin()).body();
            java.util.Set<String> exported = new java.util.HashSet<>();
            java.util.Set<String> ours = new java.util.HashSet<>();
            clicks.forEach(c -> ours.add(c.id()));
            for (String line : ndjson.split("\n")) {
                JsonNode rec = JSON.readTree(line);
                if (ours.contains(rec.get("id").asText()) && rec.get("is_unique").booleanValue()) {
                    exported.add(rec.get("id").asText());
                }
            }
            assertThat(exported).isEqualTo(expected);
        }
    }

    @Test
    void isUniqueInALargeExportStaysExactOnADayWhoseFirstClickLeftTheLog() throws Exception {
        String code = newLink("uniq-cut");
        String linkId = linkIdOf("uniq-cut");
        try (Database db = server.openStore()) {
            String ws = TestServer.workspaceOf(db, linkId);
            ClickStore store = new ClickStore(db.jdbi(), db.dialect());
            ClickIds ids = new ClickIds();
            long day = (System.currentTimeMillis() / DAY - 4) * DAY;
            // The visitor's first click of the day, then a second; and 1,100 clicks of others the next
            // day, a page large enough that reading first clicks from the log alone would be tempting.
            Click dropped = click(ids.next(day + 36_000_000).toString(), linkId, ws, day + 36_000_000, "v-cut");
            Click kept = click(ids.next(day + 43_200_000).toString(), linkId, ws, day + 43_200_000, "v-cut");
            List<Click> clicks = new ArrayList<>(List.of(dropped, kept));
            for (int i = 0; i < 1_100; i++) {
                long t = day + DAY + i * 60_000L;
                clicks.add(click(ids.next(t).toString(), linkId, ws, t, "v-next-" + i));
            }
            store.insert(clicks);
            dev.linkpulse.clicks.rollups.RollupStep step = new dev.linkpulse.clicks.rollups.RollupStep(db.jdbi(), db.dialect());
            TestServer.await(java.time.Duration.ofSeconds(20), () -> step.lag() == 0);
            // The first click leaves the raw log as retention would take it; the rollups keep it.
            db.jdbi().useHandle(h -> h.createUpdate("DELETE FROM clicks WHERE id = :id").bind("id", dropped.id()).execute());

            String ndjson = server.http().get("/api/v1/analytics/click-details/" + code + "?format=ndjson", server.admin()).body();
            Map<String, Boolean> byId = new HashMap<>();
            for (String line : ndjson.split("\n")) {
                JsonNode rec = JSON.readTree(line);
                byId.put(rec.get("id").asText(), rec.get("is_unique").booleanValue());
            }
            assertThat(byId).hasSize(1_101);
            assertThat(byId.get(kept.id())).as("second click of a day whose first click is gone from the log").isFalse();
            assertThat(byId.values().stream().filter(Boolean::booleanValue).count()).isEqualTo(1_100);
        }
    }

    private static void holdRollups(java.sql.Connection lock) throws java.sql.SQLException {
        try (java.sql.Statement st = lock.createStatement()) {
            st.executeUpdate("UPDATE rollup_watermark SET watermark = watermark WHERE id = 1");
        }
    }

    /**
     * How many of a page's days (link, UTC day, class) are read whole ({@code whole}) or not, with
     * {@code counted} counted into the rollups: whole when the day has at most 4 times as many
     * counted visitors as the page asks of it.
     */
    private static long daysOf(List<Click> page, List<Click> counted, boolean whole) {
        Map<String, java.util.Set<String>> asked = new HashMap<>();
        page.forEach(c -> asked.computeIfAbsent(dayOf(c), d -> new java.util.HashSet<>()).add(c.visitorHash()));
        Map<String, java.util.Set<String>> visitors = new HashMap<>();
        counted.forEach(c -> visitors.computeIfAbsent(dayOf(c), d -> new java.util.HashSet<>()).add(c.visitorHash()));
        return asked.entrySet().stream()
                .filter(e -> (visitors.getOrDefault(e.getKey(), java.util.Set.of()).size() <= 4L * e.getValue().size()) == whole)
                .count();
    }

    private static String dayOf(Click c) {
        return c.linkId() + "/" + Math.floorDiv(c.clickedAt(), DAY) + "/" + c.trafficClass();
    }

    /** The visitors (link, UTC day, class, hash) of a page's clicks. */
    private static long visitorsOn(List<Click> page) {
        return page.stream().map(c -> c.linkId() + "/" + Math.floorDiv(c.clickedAt(), DAY) + "/" + c.trafficClass() + "/" + c.visitorHash())
                .distinct().count();
    }

    private static java.util.Set<String> firstsInBatchesOf97(ClickStore store, List<Click> clicks) {
        java.util.Set<String> unique = new java.util.HashSet<>();
        for (int from = 0; from < clicks.size(); from += 97) {
            unique.addAll(store.firstOfDay(clicks.subList(from, Math.min(clicks.size(), from + 97))));
        }
        return unique;
    }

    private static String linkIdOf(String alias) {
        return server.http().get("/api/v1/short-urls/" + alias, server.admin()).json().get("data").get("id").asText();
    }


    private static Click click(String id, String link, String ws, long at, String visitor) {
        return click(id, link, ws, at, visitor, TrafficClass.HUMAN);
    }

    private static Click click(String id, String link, String ws, long at, String visitor, TrafficClass trafficClass) {
        return new Click(id, link, ws, at, "https://example.com/x", null, "agent", null, null, "direct", "DE", null, null,
                "desktop", "Firefox", "Linux", trafficClass, visitor, new Utm(null, null, null, null, null));
    }

    private static List<Boolean> uniqueFlags(JsonNode records) {
        List<Boolean> out = new ArrayList<>();
        records.forEach(r -> out.add(r.get("is_unique").booleanValue()));
        return out;
    }
}
