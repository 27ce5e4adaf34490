package dev.linkpulse.links;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST /api/v1/short-urls} and {@code GET /api/v1/short-urls/{id}} (spec §3). */
class ShortUrlApiTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(Setting.BASE_URL, "https://lnk.example.com"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http.Response create(Map<String, ?> body) {
        return server.http().postJson("/api/v1/short-urls", Http.json(body), server.admin());
    }

    private static void assertValidation(Http.Response r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(r.json().get("error").get("details").get("field").asText()).isEqualTo(field);
    }

    @Test
    void createWithAGeneratedCodeReturnsTheWholeObject() {
        Http.Response r = create(Map.of("url", "https://example.com/docs?x=1", "name", "Docs"));
        assertThat(r.status()).isEqualTo(201);
        JsonNode d = r.json().get("data");
        assertThat(r.json().get("success").asBoolean()).isTrue();
        assertThat(d.get("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(d.get("short_code").asText()).matches("[0-9A-Za-z]{7}");
        assertThat(d.get("short_url").asText()).isEqualTo("https://lnk.example.com/" + d.get("short_code").asText());
        assertThat(d.get("original_url").asText()).isEqualTo("https://example.com/docs?x=1");
        assertThat(d.get("name").asText()).isEqualTo("Docs");
        assertThat(d.get("custom_alias").isNull()).isTrue();
        assertThat(d.get("clicks").asLong()).isZero();
        assertThat(d.get("click_count").asLong()).isZero();
        assertThat(d.get("tracking_enabled").asBoolean()).isTrue();
        assertThat(d.get("is_dynamic").asBoolean()).isFalse();
        assertThat(d.get("forward_query").asBoolean()).isTrue();
        assertThat(d.get("url_type").asText()).isEqualTo("standard");
        for (String f : List.of("subdomain", "branded_domain", "campaign_id", "expires_at")) {
            assertThat(d.get(f).isNull()).as(f).isTrue();
        }
        assertThat(d.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(d.get("updated_at").asText()).isEqualTo(d.get("created_at").asText());

        JsonNode fetched = server.http().get("/api/v1/short-urls/" + d.get("id").asText(), server.admin()).json().get("data");
        assertThat(fetched).isEqualTo(d);
        JsonNode byCode = server.http().get("/api/v1/short-urls/" + d.get("short_code").asText(), server.admin()).json().get("data");
        assertThat(byCode).isEqualTo(d);
    }

    @Test
    void createWithACustomAlias() {
        Http.Response r = create(Map.of("url", "https://example.com/promo", "custom_alias", "Promo_2026-x"));
        assertThat(r.status()).isEqualTo(201);
        JsonNode d = r.json().get("data");
        assertThat(d.get("short_code").asText()).isEqualTo("Promo_2026-x");
        assertThat(d.get("custom_alias").asText()).isEqualTo("Promo_2026-x");
        assertThat(d.get("short_url").asText()).isEqualTo("https://lnk.example.com/Promo_2026-x");
        assertThat(server.http().get("/api/v1/short-urls/Promo_2026-x", server.admin()).status()).isEqualTo(200);
    }

    @Test
    void aTakenAliasIsAConflict() {
        assertThat(create(Map.of("url", "https://example.com/1", "custom_alias", "taken-one")).status()).isEqualTo(201);
        Http.Response again = create(Map.of("url", "https://example.com/2", "custom_alias", "taken-one"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("error").get("code").asText()).isEqualTo("ALIAS_TAKEN");
        assertThat(again.json().get("error").get("details").get("field").asText()).isEqualTo("custom_alias");
        // Aliases are case-sensitive: another case is another alias.
        assertThat(create(Map.of("url", "https://example.com/3", "custom_alias", "Taken-One")).status()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "has space", "sl/ash", "dot.dot", "ünï", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "emoji😀x", "semi;colon"})
    void aliasesOutsideTheCharsetOrLengthAreRefused(String alias) {
        assertValidation(create(Map.of("url", "https://example.com", "custom_alias", alias)), "custom_alias");
    }

    @ParameterizedTest
    @ValueSource(strings = {"api", "API", "health", "dashboard", "metrics"})
    void reservedAliasesAreTaken(String alias) {
        Http.Response r = create(Map.of("url", "https://example.com", "custom_alias", alias));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("ALIAS_TAKEN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd", "ftp://example.com/x",
            "https://user:pass@example.com/", "https://user@example.com/", "example.com", "/relative/path", "https://",
            "http:///nohost", "https://exa mple.com/", "https://example.com/\r\nSet-Cookie: a=b", "https://example.com/\u0000",
            "https://lnk.example.com/abc1234", "https://LNK.example.com:443/loop", "   "})
    void destinationsOutsideTheRulesAreRefused(String url) {
        assertValidation(create(Map.of("url", url)), "url");
    }

    @Test
    void destinationsOfThisServiceThatAreNotShortLinksAreAllowed() {
        assertThat(create(Map.of("url", "https://lnk.example.com/dashboard/links")).status()).isEqualTo(201);
        assertThat(create(Map.of("url", "https://lnk.example.com:8443/abc")).status()).isEqualTo(201);
    }

    @Test
    void overLongDestinationsAreRefusedAndTheLimitIsAllowed() {
        String prefix = "https://example.com/";
        assertThat(create(Map.of("url", prefix + "a".repeat(8192 - prefix.length()))).status()).isEqualTo(201);
        Http.Response r = create(Map.of("url", prefix + "a".repeat(8193 - prefix.length())));
        assertValidation(r, "url");
        assertThat(r.json().get("error").get("details").get("max").asInt()).isEqualTo(8192);
    }

    @Test
    void internationalDestinationsAreStoredEscaped() {
        Http.Response r = create(Map.of("url", "https://example.com/café?q=ü"));
        assertThat(r.status()).isEqualTo(201);
        String stored = r.json().get("data").get("original_url").asText();
        assertThat(stored).isEqualTo("https://example.com/caf%C3%A9?q=%C3%BC");
        String code = r.json().get("data").get("short_code").asText();
        assertThat(server.http().get("/" + code).header("Location")).isEqualTo(stored);
    }

    @Test
    void missingAndWronglyTypedFieldsNameTheField() {
        assertValidation(create(Map.of("name", "no url")), "url");
        assertValidation(create(Map.of("url", 42)), "url");
        assertValidation(create(Map.of("url", "https://example.com", "custom_alias", 7)), "custom_alias");
        assertValidation(create(Map.of("url", "https://example.com", "tracking_enabled", "yes")), "tracking_enabled");
        assertValidation(create(Map.of("url", "https://example.com", "is_dynamic", 1)), "is_dynamic");
        assertValidation(create(Map.of("url", "https://example.com", "forward_query", "false")), "forward_query");
        assertValidation(create(Map.of("url", "https://example.com", "name", List.of("x"))), "name");
        assertValidation(create(Map.of("url", "https://example.com", "expires_at", 1234567890)), "expires_at");
    }

    @Test
    void namesMustBeOneTo255Characters() {
        assertValidation(create(Map.of("url", "https://example.com", "name", "")), "name");
        assertValidation(create(Map.of("url", "https://example.com", "name", "n".repeat(256))), "name");
        assertValidation(create(Map.of("url", "https://example.com", "name", "bad\u0007bell")), "name");
        assertThat(create(Map.of("url", "https://example.com", "name", "n".repeat(255))).status()).isEqualTo(201);
        // 255 characters, not bytes or UTF-16 units.
        assertThat(create(Map.of("url", "https://example.com", "name", "😀".repeat(255))).status()).isEqualTo(201);
    }

    @Test
    void expiryMustBeAFutureDateOrTimestamp() {
        assertValidation(create(Map.of("url", "https://example.com", "expires_at", "2001-01-01T00:00:00Z")), "expires_at");
        assertValidation(create(Map.of("url", "https://example.com", "expires_at", "tomorrow")), "expires_at");
        Http.Response date = create(Map.of("url", "https://example.com", "expires_at", "2099-12-31"));
        assertThat(date.status()).isEqualTo(201);
        assertThat(date.json().get("data").get("expires_at").asText()).isEqualTo("2099-12-31T00:00:00.000Z");
        Http.Response offset = create(Map.of("url", "https://example.com", "expires_at", "2099-01-01T10:00:00+02:00"));
        assertThat(offset.json().get("data").get("expires_at").asText()).isEqualTo("2099-01-01T08:00:00.000Z");
    }

    @Test
    void unknownFieldsAreRefusedAndNullsMeanDefaults() {
        Map<String, Object> body = new HashMap<>();
        body.put("url", "https://example.com/extra");
        body.put("something_else", Map.of("nested", true));
        assertValidation(create(body), "something_else"); // spec §6.1: never silently ignored
        body.remove("something_else");
        body.put("name", null);
        body.put("tracking_enabled", null);
        Http.Response r = create(body);
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("data").get("name").isNull()).isTrue();
        assertThat(r.json().get("data").get("tracking_enabled").asBoolean()).isTrue();
    }

    @Test
    void bodiesThatAreNotJsonObjectsAreRefused() {
        Http.Response notJson = server.http().post("/api/v1/short-urls", "application/json",
                "{\"url\": ".getBytes(StandardCharsets.UTF_8), server.admin());
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("error").get("code").asText()).isEqualTo("INVALID_JSON");

        Http.Response array = server.http().post("/api/v1/short-urls", "application/json",
                "[1,2]".getBytes(StandardCharsets.UTF_8), server.admin());
        assertThat(array.json().get("error").get("code").asText()).isEqualTo("INVALID_JSON");

        Http.Response badUtf8 = server.http().post("/api/v1/short-urls", "application/json",
                new byte[] {'{', '"', 'u', 'r', 'l', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, server.admin());
        assertThat(badUtf8.status()).isEqualTo(400);

        Http.Response form = server.http().post("/api/v1/short-urls", "application/x-www-form-urlencoded",
                "url=https://example.com".getBytes(StandardCharsets.UTF_8), server.admin());
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.json().get("error").get("code").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");

        byte[] huge = ("{\"url\":\"https://example.com\",\"name\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        Http.Response tooLarge = server.http().post("/api/v1/short-urls", "application/json", huge, server.admin());
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().get("error").get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void writingNeedsTheWritePermission() {
        String reader = server.createKey("reader", "read", null);
        Http.Response r = server.http().postJson("/api/v1/short-urls", Http.json(Map.of("url", "https://example.com")),
                server.auth(reader));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("error").get("details").get("required").asText()).isEqualTo("write");
        String writer = server.createKey("writer", "write", null);
        Http.Response get = server.http().get("/api/v1/short-urls/doesnotexist", server.auth(writer));
        assertThat(get.status()).isEqualTo(403);
        assertThat(get.json().get("error").get("details").get("required").asText()).isEqualTo("read");
    }

    @Test
    void unknownApiPathsAreEnvelopedNotFound() {
        Http.Response r = server.http().get("/api/v1/nothing-here", server.admin());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("NOT_FOUND");
    }
}
