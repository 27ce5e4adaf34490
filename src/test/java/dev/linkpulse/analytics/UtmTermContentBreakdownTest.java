package dev.linkpulse.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.config.Setting;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.OldStore;
import dev.linkpulse.support.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code by=utm_term} and {@code by=utm_content} (README: the utm_* breakdowns): the whole-day
 * answer from the rollups equals the answer from the raw clicks, on a new store and on stores
 * upgraded from earlier schemas (migration V3_2 counts earlier clicks in, once).
 */
class UtmTermContentBreakdownTest {

    static final String BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    /** value ("null" for none) -> [clicks, uniques] */
    static Map<String, String> breakdown(TestServer server, String link, String by, String query) {
        Http.Response r = server.http().get("/api/v1/analytics/breakdown/" + link + "?by=" + by + query, server.admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode row : r.json().get("data").get("data")) {
            out.put(row.get("value").isNull() ? "null" : row.get("value").asText(), row.get("clicks").asLong() + "/" + row.get("unique_clicks").asLong());
        }
        return out;
    }

    /**
     * A visitor's row remembers the values it has clicked with as text, escaped (and on PostgreSQL
     * written by COPY, which escapes again): values with a backslash, a newline or a tab must come
     * back as they were, or a later step would count the visitor's same value as new, or two
     * values as one. Each click is counted in a step of its own.
     */
    @Test
    void valuesWithBackslashesNewlinesAndTabsStayExactAcrossRollupSteps() {
        try (TestServer server = TestServer.start(); Database db = server.openStore()) {
            String link = server.createLink(Map.of("url", "https://example.com/escapes", "custom_alias", "escapes")).get("id").asText();
            String ws = TestServer.workspaceOf(db, link);
            ClickStore store = new ClickStore(db.jdbi(), db.dialect());
            ClickIds ids = new ClickIds();
            String backslashN = "a\\nb";  // a, backslash, n, b
            String newline = "a\nb";       // a, newline, b
            String mixed = "x\\y\tz\\";   // backslashes and a tab
            long at = System.currentTimeMillis() - 60_000;
            String[] terms = {backslashN, newline, mixed, backslashN, mixed, newline};
            for (int i = 0; i < terms.length; i++) {
                store.insert(List.of(new Click(ids.next(at + i).toString(), link, ws, at + i, "https://example.com/escapes", null, BROWSER,
                        null, null, "direct", "DE", null, null, "desktop", "Chrome", "Windows", TrafficClass.HUMAN, "one-visitor",
                        new Utm(null, null, null, terms[i], null))));
                TestServer.await(Duration.ofSeconds(10), () -> db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM clicks WHERE seq > (SELECT watermark FROM rollup_watermark WHERE id = 1)").mapTo(Long.class).one()) == 0);
            }
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            String wholeDays = "&startDate=" + LocalDate.now(ZoneOffset.UTC).minusDays(1) + "&endDate=" + today;
            Map<String, String> expected = Map.of(backslashN, "2/1", newline, "2/1", mixed, "2/1");
            assertThat(breakdown(server, "escapes", "utm_term", wholeDays)).isEqualTo(expected);
            assertThat(breakdown(server, "escapes", "utm_term", wholeDays + "&device_type=desktop")).as("from the raw rows").isEqualTo(expected);
        }
    }

    @Test
    void clicksAreBrokenDownByUtmTermAndUtmContentFromRollupsAndRawRowsAlike() {
        try (TestServer server = TestServer.start()) {
            server.createLink(Map.of("url", "https://example.com/utm", "custom_alias", "utm"));
            String[][] clicks = {{"81.2.69.142", "?utm_term=shoes&utm_content=banner"}, {"81.2.69.142", "?utm_term=shoes&utm_content=banner"},
                    {"81.2.69.143", "?utm_term=shoes&utm_content=text"}, {"81.2.69.144", "?utm_term=hats"}, {"81.2.69.145", ""}};
            for (String[] c : clicks) {
                assertThat(server.http().get("/utm" + c[1], "User-Agent", BROWSER, "X-Forwarded-For", c[0]).status()).isEqualTo(301);
            }
            server.awaitClicks("utm", clicks.length);
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            String wholeDays = "&startDate=" + LocalDate.now(ZoneOffset.UTC).minusDays(3) + "&endDate=" + today;
            String raw = wholeDays + "&device_type=desktop"; // a dimension filter: read from the raw rows
            Map<String, String> terms = Map.of("shoes", "3/2", "hats", "1/1", "null", "1/1");
            Map<String, String> contents = Map.of("banner", "2/1", "text", "1/1", "null", "2/2");
            assertThat(breakdown(server, "utm", "utm_term", wholeDays)).isEqualTo(terms);
            assertThat(breakdown(server, "utm", "utm_term", raw)).isEqualTo(terms);
            assertThat(breakdown(server, "utm", "utm_content", wholeDays)).isEqualTo(contents);
            assertThat(breakdown(server, "utm", "utm_content", raw)).isEqualTo(contents);
            // The workspace's breakdown too (no link in the path).
            Http.Response all = server.http().get("/api/v1/analytics/breakdown?by=utm_term" + wholeDays, server.admin());
            assertThat(all.json().get("data").get("total").asLong()).isEqualTo(clicks.length);
        }
    }

    @Test
    void aStoreFromBeforeTheseBreakdownsCountsItsEarlierClicksInOnUpgrade(@TempDir Path dir) throws Exception {
        checkUpgradeFrom("3.1", dir);
    }

    @Test
    void aStoreFromBeforeTheRollupsCountsItsClicksOnceOnUpgrade(@TempDir Path dir) throws Exception {
        checkUpgradeFrom("1", dir);
    }

    static final String WORKSPACE = "11111111-1111-4111-8111-111111111111";
    static final String LINK = "22222222-2222-4222-8222-222222222222";

    /** An earlier store at {@code version}, with clicks of 2026-03-02 and 03, upgraded by a start of today's server. */
    private void checkUpgradeFrom(String version, Path dir) throws Exception {
        OldStore old = OldStore.migratedTo(version, dir);
        Map<Setting, String> settings = old.settings();
        String url = old.url();
        String user = old.user();
        long day = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
        // visitor, day offset, term, content: a term with a backslash and a newline checks seen's escaping
        Object[][] clicks = {{"v1", 0, "shoes", "banner"}, {"v1", 0, "shoes", "banner"}, {"v2", 0, "shoes", null},
                {"v3", 1, "a\\b\nc", "text"}, {"v1", 1, null, null}};
        boolean pg = TestServer.onPostgres();
        try (Connection c = DriverManager.getConnection(url, user, null); Statement st = c.createStatement()) {
            st.execute("INSERT INTO workspaces (id, name, created_at) VALUES ('" + WORKSPACE + "', 'old', 0)");
            st.execute("INSERT INTO short_urls (id, workspace_id, short_code, is_custom_alias, original_url, name, tracking_enabled, "
                    + "is_dynamic, forward_query, disabled, created_at, updated_at) VALUES ('" + LINK + "', '" + WORKSPACE + "', 'old-utm', "
                    + (pg ? "true, 'https://example.com/old', NULL, true, false, true, false, 0, 0)" : "1, 'https://example.com/old', NULL, 1, 0, 1, 0, 0, 0)"));
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO clicks (id, link_id, workspace_id, clicked_at, destination, source, "
                    + "device_type, traffic_class, visitor_hash, utm_term, utm_content) VALUES (?, '" + LINK + "', '" + WORKSPACE + "', ?, "
                    + "'https://example.com/old', 'direct', 'desktop', 'human', ?, ?, ?)")) {
                for (int i = 0; i < clicks.length; i++) {
                    ins.setString(1, String.format("01900000-0000-7000-8000-%012d", i));
                    ins.setLong(2, day + (int) clicks[i][1] * 86_400_000L + i * 1000L);
                    ins.setString(3, (String) clicks[i][0]);
                    ins.setString(4, (String) clicks[i][2]);
                    ins.setString(5, (String) clicks[i][3]);
                    ins.executeUpdate();
                }
            }
            if (version.equals("3.1")) {
                // The visitor row an earlier build kept for v1 on the first day (its other dimensions only).
                st.execute("INSERT INTO visitor_days (scope_id, day, traffic_class, visitor_hash, clicks, first_at, last_at, seen) VALUES ('"
                        + LINK + "', " + day / 86_400_000L + ", 'human', 'v1', 2, " + day + ", " + (day + 1000) + ", 'i' || " + (pg ? "chr(10)" : "char(10)") + " || 'adirect')");
            }
        }
        try (TestServer server = TestServer.start(settings)) {
            String wholeDays = "&startDate=2026-03-01&endDate=2026-03-31";
            String raw = wholeDays + "&device_type=desktop";
            Map<String, String> terms = Map.of("shoes", "3/2", "a\\b\nc", "1/1", "null", "1/1");
            Map<String, String> contents = Map.of("banner", "2/1", "text", "1/1", "null", "2/2");
            assertThat(breakdown(server, "old-utm", "utm_term", raw)).isEqualTo(terms);
            assertThat(breakdown(server, "old-utm", "utm_term", wholeDays)).isEqualTo(terms);
            assertThat(breakdown(server, "old-utm", "utm_content", raw)).isEqualTo(contents);
            assertThat(breakdown(server, "old-utm", "utm_content", wholeDays)).isEqualTo(contents);
        }
        if (version.equals("3.1")) {
            try (Connection c = DriverManager.getConnection(url, user, null); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT seen FROM visitor_days WHERE scope_id = '" + LINK + "' AND visitor_hash = 'v1' AND day = "
                            + day / 86_400_000L)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1).split("\n")).containsExactlyInAnyOrder("i", "adirect", "oshoes", "pbanner");
            }
        }
    }
}
