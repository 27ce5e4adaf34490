package dev.linkpulse.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkpulse.common.Csv;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The click log's cursor paging, since_id, filters and exports (spec §4.1 ext). */
class ClickLogPagingTest {

    static TestServer server;
    static String code;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        code = server.createLink(Map.of("url", "https://example.com/paging", "custom_alias", "paging")).get("short_code").asText();
        for (int i = 0; i < 120; i++) {
            String agent = i % 4 == 0 ? "curl/8.5.0" : ClickRecordTest.WINDOWS_CHROME;
            server.http().get("/paging?utm_source=" + (i % 3 == 0 ? "news,letter%20%22q%22" : "x"), "User-Agent", agent,
                    "X-Forwarded-For", i % 2 == 0 ? "81.2.69.142" : "2001:480:10::1");
        }
        server.awaitClicks("paging", 120);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode page(String query) {
        Http.Response r = server.http().get("/api/v1/analytics/click-details/paging" + query, server.admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("data");
    }

    @Test
    void aCursorWalkSeesEveryClickExactlyOnceWhileNewClicksArrive() {
        server.awaitRecorderIdle();
        List<String> seen = new ArrayList<>();
        JsonNode p = page("?limit=7");
        long totalBefore = p.get("pagination").get("total").asLong();
        Set<String> before = new HashSet<>();
        page("?limit=1000").get("data").forEach(c -> before.add(c.get("id").asText()));
        int pages = 0;
        int clicked = 0;
        while (true) {
            p.get("data").forEach(c -> seen.add(c.get("id").asText()));
            // New clicks keep arriving at the top of the log while we walk down it.
            server.http().get("/paging", "User-Agent", ClickRecordTest.WINDOWS_CHROME);
            clicked++;
            JsonNode next = p.get("pagination").get("next_cursor");
            if (next.isNull()) {
                break;
            }
            p = page("?limit=7&cursor=" + next.asText());
            pages++;
        }
        assertThat(pages).isGreaterThan(10);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(before);
        // The walk's own clicks are stored before the next test reads the log (each is recorded just
        // after its redirect is written).
        server.awaitClicks("paging", totalBefore + clicked);
    }

    @Test
    void sinceIdReturnsExactlyTheNewerClicks() {
        server.awaitRecorderIdle(); // other tests here click too: let their clicks land first
        JsonNode all = page("?limit=1000");
        List<String> ids = new ArrayList<>();
        all.get("data").forEach(c -> ids.add(c.get("id").asText()));
        String pivot = ids.get(40);
        JsonNode newer = page("?limit=1000&since_id=" + pivot);
        List<String> got = new ArrayList<>();
        newer.get("data").forEach(c -> got.add(c.get("id").asText()));
        assertThat(got).isEqualTo(ids.subList(0, 40));
        assertThat(newer.get("pagination").get("total").asLong()).isEqualTo(40);
        assertThat(page("?since_id=" + ids.get(0)).get("data")).isEmpty();
    }

    @Test
    void filtersNarrowTheLogAndItsTotal() {
        server.awaitRecorderIdle();
        JsonNode bots = page("?traffic=bot&limit=1000");
        bots.get("data").forEach(c -> assertThat(c.get("traffic_class").asText()).isEqualTo("bot"));
        JsonNode london = page("?city=London&limit=1000");
        london.get("data").forEach(c -> assertThat(c.get("city").asText()).isEqualTo("London"));
        assertThat(bots.get("pagination").get("total").asLong()).isEqualTo(bots.get("data").size()).isGreaterThan(0);
        assertThat(london.get("pagination").get("total").asLong()).isEqualTo(london.get("data").size()).isGreaterThan(0);
        JsonNode both = page("?traffic=human&country=US&limit=1000");
        both.get("data").forEach(c -> {
            assertThat(c.get("traffic_class").asText()).isEqualTo("human");
            assertThat(c.get("country").asText()).isEqualTo("US");
        });
    }

    @Test
    void csvAndNdjsonExportsHoldEveryMatchingClickAndParseBackToTheSameRecords() throws Exception {
        server.awaitRecorderIdle();
        JsonNode json = page("?limit=1000");
        long total = json.get("pagination").get("total").asLong();
        List<JsonNode> records = new ArrayList<>();
        json.get("data").forEach(records::add);

        Http.Response ndjson = server.http().get("/api/v1/analytics/click-details/paging?format=ndjson", server.admin());
        assertThat(ndjson.status()).isEqualTo(200);
        assertThat(ndjson.header("Content-Type")).startsWith("application/x-ndjson");
        assertThat(ndjson.header("Content-Disposition")).startsWith("attachment; filename=\"clicks-paging-");
        List<String> lines = ndjson.body().lines().toList();
        assertThat(lines).hasSize((int) total);
        ObjectMapper mapper = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            assertThat(mapper.readTree(lines.get(i))).isEqualTo(records.get(i));
        }

        Http.Response csv = server.http().get("/api/v1/analytics/click-details/paging?format=csv", server.admin());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).endsWith(".csv\"");
        List<List<String>> rows = Csv.parse(csv.body()).records();
        assertThat(rows).hasSize((int) total + 1);
        List<String> header = rows.get(0);
        assertThat(header).isEqualTo(ClickRecordView.FIELDS);
        for (int i = 0; i < records.size(); i++) {
            JsonNode expected = records.get(i);
            Iterator<String> names = expected.fieldNames();
            Set<String> fields = new LinkedHashSet<>();
            names.forEachRemaining(fields::add);
            assertThat(new ArrayList<>(fields)).isEqualTo(header);
            for (int c = 0; c < header.size(); c++) {
                JsonNode v = expected.get(header.get(c));
                assertThat(rows.get(i + 1).get(c)).as(header.get(c)).isEqualTo(v.isNull() ? "" : v.asText());
            }
        }
        // Filters apply to exports too.
        Http.Response bots = server.http().get("/api/v1/analytics/click-details/paging?format=ndjson&traffic=bot", server.admin());
        assertThat(bots.body().lines().count()).isEqualTo(page("?traffic=bot").get("pagination").get("total").asLong());
    }

    @Test
    void badCursorSinceIdAndFormatAreValidationErrors() {
        for (String[] c : new String[][] {{"?cursor=nonsense", "cursor"}, {"?cursor=MTp4Onk", "cursor"},
                {"?since_id=00000000-0000-7000-8000-000000000000", "since_id"}, {"?since_id=' OR 1=1 --", "since_id"},
                {"?format=xml", "format"}, {"?traffic=robots", "traffic"}, {"?country=USA", "country"},
                {"?device_type=phone", "device_type"}, {"?startDate=yesterday", "startDate"}}) {
            Http.Response r = server.http().get("/api/v1/analytics/click-details/paging" + c[0].replace(" ", "%20"), server.admin());
            assertThat(r.status()).as(c[0]).isEqualTo(400);
            assertThat(r.json().get("error").get("details").get("field").asText()).isEqualTo(c[1]);
        }
        JsonNode first = page("?limit=5");
        Http.Response both = server.http().get("/api/v1/analytics/click-details/paging?offset=5&cursor="
                + first.get("pagination").get("next_cursor").asText(), server.admin());
        assertThat(both.status()).isEqualTo(400);
    }

    @Test
    void anotherWorkspacesClickIdIsNoBetterThanAnAbsentOne() {
        String other = server.createKey("other", "analytics,write", "paging-other");
        String mine = page("?limit=1").get("data").get(0).get("id").asText();
        Http.Response foreign = server.http().get("/api/v1/analytics/click-details?since_id=" + mine, server.auth(other));
        Http.Response absent = server.http().get("/api/v1/analytics/click-details?since_id=00000000-0000-7000-8000-000000000000",
                server.auth(other));
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.body()).isEqualTo(absent.body());
    }
}
