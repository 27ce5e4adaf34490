package dev.linkpulse.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.MutableClock;
import dev.linkpulse.support.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/campaigns} (spec §6.4), the campaign filter on links and analytics, and tags. */
class CampaignsApiTest {

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-06-10T10:00:00Z"));
    static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
    static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";
    static final String SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), CLOCK);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String newKey(String workspace) {
        return server.createKey(workspace, "read,write,delete,analytics", workspace);
    }

    static Http.Response send(String key, String method, String path, Object body) {
        return server.http().send(method, path, body == null ? null : Http.json(body), server.auth(key));
    }

    static JsonNode ok(Http.Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        return r.json().get("data");
    }

    static void badRequest(Http.Response r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(r.json().get("error").get("details").get("field").asText()).as(r.body()).isEqualTo(field);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static JsonNode link(String key, Map<String, Object> body) {
        return ok(send(key, "POST", "/api/v1/short-urls", body), 201);
    }

    static void click(String code, String userAgent) {
        assertThat(server.http().get("/" + code, "User-Agent", userAgent).status()).isEqualTo(301);
    }

    @Test
    void createReadUpdateDeleteByIdAndByName() {
        String key = newKey("crud-ws");
        JsonNode c = ok(send(key, "POST", "/api/v1/campaigns", Map.of("name", "Summer Sale 2026", "description", "Hats",
                "start_date", "2026-06-01", "end_date", "2026-08-31", "tags", List.of("Hats", "summer"))), 201);
        String id = c.get("id").asText();
        assertThat(c.get("status").asText()).isEqualTo("active");
        assertThat(c.get("start_date").asText()).isEqualTo("2026-06-01T00:00:00.000Z");
        assertThat(c.get("end_date").asText()).isEqualTo("2026-08-31T23:59:59.999Z");
        assertThat(c.get("tags").toString()).isEqualTo("[\"hats\",\"summer\"]");
        assertThat(c.get("url_count").asLong()).isZero();
        assertThat(c.get("total_clicks").asLong()).isZero();

        assertThat(ok(send(key, "GET", "/api/v1/campaigns/" + id, null), 200).get("name").asText()).isEqualTo("Summer Sale 2026");
        assertThat(ok(send(key, "GET", "/api/v1/campaigns/" + id.toUpperCase(), null), 200).get("id").asText()).isEqualTo(id);
        assertThat(ok(send(key, "GET", "/api/v1/campaigns/" + enc("Summer Sale 2026"), null), 200).get("id").asText()).isEqualTo(id);
        assertThat(send(key, "GET", "/api/v1/campaigns/" + enc("summer sale 2026"), null).status()).isEqualTo(404);

        // Same name again: 409, whatever the case of the body's other fields.
        Http.Response dup = send(key, "POST", "/api/v1/campaigns", Map.of("name", "Summer Sale 2026"));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.json().get("error").get("details").get("field").asText()).isEqualTo("name");

        JsonNode renamed = ok(send(key, "PUT", "/api/v1/campaigns/" + enc("Summer Sale 2026"),
                Map.of("name", "Été €", "status", "archived")), 200);
        assertThat(renamed.get("status").asText()).isEqualTo("archived");
        assertThat(renamed.get("description").asText()).isEqualTo("Hats");
        assertThat(ok(send(key, "GET", "/api/v1/campaigns/" + enc("Été €"), null), 200).get("id").asText()).isEqualTo(id);
        assertThat(send(key, "GET", "/api/v1/campaigns/" + enc("Summer Sale 2026"), null).status()).isEqualTo(404);
        JsonNode back = ok(send(key, "PATCH", "/api/v1/campaigns/" + id, Map.of("status", "active", "end_date", "2026-06-05")), 200);
        assertThat(back.get("status").asText()).isEqualTo("ended");

        assertThat(send(key, "DELETE", "/api/v1/campaigns/" + enc("Été €"), null).status()).isEqualTo(200);
        assertThat(send(key, "GET", "/api/v1/campaigns/" + id, null).status()).isEqualTo(404);
        assertThat(send(key, "DELETE", "/api/v1/campaigns/" + id, null).status()).isEqualTo(404);
    }

    @Test
    void badBodiesNameTheirField() {
        String key = newKey("bad-ws");
        badRequest(send(key, "POST", "/api/v1/campaigns", Map.of()), "name");
        badRequest(send(key, "POST", "/api/v1/campaigns", Map.of("name", "")), "name");
        badRequest(send(key, "POST", "/api/v1/campaigns", Map.of("name", "x".repeat(101))), "name");
        badRequest(send(key, "POST", "/api/v1/campaigns", Map.of("name", "a/b")), "name");
        badRequest(send(key, "POST", "/api/v1/campaigns", Map.of("name", "tab\there")), "name");
        badRequest(send(key, "POST", "/api/v1/campaigns", Map.of("name", 5)), "name");
        badRequest(send(key, "POST", "/api/v1/campaigns", Map.of("name", "ok", "colour", "red")), "colour");
        badRequest(send(key, "POST", "/api/v1/campaigns", Map.of("name", "ok", "start_date", "yesterday")), "start_date");
        badRequest(send(key, "POST", "/api/v1/campaigns", Map.of("name", "ok", "start_date", "2026-07-01", "end_date", "2026-06-01")), "end_date");
        badRequest(send(key, "POST", "/api/v1/campaigns", Map.of("name", "ok", "status", "ended")), "status");
        badRequest(send(key, "POST", "/api/v1/campaigns", Map.of("name", "ok", "tags", "a,b")), "tags");
        badRequest(send(key, "POST", "/api/v1/campaigns", Map.of("name", "ok", "tags", List.of("<script>"))), "tags");
        assertThat(ok(send(key, "GET", "/api/v1/campaigns", null), 200)).isEmpty();
        // The longest name, 100 characters, is fine.
        assertThat(send(key, "POST", "/api/v1/campaigns", Map.of("name", "é".repeat(100))).status()).isEqualTo(201);
        badRequest(send(key, "GET", "/api/v1/campaigns?status=paused", null), "status");
        badRequest(send(key, "GET", "/api/v1/campaigns?range=2w", null), "range");
        badRequest(send(key, "GET", "/api/v1/campaigns?limit=101", null), "limit");
    }

    @Test
    void listHasTopLevelMetaAndFiltersByDerivedStatus() {
        String key = newKey("list-ws");
        ok(send(key, "POST", "/api/v1/campaigns", Map.of("name", "Now")), 201);
        ok(send(key, "POST", "/api/v1/campaigns", Map.of("name", "Later", "start_date", "2026-09-01")), 201);
        ok(send(key, "POST", "/api/v1/campaigns", Map.of("name", "Past", "start_date", "2026-01-01", "end_date", "2026-02-01")), 201);
        ok(send(key, "POST", "/api/v1/campaigns", Map.of("name", "Shelved", "status", "archived")), 201);
        Http.Response r = send(key, "GET", "/api/v1/campaigns?limit=3", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("data").isArray()).isTrue();
        assertThat(r.json().get("data")).hasSize(3);
        assertThat(r.json().get("meta").toString()).isEqualTo("{\"page\":1,\"limit\":3,\"total\":4,\"total_pages\":2}");
        for (String[] s : new String[][] {{"active", "Now"}, {"scheduled", "Later"}, {"ended", "Past"}, {"archived", "Shelved"}}) {
            JsonNode list = ok(send(key, "GET", "/api/v1/campaigns?status=" + s[0], null), 200);
            assertThat(list).hasSize(1);
            assertThat(list.get(0).get("name").asText()).isEqualTo(s[1]);
            assertThat(list.get(0).get("status").asText()).isEqualTo(s[0]);
        }
        assertThat(ok(send(key, "GET", "/api/v1/campaigns?search=ELV", null), 200).get(0).get("name").asText()).isEqualTo("Shelved");
        assertThat(ok(send(key, "GET", "/api/v1/campaigns?range=24h", null), 200)).hasSize(4);
    }

    @Test
    void membershipCountsAndDeletionKeepsTheLinks() {
        String key = newKey("member-ws");
        String cid = ok(send(key, "POST", "/api/v1/campaigns", Map.of("name", "Launch")), 201).get("id").asText();
        JsonNode a = link(key, Map.of("url", "https://a.example.com/", "campaign_id", "Launch"));
        JsonNode b = link(key, Map.of("url", "https://b.example.com/", "custom_alias", "member-b"));
        link(key, Map.of("url", "https://c.example.com/"));
        assertThat(a.get("campaign_id").asText()).isEqualTo(cid);
        assertThat(ok(send(key, "POST", "/api/v1/campaigns/Launch/urls/member-b", null), 200).get("campaign_id").asText()).isEqualTo(cid);
        click(a.get("short_code").asText(), CHROME);
        click("member-b", CHROME);
        click("member-b", FIREFOX);
        server.awaitRecorderIdle();
        TestServer.await(Duration.ofSeconds(20), () -> send(key, "GET", "/api/v1/campaigns/" + cid, null).json()
                .get("data").get("total_clicks").asLong() == 3);
        JsonNode c = ok(send(key, "GET", "/api/v1/campaigns/" + cid, null), 200);
        assertThat(c.get("url_count").asLong()).isEqualTo(2);

        Http.Response urls = send(key, "GET", "/api/v1/campaigns/Launch/urls?sort=short_code&order=asc", null);
        assertThat(urls.json().get("pagination").get("total").asLong()).isEqualTo(2);
        assertThat(urls.json().get("data").get("shortUrls")).extracting(n -> n.get("id").asText())
                .containsExactlyInAnyOrder(a.get("id").asText(), b.get("id").asText());

        // The link filter by id, by name, and by the camelCase spelling.
        for (String q : List.of("campaign_id=" + cid, "campaign_id=Launch", "campaignId=Launch")) {
            assertThat(ok(send(key, "GET", "/api/v1/short-urls?" + q, null), 200).get("pagination").get("total").asLong())
                    .as(q).isEqualTo(2);
        }
        badRequest(send(key, "GET", "/api/v1/short-urls?campaign_id=Nope", null), "campaign_id");
        badRequest(send(key, "GET", "/api/v1/short-urls?campaign_id=Launch&campaignId=Other", null), "campaign_id");
        badRequest(send(key, "POST", "/api/v1/short-urls", Map.of("url", "https://x.example.com/", "campaign_id", "Nope")), "campaign_id");

        assertThat(send(key, "DELETE", "/api/v1/campaigns/Launch/urls/member-b", null).status()).isEqualTo(200);
        assertThat(send(key, "DELETE", "/api/v1/campaigns/Launch/urls/member-b", null).status()).isEqualTo(404);
        assertThat(ok(send(key, "GET", "/api/v1/short-urls/member-b", null), 200).get("campaign_id").isNull()).isTrue();
        // Update through the link itself, by name, then clear with null.
        assertThat(ok(send(key, "PUT", "/api/v1/short-urls/member-b", Map.of("campaign_id", "Launch")), 200)
                .get("campaign_id").asText()).isEqualTo(cid);

        assertThat(send(key, "DELETE", "/api/v1/campaigns/" + cid, null).status()).isEqualTo(200);
        JsonNode kept = ok(send(key, "GET", "/api/v1/short-urls/" + a.get("id").asText(), null), 200);
        assertThat(kept.get("campaign_id").isNull()).isTrue();
        assertThat(ok(send(key, "GET", "/api/v1/short-urls", null), 200).get("pagination").get("total").asLong()).isEqualTo(3);
        assertThat(send(key, "GET", "/api/v1/campaigns/" + cid + "/urls", null).status()).isEqualTo(404);
    }

    @Test
    void campaignAnalyticsCountAVisitorOfTwoLinksOnceLikeTheWorkspaceDoes() {
        String key = newKey("analytics-ws");
        ok(send(key, "POST", "/api/v1/campaigns", Map.of("name", "Promo")), 201);
        JsonNode a = link(key, Map.of("url", "https://a.example.com/", "campaign_id", "Promo", "tags", List.of("red")));
        JsonNode b = link(key, Map.of("url", "https://b.example.com/", "campaign_id", "Promo", "tags", List.of("blue")));
        JsonNode outside = link(key, Map.of("url", "https://c.example.com/", "tags", List.of("red")));
        // Yesterday and today: one visitor (Chrome) clicks both campaign links, another (Firefox) one of them twice.
        CLOCK.advance(Duration.ofDays(-1));
        click(a.get("short_code").asText(), CHROME);
        click(b.get("short_code").asText(), CHROME);
        CLOCK.advance(Duration.ofDays(1));
        click(a.get("short_code").asText(), CHROME);
        click(b.get("short_code").asText(), FIREFOX);
        click(b.get("short_code").asText(), FIREFOX);
        click(outside.get("short_code").asText(), SAFARI);
        server.awaitRecorderIdle();
        TestServer.await(Duration.ofSeconds(20), () -> send(key, "GET", "/api/v1/analytics/click-details?limit=1", null)
                .json().get("data").get("pagination").get("total").asLong() == 6);

        // Whole UTC days (the rollups) and a range cut inside days (rollups plus raw edges) agree.
        for (String range : List.of("", "&startDate=2026-06-01&endDate=2026-06-30",
                "&startDate=2026-06-09T05:00:00Z&endDate=2026-06-10T23:00:00Z")) {
            JsonNode m = ok(send(key, "GET", "/api/v1/campaigns/Promo/analytics?groupBy=day" + range, null), 200);
            assertThat(m.get("total_clicks").asLong()).as(range).isEqualTo(5);
            // Chrome on the 9th (two links, one visitor), Chrome and Firefox on the 10th.
            assertThat(m.get("unique_clicks").asLong()).as(range).isEqualTo(3);
            assertThat(m.get("returning_visitors").asLong()).as(range).isEqualTo(2);
            assertThat(m.get("active_days").asLong()).as(range).isEqualTo(2);
            assertThat(m.get("link_count").asLong()).isEqualTo(2);
            JsonNode browsers = m.get("breakdowns").get("browser");
            assertThat(browsers.get(0).get("value").asText()).isEqualTo("Chrome");
            assertThat(browsers.get(0).get("clicks").asLong()).isEqualTo(3);
            assertThat(browsers.get(0).get("unique_clicks").asLong()).as(range).isEqualTo(2);
            assertThat(browsers.get(1).get("value").asText()).isEqualTo("Firefox");
            assertThat(browsers.get(1).get("unique_clicks").asLong()).isEqualTo(1);
            long seriesClicks = 0;
            long seriesUniques = 0;
            for (JsonNode bucket : m.get("series")) {
                seriesClicks += bucket.get("clicks").asLong();
                seriesUniques += bucket.get("unique_clicks").asLong();
            }
            assertThat(seriesClicks).as(range).isEqualTo(5);
            assertThat(seriesUniques).as(range).isEqualTo(3);
        }
        // The same filter on every analytics endpoint, by name and by camelCase.
        JsonNode core = ok(send(key, "GET", "/api/v1/analytics/breakdown?by=browser&campaignId=Promo&startDate=2026-06-01", null), 200);
        assertThat(core.get("total").asLong()).isEqualTo(5);
        JsonNode sources = ok(send(key, "GET", "/api/v1/analytics/user-traffic-sources?campaign_id=Promo", null), 200);
        assertThat(sources.get(0).get("source").asText()).isEqualTo("Direct");
        assertThat(sources.get(0).get("clicks").asLong()).isEqualTo(5);
        JsonNode log = ok(send(key, "GET", "/api/v1/analytics/click-details?campaign_id=Promo", null), 200);
        assertThat(log.get("pagination").get("total").asLong()).isEqualTo(5);
        JsonNode quality = ok(send(key, "GET", "/api/v1/analytics/traffic-quality/" + a.get("id").asText() + "?campaign_id=Promo", null), 200);
        assertThat(quality.get("human_clicks").asLong()).isEqualTo(2);
        JsonNode notIn = ok(send(key, "GET", "/api/v1/analytics/traffic-quality/" + outside.get("id").asText() + "?campaign_id=Promo", null), 200);
        assertThat(notIn.get("human_clicks").asLong()).isZero();
        // Tags: any of them; analytics take the same filter.
        JsonNode red = ok(send(key, "GET", "/api/v1/analytics/breakdown?by=browser&tags=red&startDate=2026-06-01", null), 200);
        assertThat(red.get("total").asLong()).isEqualTo(3);
        JsonNode redInPromo = ok(send(key, "GET", "/api/v1/campaigns/Promo/analytics?tags=red", null), 200);
        assertThat(redInPromo.get("total_clicks").asLong()).isEqualTo(2);
        badRequest(send(key, "GET", "/api/v1/analytics/breakdown?by=browser&campaign_id=Nope", null), "campaign_id");
        badRequest(send(key, "GET", "/api/v1/campaigns/Promo/analytics?groupBy=week", null), "groupBy");
        JsonNode campaign = ok(send(key, "GET", "/api/v1/campaigns/Promo", null), 200);
        assertThat(campaign.get("total_clicks").asLong()).isEqualTo(5);

        // With the raw rows gone (as after retention), whole days still answer exactly: from the rollups alone.
        try (var db = server.openStoreConnection(); var st = db.prepareStatement(
                "DELETE FROM clicks WHERE link_id IN (?, ?)")) {
            st.setString(1, a.get("id").asText());
            st.setString(2, b.get("id").asText());
            assertThat(st.executeUpdate()).isEqualTo(5);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        JsonNode m = ok(send(key, "GET", "/api/v1/campaigns/Promo/analytics?startDate=2026-06-01&endDate=2026-06-30", null), 200);
        assertThat(m.get("total_clicks").asLong()).isEqualTo(5);
        assertThat(m.get("unique_clicks").asLong()).isEqualTo(3);
        assertThat(m.get("returning_visitors").asLong()).isEqualTo(2);
        assertThat(m.get("active_hours").asLong()).isEqualTo(2);
        assertThat(m.get("breakdowns").get("browser").get(0).get("unique_clicks").asLong()).isEqualTo(2);
        assertThat(m.get("breakdowns").get("country")).hasSize(1);
        assertThat(ok(send(key, "GET", "/api/v1/analytics/breakdown?by=source&campaign_id=Promo", null), 200)
                .get("data").get(0).get("unique_clicks").asLong()).isEqualTo(3);
        assertThat(ok(send(key, "GET", "/api/v1/analytics/traffic-quality/" + b.get("id").asText() + "?campaign_id=Promo", null), 200)
                .get("human_clicks").asLong()).isEqualTo(3);
    }

    @Test
    void tagsOnLinksListsAndBulk() {
        String key = newKey("tags-ws");
        JsonNode a = link(key, Map.of("url", "https://a.example.com/", "tags", List.of("Spring", "news")));
        link(key, Map.of("url", "https://b.example.com/", "tags", List.of("news")));
        link(key, Map.of("url", "https://c.example.com/"));
        assertThat(a.get("tags").toString()).isEqualTo("[\"news\",\"spring\"]");
        assertThat(ok(send(key, "GET", "/api/v1/short-urls/" + a.get("id").asText(), null), 200).get("tags").toString())
                .isEqualTo("[\"news\",\"spring\"]");
        assertThat(ok(send(key, "GET", "/api/v1/short-urls?tags=spring", null), 200).get("pagination").get("total").asLong()).isEqualTo(1);
        assertThat(ok(send(key, "GET", "/api/v1/short-urls?tags=spring,news", null), 200).get("pagination").get("total").asLong()).isEqualTo(2);
        assertThat(ok(send(key, "GET", "/api/v1/short-urls?tags=NEWS", null), 200).get("pagination").get("total").asLong()).isEqualTo(2);
        assertThat(ok(send(key, "GET", "/api/v1/short-urls?tags=none", null), 200).get("pagination").get("total").asLong()).isZero();
        JsonNode updated = ok(send(key, "PATCH", "/api/v1/short-urls/" + a.get("id").asText(), Map.of("tags", List.of())), 200);
        assertThat(updated.get("tags")).isEmpty();

        Map<String, Object> bulk = new HashMap<>();
        bulk.put("csv_content", "url,tags\nhttps://d.example.com/,\"news,Autumn\"\nhttps://e.example.com/,bad<tag\n");
        JsonNode created = ok(send(key, "POST", "/api/v1/bulk-urls/create", bulk), 201);
        assertThat(created.get("created_count").asInt()).isEqualTo(1);
        assertThat(created.get("results").get(0).get("short_url").get("tags").toString()).isEqualTo("[\"autumn\",\"news\"]");
        assertThat(created.get("results").get(1).get("error").get("field").asText()).isEqualTo("tags");

        JsonNode tags = ok(send(key, "GET", "/api/v1/tags", null), 200);
        List<String> rows = new ArrayList<>();
        tags.forEach(t -> rows.add(t.get("tag").asText() + "=" + t.get("link_count").asLong()));
        assertThat(rows).containsExactly("news=2", "autumn=1");

        badRequest(send(key, "POST", "/api/v1/short-urls", Map.of("url", "https://x.example.com/", "tags", "news")), "tags");
        badRequest(send(key, "POST", "/api/v1/short-urls", Map.of("url", "https://x.example.com/", "tags", List.of(1))), "tags");
        badRequest(send(key, "POST", "/api/v1/short-urls", Map.of("url", "https://x.example.com/", "tags", List.of("x".repeat(51)))), "tags");
        badRequest(send(key, "POST", "/api/v1/short-urls", Map.of("url", "https://x.example.com/", "tags", List.of(" lead"))), "tags");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            many.add("t" + i);
        }
        badRequest(send(key, "POST", "/api/v1/short-urls", Map.of("url", "https://x.example.com/", "tags", many)), "tags");
        badRequest(send(key, "GET", "/api/v1/short-urls?tags=a;b", null), "tags");
        assertThat(ok(send(key, "GET", "/api/v1/short-urls", null), 200).get("pagination").get("total").asLong()).isEqualTo(4);
    }
}
