package dev.linkpulse.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.MutableClock;
import dev.linkpulse.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code GET /api/v1/analytics/click-details[/:shortUrlId]}: ids, paging, order, errors, isolation. */
class ClickLogApiTest {

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    static TestServer server;
    static JsonNode first;
    static JsonNode aliased;
    static String analystKey;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), CLOCK);
        analystKey = server.createKey("analyst", "analytics", null);
        first = server.createLink(Map.of("url", "https://example.com/one"));
        aliased = server.createLink(Map.of("url", "https://example.com/two", "custom_alias", "spring-sale"));
        // Three clicks on the first link in one millisecond, then two on the second one later.
        for (int i = 0; i < 3; i++) {
            click(first.get("short_code").asText());
        }
        CLOCK.advance(Duration.ofMinutes(5));
        click("spring-sale");
        CLOCK.advance(Duration.ofMinutes(5));
        click("spring-sale");
        server.awaitClicks(null, 5);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void click(String code) {
        assertThat(server.http().get("/" + code, "User-Agent", ClickRecordTest.WINDOWS_CHROME).status()).isEqualTo(301);
    }

    private static List<String> ids(JsonNode data) {
        List<String> out = new ArrayList<>();
        data.get("data").forEach(r -> out.add(r.get("id").asText()));
        return out;
    }

    @Test
    void aLinkIsNamedByUuidShortCodeOrAlias() {
        JsonNode byUuid = server.clickLog(aliased.get("id").asText(), "");
        JsonNode byAlias = server.clickLog("spring-sale", "");
        JsonNode byUpperUuid = server.clickLog(aliased.get("id").asText().toUpperCase(), "");
        JsonNode byCode = server.clickLog(first.get("short_code").asText(), "");
        assertThat(ids(byUuid)).hasSize(2).isEqualTo(ids(byAlias)).isEqualTo(ids(byUpperUuid));
        assertThat(byUuid.get("pagination").get("total").asLong()).isEqualTo(2);
        assertThat(ids(byCode)).hasSize(3);
        assertThat(byCode.get("data").get(0).get("short_code").asText()).isEqualTo(first.get("short_code").asText());
        assertThat(byAlias.get("data").get(0).get("short_code").asText()).isEqualTo("spring-sale");
    }

    @Test
    void withoutAnIdEveryLinkOfTheWorkspaceIsListedNewestFirst() {
        JsonNode all = server.clickLog(null, "");
        assertThat(all.get("pagination").get("total").asLong()).isEqualTo(5);
        assertThat(all.get("pagination").get("limit").asInt()).isEqualTo(100);
        assertThat(all.get("pagination").get("offset").asLong()).isZero();
        List<String> codes = new ArrayList<>();
        List<String> times = new ArrayList<>();
        all.get("data").forEach(r -> {
            codes.add(r.get("short_code").asText());
            times.add(r.get("clicked_at").asText());
        });
        String code = first.get("short_code").asText();
        assertThat(codes).containsExactly("spring-sale", "spring-sale", code, code, code);
        assertThat(times.subList(0, 3)).containsExactly("2026-03-01T12:10:00.000Z", "2026-03-01T12:05:00.000Z",
                "2026-03-01T12:00:00.000Z");
    }

    @Test
    void equalTimestampsAreOrderedByIdDescendingAndPagesAreStable() {
        JsonNode page = server.clickLog(first.get("short_code").asText(), "");
        List<String> ids = ids(page);
        page.get("data").forEach(r -> assertThat(r.get("clicked_at").asText()).isEqualTo("2026-03-01T12:00:00.000Z"));
        assertThat(ids).isSortedAccordingTo((a, b) -> b.compareTo(a)).doesNotHaveDuplicates();
        // The same order every time, and pages of one concatenate to the whole.
        List<String> paged = new ArrayList<>();
        for (int offset = 0; offset < 3; offset++) {
            JsonNode one = server.clickLog(first.get("short_code").asText(), "?limit=1&offset=" + offset);
            assertThat(one.get("pagination").get("total").asLong()).isEqualTo(3);
            paged.addAll(ids(one));
        }
        assertThat(paged).isEqualTo(ids);
    }

    @Test
    void limitAndOffsetPageThroughTheWholeLog() {
        JsonNode all = server.clickLog(null, "?limit=1000");
        List<String> paged = new ArrayList<>();
        for (int offset = 0; offset < 6; offset += 2) {
            JsonNode page = server.clickLog(null, "?limit=2&offset=" + offset);
            assertThat(page.get("pagination").get("limit").asInt()).isEqualTo(2);
            assertThat(page.get("pagination").get("offset").asInt()).isEqualTo(offset);
            assertThat(page.get("pagination").get("total").asLong()).isEqualTo(5);
            paged.addAll(ids(page));
        }
        assertThat(paged).isEqualTo(ids(all)).hasSize(5);
        assertThat(server.clickLog(null, "?offset=5").get("data")).isEmpty();
        assertThat(server.clickLog(null, "?offset=999999").get("data")).isEmpty();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"limit,0", "limit,1001", "limit,-1", "limit,1.5", "limit,abc", "limit,''", "offset,-1", "offset,1.5",
            "offset,abc", "offset,''", "limit,99999999999999999999", "offset,1e3"})
    void badPagingIsAValidationErrorNamingTheField(String field, String value) {
        for (String path : List.of("/api/v1/analytics/click-details", "/api/v1/analytics/click-details/spring-sale")) {
            Http.Response r = server.http().get(path + "?" + field + "=" + value, server.admin());
            assertThat(r.status()).as(path + " " + r.body()).isEqualTo(400);
            JsonNode error = r.json().get("error");
            assertThat(r.json().get("success").asBoolean()).isFalse();
            assertThat(error.get("code").asText()).isEqualTo("VALIDATION_ERROR");
            assertThat(error.get("details").get("field").asText()).isEqualTo(field);
            assertThat(error.get("message").asText()).contains(field);
        }
    }

    @Test
    void aParameterGivenTwiceIsRefused() {
        Http.Response r = server.http().get("/api/v1/analytics/click-details?limit=1&limit=2", server.admin());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").get("details").get("field").asText()).isEqualTo("limit");
    }

    @Test
    void aMissingKeyAndAWrongKeyAreTheTwoUnauthorizedCodes() {
        Http.Response missing = server.http().get("/api/v1/analytics/click-details");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().get("error").get("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(missing.json().get("error").get("message").asText()).isEqualTo("API key is required");

        Http.Response wrong = server.http().get("/api/v1/analytics/click-details", "Authorization", "Bearer lp_nope");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("error").get("code").asText()).isEqualTo("INVALID_API_KEY");

        Http.Response wrongQuery = server.http().get("/api/v1/analytics/click-details?api_key=lp_nope");
        assertThat(wrongQuery.json().get("error").get("code").asText()).isEqualTo("INVALID_API_KEY");
    }

    @Test
    void theLegacyQueryKeyWorks() {
        Http.Response r = server.http().get("/api/v1/analytics/click-details?api_key=" + TestServer.ADMIN_KEY);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("data").get("pagination").get("total").asLong()).isEqualTo(5);
    }

    @Test
    void aKeyWithoutAnalyticsIsForbidden() {
        String reader = server.createKey("reader", "read", null);
        Http.Response r = server.http().get("/api/v1/analytics/click-details", server.auth(reader));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(r.json().get("error").get("details").get("required").asText()).isEqualTo("analytics");
        assertThat(server.http().get("/api/v1/analytics/click-details", server.auth(analystKey)).status()).isEqualTo(200);
    }

    @Test
    void anotherWorkspaceSeesNoneOfThisWorkspacesLinksOrClicks() {
        String other = server.createKey("other", "read,write,analytics", "other-team");
        for (String id : List.of(aliased.get("id").asText(), "spring-sale", first.get("short_code").asText())) {
            Http.Response log = server.http().get("/api/v1/analytics/click-details/" + id, server.auth(other));
            Http.Response absent = server.http().get("/api/v1/analytics/click-details/doesnotexist", server.auth(other));
            assertThat(log.status()).isEqualTo(404);
            assertThat(log.json().get("error").get("code").asText()).isEqualTo("NOT_FOUND");
            assertThat(log.body()).isEqualTo(absent.body());
            Http.Response link = server.http().get("/api/v1/short-urls/" + id, server.auth(other));
            assertThat(link.status()).isEqualTo(404);
        }
        JsonNode all = server.http().get("/api/v1/analytics/click-details", server.auth(other)).json().get("data");
        assertThat(all.get("data")).isEmpty();
        assertThat(all.get("pagination").get("total").asLong()).isZero();
    }

    @Test
    void anUnknownLinkIsNotFound() {
        Http.Response r = server.http().get("/api/v1/analytics/click-details/00000000-0000-4000-8000-000000000000", server.admin());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("NOT_FOUND");
    }
}
