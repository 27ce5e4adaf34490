package dev.linkpulse.links;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.MutableClock;
import dev.linkpulse.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** List, check-alias, update and delete of {@code /api/v1/short-urls} (spec §3). */
class ShortUrlManagementTest {

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));
    static TestServer server;
    static String listKey;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), CLOCK);
        // A workspace of its own, so the list tests see exactly the links made here.
        listKey = server.createKey("lister", "read,write,delete,analytics", "list-workspace");
        String[][] links = {
                {"https://alpha.example.com/", "Alpha", "alpha-link"},
                {"https://beta.example.com/", "Beta", null},
                {"https://gamma.example.com/", "Gamma", null},
                {"https://delta.example.com/search-me", null, null},
                {"https://epsilon.example.com/", "Epsilon", null}};
        for (String[] l : links) {
            Map<String, Object> body = new HashMap<>();
            body.put("url", l[0]);
            if (l[1] != null) {
                body.put("name", l[1]);
            }
            if (l[2] != null) {
                body.put("custom_alias", l[2]);
            }
            Http.Response r = server.http().postJson("/api/v1/short-urls", Http.json(body), server.auth(listKey));
            assertThat(r.status()).isEqualTo(201);
            CLOCK.advance(Duration.ofDays(1));
        }
        // Gamma gets two human clicks, Beta one, Alpha one bot click.
        clickAs("/" + code("Gamma"), "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36");
        clickAs("/" + code("Gamma"), "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36");
        clickAs("/" + code("Beta"), "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36");
        clickAs("/alpha-link", "curl/8.0");
        TestServer.await(Duration.ofSeconds(20), () -> server.http().get("/api/v1/analytics/click-details", server.auth(listKey))
                .json().get("data").get("pagination").get("total").asLong() == 4);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void clickAs(String path, String userAgent) {
        assertThat(server.http().get(path, "User-Agent", userAgent).status()).isEqualTo(301);
    }

    static String code(String name) {
        for (JsonNode l : list("?limit=100").get("data").get("shortUrls")) {
            if (name.equals(l.get("name").asText(null))) {
                return l.get("short_code").asText();
            }
        }
        throw new AssertionError("no link named " + name);
    }

    static JsonNode list(String query) {
        Http.Response r = server.http().get("/api/v1/short-urls" + query, server.auth(listKey));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static List<String> names(JsonNode listBody) {
        List<String> out = new ArrayList<>();
        listBody.get("data").get("shortUrls").forEach(l -> out.add(l.get("name").isNull() ? null : l.get("name").asText()));
        return out;
    }

    @Test
    void theListIsNewestFirstWithPaginationInDataAndAtTheTop() {
        JsonNode body = list("");
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(names(body)).containsExactly("Epsilon", null, "Gamma", "Beta", "Alpha");
        JsonNode pagination = body.get("data").get("pagination");
        assertThat(pagination.get("page").asInt()).isEqualTo(1);
        assertThat(pagination.get("limit").asInt()).isEqualTo(20);
        assertThat(pagination.get("total").asInt()).isEqualTo(5);
        assertThat(body.get("pagination")).isEqualTo(pagination);
        JsonNode gamma = body.get("data").get("shortUrls").get(2);
        assertThat(gamma.get("clicks").asLong()).isEqualTo(2);
        assertThat(gamma.get("click_count").asLong()).isEqualTo(2);
    }

    @Test
    void pagesSplitTheList() {
        JsonNode first = list("?limit=2&page=1");
        JsonNode third = list("?limit=2&page=3");
        assertThat(names(first)).containsExactly("Epsilon", null);
        assertThat(names(third)).containsExactly("Alpha");
        assertThat(third.get("pagination").get("page").asInt()).isEqualTo(3);
        assertThat(third.get("pagination").get("total").asInt()).isEqualTo(5);
        assertThat(list("?limit=2&page=4").get("data").get("shortUrls")).isEmpty();
    }

    @Test
    void sortByClicksNameAndCode() {
        assertThat(names(list("?sort=clicks&order=desc"))).startsWith("Gamma", "Beta");
        assertThat(names(list("?sort=name&order=asc"))).containsExactly("Alpha", "Beta", "Epsilon", "Gamma", null);
        assertThat(names(list("?sort=name&order=desc"))).containsExactly(null, "Gamma", "Epsilon", "Beta", "Alpha");
        List<String> codes = new ArrayList<>();
        list("?sort=short_code&order=asc").get("data").get("shortUrls").forEach(l -> codes.add(l.get("short_code").asText()));
        assertThat(codes).isSorted();
        assertThat(names(list("?sort=created_at&order=asc"))).containsExactly("Alpha", "Beta", "Gamma", null, "Epsilon");
    }

    @Test
    void searchMatchesNameCodeOrUrl() {
        // Generated codes are random and may contain the term too: the expected set comes from the links themselves.
        List<String> expected = new ArrayList<>();
        list("?limit=100").get("data").get("shortUrls").forEach(l -> {
            String all = (l.get("name").asText("") + " " + l.get("short_code").asText() + " " + l.get("original_url").asText())
                    .toLowerCase(java.util.Locale.ROOT);
            if (all.contains("gam")) {
                expected.add(l.get("name").isNull() ? null : l.get("name").asText());
            }
        });
        assertThat(expected).contains("Gamma");
        assertThat(names(list("?search=gam"))).containsExactlyElementsOf(expected);
        assertThat(names(list("?search=SEARCH-ME"))).containsExactly((String) null);
        assertThat(names(list("?search=alpha-link"))).containsExactly("Alpha");
        assertThat(names(list("?search=nothing-like-this"))).isEmpty();
        assertThat(list("?search=%25").get("data").get("shortUrls")).isEmpty();
    }

    @Test
    void createdDatesFilterInBothSpellings() {
        // Created on June 1, 2, 3, 4, 5.
        assertThat(names(list("?start_date=2026-06-02&end_date=2026-06-03"))).containsExactly("Gamma", "Beta");
        assertThat(names(list("?startDate=2026-06-02&endDate=2026-06-03"))).containsExactly("Gamma", "Beta");
        assertThat(names(list("?startDate=2026-06-05T00:00:00Z"))).containsExactly("Epsilon");
        assertThat(names(list("?end_date=2026-06-01"))).containsExactly("Alpha");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"page=0,page", "page=x,page", "limit=101,limit", "limit=0,limit", "sort=size,sort", "order=up,order",
            "status=gone,status", "start_date=yesterday,start_date", "endDate=2026-13-01,endDate",
            "start_date=2026-06-05&end_date=2026-06-01,end_date"})
    void badListParametersNameTheField(String query, String field) {
        Http.Response r = server.http().get("/api/v1/short-urls?" + query, server.auth(listKey));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(r.json().get("error").get("details").get("field").asText()).isEqualTo(field);
    }

    @Test
    void statusFiltersActiveExpiredAndDisabled() {
        JsonNode expiring = server.createLink(Map.of("url", "https://example.com/exp", "name", "expiring",
                "expires_at", "2026-07-01T00:00:00Z"));
        JsonNode disabled = server.createLink(Map.of("url", "https://example.com/dis", "name", "disabled"));
        patch(disabled.get("id").asText(), Map.of("disabled", true));
        assertThat(names(adminList("?status=disabled"))).containsExactly("disabled");
        assertThat(names(adminList("?status=active&search=expiring"))).containsExactly("expiring");
        assertThat(adminList("?status=expired").get("data").get("shortUrls")).isEmpty();
        CLOCK.advance(Duration.ofDays(60));
        try {
            assertThat(names(adminList("?status=expired"))).containsExactly("expiring");
            assertThat(server.http().get("/" + expiring.get("short_code").asText()).status()).isEqualTo(410);
        } finally {
            CLOCK.advance(Duration.ofDays(-60));
        }
        assertThat(server.http().get("/" + disabled.get("short_code").asText()).status()).isEqualTo(404);
        patch(disabled.get("id").asText(), Map.of("disabled", false));
        assertThat(server.http().get("/" + disabled.get("short_code").asText()).status()).isEqualTo(301);
    }

    static JsonNode adminList(String query) {
        return server.http().get("/api/v1/short-urls" + query, server.admin()).json();
    }

    static Http.Response patch(String id, Map<String, ?> body) {
        return server.http().send("PATCH", "/api/v1/short-urls/" + id, Http.json(body), server.admin());
    }

    @Test
    void checkAliasTellsAvailability() {
        server.createLink(Map.of("url", "https://example.com", "custom_alias", "used-alias"));
        JsonNode free = server.http().get("/api/v1/short-urls/check-alias?alias=free-alias", server.admin()).json().get("data");
        assertThat(free.get("available").asBoolean()).isTrue();
        assertThat(free.get("alias").asText()).isEqualTo("free-alias");
        assertThat(free.get("url_type").asText()).isEqualTo("standard");
        assertThat(free.get("full_url").asText()).isEqualTo("http://localhost:8080/free-alias");
        assertThat(free.get("message").asText()).isNotBlank();
        JsonNode used = server.http().get("/api/v1/short-urls/check-alias?alias=used-alias", server.admin()).json().get("data");
        assertThat(used.get("available").asBoolean()).isFalse();
        JsonNode reserved = server.http().get("/api/v1/short-urls/check-alias?alias=api", server.admin()).json().get("data");
        assertThat(reserved.get("available").asBoolean()).isFalse();
        JsonNode bad = server.http().get("/api/v1/short-urls/check-alias?alias=a%20b", server.admin()).json().get("data");
        assertThat(bad.get("available").asBoolean()).isFalse();
        assertThat(bad.get("message").asText()).contains("alias");
        Http.Response missing = server.http().get("/api/v1/short-urls/check-alias", server.admin());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("error").get("details").get("field").asText()).isEqualTo("alias");
    }

    @Test
    void anUpdateChangesOnlyTheFieldsGiven() {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/v1", "name", "Version one",
                "expires_at", "2030-01-01T00:00:00Z"));
        String id = link.get("id").asText();
        CLOCK.advance(Duration.ofSeconds(5));
        Http.Response r = server.http().send("PUT", "/api/v1/short-urls/" + id,
                Http.json(Map.of("url", "https://example.com/v2", "is_dynamic", true)), server.admin());
        assertThat(r.status()).isEqualTo(200);
        JsonNode updated = r.json().get("data");
        assertThat(updated.get("original_url").asText()).isEqualTo("https://example.com/v2");
        assertThat(updated.get("is_dynamic").asBoolean()).isTrue();
        assertThat(updated.get("name").asText()).isEqualTo("Version one");
        assertThat(updated.get("expires_at").asText()).isEqualTo("2030-01-01T00:00:00.000Z");
        assertThat(updated.get("created_at")).isEqualTo(link.get("created_at"));
        assertThat(updated.get("updated_at").asText()).isNotEqualTo(link.get("updated_at").asText());
        // The very next redirect follows the change: new destination, and 302 now that it is dynamic.
        Http.Response redirect = server.http().get("/" + link.get("short_code").asText());
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).isEqualTo("https://example.com/v2");
        assertThat(server.http().get("/api/v1/short-urls/" + id, server.admin()).json().get("data")).isEqualTo(updated);
    }

    @Test
    void nullClearsNameAndExpiry() {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/c", "name", "To clear",
                "expires_at", "2026-06-20T00:00:00Z"));
        Map<String, Object> body = new HashMap<>();
        body.put("name", null);
        body.put("expires_at", null);
        JsonNode cleared = patch(link.get("id").asText(), body).json().get("data");
        assertThat(cleared.get("name").isNull()).isTrue();
        assertThat(cleared.get("expires_at").isNull()).isTrue();
        CLOCK.advance(Duration.ofDays(40));
        try {
            assertThat(server.http().get("/" + link.get("short_code").asText()).status()).isEqualTo(301);
        } finally {
            CLOCK.advance(Duration.ofDays(-40));
        }
    }

    @Test
    void aRenameFreesTheOldCodeAtOnce() {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/r", "custom_alias", "old-name"));
        assertThat(server.http().get("/old-name").status()).isEqualTo(301);
        JsonNode renamed = patch("old-name", Map.of("custom_alias", "new-name")).json().get("data");
        assertThat(renamed.get("short_code").asText()).isEqualTo("new-name");
        assertThat(renamed.get("custom_alias").asText()).isEqualTo("new-name");
        assertThat(renamed.get("id")).isEqualTo(link.get("id"));
        assertThat(server.http().get("/old-name").status()).isEqualTo(404);
        assertThat(server.http().get("/new-name").header("Location")).isEqualTo("https://example.com/r");
        // The old code is free for another link.
        assertThat(server.createLink(Map.of("url", "https://example.com/other", "custom_alias", "old-name"))
                .get("short_code").asText()).isEqualTo("old-name");
        assertThat(server.http().get("/old-name").header("Location")).isEqualTo("https://example.com/other");
    }

    @Test
    void aRenameToATakenOrReservedAliasIsAConflictAndChangesNothing() {
        server.createLink(Map.of("url", "https://example.com/t", "custom_alias", "taken-target"));
        JsonNode link = server.createLink(Map.of("url", "https://example.com/s", "custom_alias", "staying-put"));
        for (String alias : List.of("taken-target", "health")) {
            Http.Response r = patch("staying-put", Map.of("custom_alias", alias, "name", "changed"));
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.json().get("error").get("code").asText()).isEqualTo("ALIAS_TAKEN");
        }
        JsonNode after = server.http().get("/api/v1/short-urls/staying-put", server.admin()).json().get("data");
        assertThat(after.get("name").isNull()).isTrue();
        assertThat(after.get("id")).isEqualTo(link.get("id"));
    }

    @Test
    void updatesAreValidatedLikeCreates() {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/u"));
        String id = link.get("id").asText();
        Map<String, Object> nullUrl = new HashMap<>();
        nullUrl.put("url", null);
        assertField(patch(id, Map.of("url", "javascript:alert(1)")), "url");
        assertField(patch(id, nullUrl), "url");
        assertField(patch(id, Map.of("custom_alias", "x")), "custom_alias");
        assertField(patch(id, Map.of("expires_at", "2000-01-01")), "expires_at");
        assertField(patch(id, Map.of("is_dynamic", "yes")), "is_dynamic");
        assertField(patch(id, Map.of("disabled", 1)), "disabled");
        assertField(patch(id, Map.of("name", "n".repeat(256))), "name");
        assertThat(server.http().send("PATCH", "/api/v1/short-urls/" + id, "not json", server.admin()).status()).isEqualTo(400);
        assertThat(server.http().send("PATCH", "/api/v1/short-urls/no-such-link", "{}", server.admin()).status()).isEqualTo(404);
    }

    static void assertField(Http.Response r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").get("details").get("field").asText()).isEqualTo(field);
    }

    @Test
    void deleteRemovesTheLinkAndItsClicksAndFreesTheCode() {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/d", "custom_alias", "to-delete"));
        clickAs("/to-delete", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36");
        clickAs("/to-delete", "curl/8.0");
        server.awaitClicks("to-delete", 2);
        long before = server.clickLog(null, "?limit=1").get("pagination").get("total").asLong();

        Http.Response deleted = server.http().send("DELETE", "/api/v1/short-urls/to-delete", null, server.admin());
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("success").asBoolean()).isTrue();
        assertThat(deleted.json().get("data").get("message").asText()).isEqualTo("Short URL deleted successfully");
        assertThat(deleted.json().get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

        assertThat(server.http().get("/api/v1/short-urls/" + link.get("id").asText(), server.admin()).status()).isEqualTo(404);
        assertThat(server.http().get("/api/v1/analytics/click-details/" + link.get("id").asText(), server.admin()).status())
                .isEqualTo(404);
        assertThat(server.http().get("/to-delete").status()).isEqualTo(404);
        JsonNode log = server.clickLog(null, "?limit=1000");
        assertThat(log.get("pagination").get("total").asLong()).isEqualTo(before - 2);
        log.get("data").forEach(c -> assertThat(c.get("short_url_id").asText()).isNotEqualTo(link.get("id").asText()));
        assertThat(server.http().send("DELETE", "/api/v1/short-urls/to-delete", null, server.admin()).status()).isEqualTo(404);

        JsonNode reborn = server.createLink(Map.of("url", "https://example.com/new", "custom_alias", "to-delete"));
        assertThat(reborn.get("clicks").asLong()).isZero();
        assertThat(server.clickLog("to-delete", "").get("pagination").get("total").asLong()).isZero();
    }
}
