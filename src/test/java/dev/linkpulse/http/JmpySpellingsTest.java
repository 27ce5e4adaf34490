package dev.linkpulse.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jmpy.me's spellings (spec §6.1): every camelCase alias does what its snake_case field does, on
 * every endpoint that takes it; a field that is neither is a 400 naming it; errors carry a
 * top-level {@code message}.
 */
class JmpySpellingsTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(Setting.BASE_URL, "https://lnk.example.com"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http.Response post(String path, Object body) {
        return server.http().postJson(path, Http.json(body), server.admin());
    }

    private static void assertRefused(Http.Response r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        JsonNode j = r.json();
        assertThat(j.get("success").asBoolean()).isFalse();
        assertThat(j.get("error").get("code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(j.get("error").get("details").get("field").asText()).isEqualTo(field);
        assertThat(j.get("error").get("message").asText()).contains(field);
        assertThat(j.get("message").asText()).isEqualTo(j.get("error").get("message").asText());
    }

    private static Map<String, Object> body(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void createTakesEveryCamelCaseAliasAndHonoursIt() {
        Http.Response r = post("/api/v1/short-urls", body("url", "https://example.com/camel", "customAlias", "camel-alias",
                "isDynamic", true, "trackingEnabled", false, "expiresAt", "2099-01-01T00:00:00.000Z", "forwardQuery", false,
                "urlType", "standard", "qrCode", false));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode d = r.json().get("data");
        assertThat(d.get("short_code").asText()).isEqualTo("camel-alias");
        assertThat(d.get("custom_alias").asText()).isEqualTo("camel-alias");
        assertThat(d.get("is_dynamic").asBoolean()).isTrue();
        assertThat(d.get("tracking_enabled").asBoolean()).isFalse();
        assertThat(d.get("forward_query").asBoolean()).isFalse();
        assertThat(d.get("expires_at").asText()).isEqualTo("2099-01-01T00:00:00.000Z");

        Http.Response dynamic = post("/api/v1/short-urls", body("url", "https://example.com/dyn", "dynamic", true));
        assertThat(dynamic.json().get("data").get("is_dynamic").asBoolean()).as(dynamic.body()).isTrue();
        // The redirect obeys what the alias asked for: a dynamic link is a 302.
        assertThat(server.http().get("/camel-alias").status()).isEqualTo(302);
    }

    @Test
    void bothSpellingsWithDifferentValuesAreRefused() {
        assertRefused(post("/api/v1/short-urls", body("url", "https://example.com/x", "is_dynamic", true, "isDynamic", false)),
                "is_dynamic");
        Http.Response same = post("/api/v1/short-urls", body("url", "https://example.com/x", "is_dynamic", true, "isDynamic", true));
        assertThat(same.status()).as(same.body()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"qrFormat", "qr_format"})
    void aQrFormatWithoutQrCodeOrOfNoKnownKindIsRefusedByName(String field) {
        assertRefused(post("/api/v1/short-urls", body("url", "https://example.com/x", field, "png")), "qr_format");
        assertRefused(post("/api/v1/short-urls", body("url", "https://example.com/x", "qrCode", true, field, "gif")), "qr_format");
        assertRefused(post("/api/v1/short-urls", body("url", "https://example.com/x", "qrCode", "yes")), "qr_code");
    }

    @Test
    void aLinksSmartFieldsAreReadUnderTheirCamelCaseSpellings() {
        Http.Response made = post("/api/v1/short-urls", body("url", "https://example.com/limited", "maxClicks", 5,
                "fallbackUrl", "https://example.com/sold-out", "conversionTracking", true));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        JsonNode link = made.json().get("data");
        assertThat(link.get("max_clicks").asLong()).isEqualTo(5);
        assertThat(link.get("fallback_url").asText()).isEqualTo("https://example.com/sold-out");
        assertThat(link.get("conversion_tracking").asBoolean()).isTrue();
        Http.Response updated = server.http().send("PUT", "/api/v1/short-urls/" + link.get("id").asText(),
                Http.json(body("maxClicks", 9)), server.admin());
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().get("data").get("max_clicks").asLong()).isEqualTo(9);
        assertRefused(post("/api/v1/short-urls", body("url", "https://example.com/x", "maxClicks", 0)), "max_clicks");
    }

    @Test
    void campaignIdAndBrandedDomainAreReadUnderJmpysSpellings() {
        Http.Response campaign = post("/api/v1/campaigns", body("name", "Spelled campaign"));
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(201);
        Http.Response made = post("/api/v1/short-urls", body("url", "https://example.com/spelled", "campaignId", "Spelled campaign"));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        assertThat(made.json().get("data").get("campaign_id").asText())
                .isEqualTo(campaign.json().get("data").get("id").asText());
        assertRefused(post("/api/v1/short-urls", body("url", "https://example.com/x", "campaignId", "no such campaign")), "campaign_id");
        // A branded domain the workspace has not added is refused by its name, whichever spelling named it.
        assertRefused(post("/api/v1/short-urls", body("url", "https://example.com/x", "brandedDomain", "nowhere.example")),
                "branded_domain");
    }

    @Test
    void urlTypeNeedsItsDomainAndQrCodeTrueAnswersWithTheLinksQrImage() {
        assertRefused(post("/api/v1/short-urls", body("url", "https://example.com/x", "urlType", "branded")), "branded_domain");

        Http.Response png = post("/api/v1/short-urls", body("url", "https://example.com/qr-with-link", "qrCode", true));
        assertThat(png.status()).as(png.body()).isEqualTo(201);
        JsonNode link = png.json().get("data");
        String image = link.get("qr_code").asText();
        assertThat(image).startsWith("data:image/png;base64,");
        assertThat(dev.linkpulse.qr.QrImages.decodePng(java.util.Base64.getDecoder().decode(image.substring(image.indexOf(',') + 1))))
                .isEqualTo(link.get("short_url").asText());
        Http.Response svg = post("/api/v1/short-urls", body("url", "https://example.com/qr-with-link", "qr_code", true, "qrFormat", "SVG"));
        assertThat(svg.status()).as(svg.body()).isEqualTo(201);
        String svgImage = svg.json().get("data").get("qr_code").asText();
        assertThat(svgImage).startsWith("data:image/svg+xml;base64,");
        assertThat(dev.linkpulse.qr.QrImages.decodeSvg(java.util.Base64.getDecoder().decode(svgImage.substring(svgImage.indexOf(',') + 1))))
                .isEqualTo(svg.json().get("data").get("short_url").asText());
        // Without it the answer has no image; an update cannot ask for one (its answer does not carry it).
        assertThat(post("/api/v1/short-urls", body("url", "https://example.com/x", "qrCode", false)).json().get("data").has("qr_code"))
                .isFalse();
        Http.Response update = server.http().send("PUT", "/api/v1/short-urls/" + link.get("id").asText(),
                Http.json(body("qrCode", true)), server.admin());
        assertRefused(update, "qr_code");
        assertThat(update.json().get("error").get("details").get("reason").asText()).isEqualTo("not_supported");
    }

    @Test
    void listTakesSortByAndSortOrderAndRefusesFiltersOfMissingFeatures() {
        for (String name : List.of("sort-b-bbb", "sort-a-aaa", "sort-c-ccc")) {
            post("/api/v1/short-urls", body("url", "https://example.com/" + name, "name", name));
        }
        JsonNode asc = server.http().get("/api/v1/short-urls?search=sort-&sortBy=name&sortOrder=asc", server.admin()).json();
        assertThat(asc.get("data").get("shortUrls").findValuesAsText("name")).containsExactly("sort-a-aaa", "sort-b-bbb", "sort-c-ccc");
        JsonNode desc = server.http().get("/api/v1/short-urls?search=sort-&sortBy=name&sortOrder=desc", server.admin()).json();
        assertThat(desc.get("data").get("shortUrls").findValuesAsText("name")).containsExactly("sort-c-ccc", "sort-b-bbb", "sort-a-aaa");
        JsonNode created = server.http().get("/api/v1/short-urls?search=sort-&sortBy=createdAt&sortOrder=asc", server.admin()).json();
        assertThat(created.get("data").get("shortUrls").findValuesAsText("name")).containsExactly("sort-b-bbb", "sort-a-aaa", "sort-c-ccc");

        assertRefused(server.http().get("/api/v1/short-urls?sort=name&sortBy=clicks", server.admin()), "sort");
        assertRefused(server.http().get("/api/v1/short-urls?sortBy=colour", server.admin()), "sort");
        assertRefused(server.http().get("/api/v1/short-urls?campaignId=abc", server.admin()), "campaignId");
        assertRefused(server.http().get("/api/v1/short-urls?urlType=custom", server.admin()), "urlType");
        assertThat(server.http().get("/api/v1/short-urls?urlType=branded", server.admin()).status()).isEqualTo(200);
        assertRefused(server.http().get("/api/v1/short-urls?brandedDomain=go.example.com", server.admin()), "branded_domain");
        assertThat(server.http().get("/api/v1/short-urls?urlType=standard", server.admin()).status()).isEqualTo(200);
    }

    @Test
    void everyErrorCarriesATopLevelMessageBesideTheEnvelope() throws Exception {
        Http.Response unauth = server.http().get("/api/v1/short-urls");
        assertThat(unauth.status()).isEqualTo(401);
        assertThat(unauth.json().get("message").asText()).isEqualTo("API key is required");
        assertThat(unauth.json().get("error").get("code").asText()).isEqualTo("UNAUTHORIZED");
        Http.Response missing = server.http().get("/api/v1/short-urls/nope-nope", server.admin());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("message").asText()).isEqualTo(missing.json().get("error").get("message").asText());
        Http.Response badJson = server.http().postJson("/api/v1/short-urls", "{", server.admin());
        assertThat(badJson.json().get("error").get("code").asText()).isEqualTo("INVALID_JSON");
        assertThat(badJson.json().get("message").asText()).isNotBlank();
        // Jetty's own errors (a bad escape in the path) too
        String jetty = rawGet("/api/v1/short-urls/%zz");
        assertThat(jetty).startsWith("HTTP/1.1 400");
        JsonNode jettyBody = new com.fasterxml.jackson.databind.ObjectMapper().readTree(jetty.substring(jetty.indexOf("\r\n\r\n") + 4));
        assertThat(jettyBody.get("message").asText()).isEqualTo(jettyBody.get("error").get("message").asText()).isNotBlank();
    }

    /** A request the JDK's client refuses to send (a bad %-escape), over a plain socket. */
    private static String rawGet(String path) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
