package dev.linkpulse.qr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/qr-codes} and {@code /short-urls/{id}/qr} over real HTTP; images decoded back. */
class QrApiTest {

    static TestServer server;
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(Setting.BASE_URL, "https://lnk.example.com"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Http.Response generate(String json) {
        return server.http().postJson("/api/v1/qr-codes/generate", json, server.admin());
    }

    static JsonNode created(String json) {
        Http.Response r = generate(json);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("data").get("qrCode");
    }

    static HttpResponse<byte[]> image(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + TestServer.ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static void assertValidation(Http.Response r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(r.json().get("error").get("details").get("field").asText()).as(r.body()).isEqualTo(field);
    }

    @Test
    void aStaticWifiCodeHasTheObjectShapeAndItsImagesDecodeToTheWifiText() throws Exception {
        JsonNode q = created("""
                {"content_type":"wifi","content_data":{"ssid":"Home;Net","password":"pa:ss","encryption":"WPA"},
                 "name":"Guest wifi","visual_settings":{"foregroundColor":"#123456","backgroundColor":"#ffffff","size":320,
                 "margin":2,"errorCorrectionLevel":"Q"}}""");
        assertThat(q.get("id").asText()).matches("[0-9a-f-]{36}");
        assertThat(q.get("content").asText()).isEqualTo("WIFI:T:WPA;S:Home\\;Net;P:pa\\:ss;;");
        assertThat(q.get("content_type").asText()).isEqualTo("wifi");
        assertThat(q.get("content_data").get("ssid").asText()).isEqualTo("Home;Net");
        assertThat(q.get("visual_settings").get("foregroundColor").asText()).isEqualTo("#123456");
        assertThat(q.get("visual_settings").get("errorCorrectionLevel").asText()).isEqualTo("Q");
        assertThat(q.get("is_dynamic").asBoolean()).isFalse();
        assertThat(q.get("short_url_id").isNull()).isTrue();
        assertThat(q.get("scan_count").asLong()).isZero();
        assertThat(q.get("last_scanned_at").isNull()).isTrue();
        assertThat(q.get("source").asText()).isEqualTo("QR_CODE_GENERATOR");
        assertThat(q.get("is_password_protected").asBoolean()).isFalse();
        assertThat(q.get("downloadUrl").asText()).isEqualTo("https://lnk.example.com/api/v1/qr-codes/" + q.get("id").asText()
                + "/image?format=png");
        for (String f : List.of("created_at", "updated_at", "expires_at", "tracking_enabled", "short_url")) {
            assertThat(q.has(f)).as(f).isTrue();
        }
        HttpResponse<byte[]> png = image("/api/v1/qr-codes/" + q.get("id").asText() + "/image");
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type").orElseThrow()).startsWith("image/png");
        assertThat(QrImages.decodePng(png.body())).isEqualTo("WIFI:T:WPA;S:Home\\;Net;P:pa\\:ss;;");
        HttpResponse<byte[]> svg = image("/api/v1/qr-codes/" + q.get("id").asText() + "/image?format=svg&size=640");
        assertThat(svg.headers().firstValue("Content-Type").orElseThrow()).startsWith("image/svg+xml");
        assertThat(new String(svg.body(), StandardCharsets.UTF_8)).contains("width=\"640\"");
        assertThat(QrImages.decodeSvg(svg.body())).isEqualTo("WIFI:T:WPA;S:Home\\;Net;P:pa\\:ss;;");

        JsonNode fetched = server.http().get("/api/v1/qr-codes/" + q.get("id").asText(), server.admin()).json().get("data").get("qrCode");
        assertThat(fetched).isEqualTo(q);
    }

    @Test
    void aTrackedCodeEncodesItsOwnShortUrlWhoseScansAreCounted() throws Exception {
        JsonNode q = created("""
                {"contentType":"url","contentData":{"url":"https://example.com/menu"},"isDynamic":true,
                 "trackingEnabled":true,"name":"Menu"}""");
        String shortUrl = q.get("short_url").asText();
        assertThat(shortUrl).startsWith("https://lnk.example.com/");
        // The code encodes its short URL with the scan marker (issue 15), which the redirect strips.
        assertThat(q.get("content").asText()).isEqualTo(shortUrl + "?_qr");
        HttpResponse<byte[]> png = image("/api/v1/qr-codes/" + q.get("id").asText() + "/image?size=256");
        assertThat(QrImages.decodePng(png.body())).isEqualTo(shortUrl + "?_qr");

        String code = shortUrl.substring(shortUrl.lastIndexOf('/') + 1);
        Http.Response redirect = server.http().get("/" + code + "?_qr", "User-Agent",
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1");
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).isEqualTo("https://example.com/menu");
        server.awaitClicks(q.get("short_url_id").asText(), 1);
        TestServer.await(java.time.Duration.ofSeconds(10), () -> server.http().get("/api/v1/qr-codes/" + q.get("id").asText(),
                server.admin()).json().get("data").get("qrCode").get("scan_count").asLong() == 1);
        JsonNode after = server.http().get("/api/v1/qr-codes/" + q.get("id").asText(), server.admin()).json().get("data").get("qrCode");
        assertThat(after.get("last_scanned_at").isNull()).isFalse();

        // A dynamic code's destination changes without reprinting: the encoded short URL stays.
        Http.Response put = server.http().send("PUT", "/api/v1/qr-codes/" + q.get("id").asText(),
                "{\"content_data\":{\"url\":\"https://example.com/menu-2\"},\"name\":\"Menu 2\"}", server.admin());
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().get("data").get("qrCode").get("content").asText()).isEqualTo(shortUrl + "?_qr");
        assertThat(put.json().get("data").get("qrCode").get("name").asText()).isEqualTo("Menu 2");
        assertThat(server.http().get("/" + code).header("Location")).isEqualTo("https://example.com/menu-2");

        // Deleting the code deletes the link made for it.
        Http.Response del = server.http().send("DELETE", "/api/v1/qr-codes/" + q.get("id").asText(), null, server.admin());
        assertThat(del.status()).isEqualTo(200);
        assertThat(del.json().get("data").get("message").asText()).isEqualTo("QR code deleted successfully");
        assertThat(server.http().get("/api/v1/qr-codes/" + q.get("id").asText(), server.admin()).status()).isEqualTo(404);
        assertThat(server.http().get("/" + code).status()).isEqualTo(404);
    }

    @Test
    void staticContentCannotChangeAndVisualSettingsAreFixed() {
        JsonNode q = created("{\"content_type\":\"text\",\"content_data\":{\"text\":\"hello\"}}");
        String path = "/api/v1/qr-codes/" + q.get("id").asText();
        assertValidation(server.http().send("PUT", path, "{\"content_data\":{\"text\":\"other\"}}", server.admin()), "content_data");
        assertValidation(server.http().send("PUT", path, "{\"visual_settings\":{\"size\":100}}", server.admin()), "visual_settings");
        assertValidation(server.http().send("PUT", path, "{\"colour\":\"red\"}", server.admin()), "colour");
        Http.Response ok = server.http().send("PUT", path, "{\"name\":\"Greeting\"}", server.admin());
        assertThat(ok.json().get("data").get("qrCode").get("name").asText()).isEqualTo("Greeting");
        assertThat(ok.json().get("data").get("qrCode").get("content").asText()).isEqualTo("hello");
    }

    @Test
    void aLogoFromADataUrlForcesLevelHAndTheImageStillScans() throws Exception {
        String logo = "data:image/png;base64," + Base64.getEncoder().encodeToString(QrRendererTest.redSquare());
        JsonNode q = created("{\"content_type\":\"url\",\"content_data\":{\"url\":\"https://example.com/logo\"},"
                + "\"visual_settings\":{\"logoUrl\":\"" + logo + "\",\"errorCorrectionLevel\":\"L\",\"size\":500}}");
        assertThat(q.get("visual_settings").get("errorCorrectionLevel").asText()).isEqualTo("H");
        HttpResponse<byte[]> png = image("/api/v1/qr-codes/" + q.get("id").asText() + "/image");
        assertThat(QrImages.decodePng(png.body())).isEqualTo("https://example.com/logo");
        assertValidation(generate("{\"content_type\":\"url\",\"content_data\":{\"url\":\"https://example.com/\"},"
                + "\"visual_settings\":{\"logoUrl\":\"http://169.254.169.254/latest/logo.png\"}}"), "visual_settings.logoUrl");
    }

    @Test
    void anyLinksQrEncodesItsShortUrl() throws Exception {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/any"));
        HttpResponse<byte[]> png = image("/api/v1/short-urls/" + link.get("id").asText()
                + "/qr?size=200&foregroundColor=%23003366&backgroundColor=%23ffffee");
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(QrImages.decodePng(png.body())).isEqualTo(link.get("short_url").asText());
        HttpResponse<byte[]> svg = image("/api/v1/short-urls/" + link.get("short_code").asText() + "/qr?format=svg");
        assertThat(QrImages.decodeSvg(svg.body())).isEqualTo(link.get("short_url").asText());
        String base = "/api/v1/short-urls/" + link.get("id").asText() + "/qr";
        assertValidation(server.http().get(base + "?size=63", server.admin()), "size");
        assertValidation(server.http().get(base + "?size=2049", server.admin()), "size");
        assertValidation(server.http().get(base + "?size=big", server.admin()), "size");
        assertValidation(server.http().get(base + "?format=gif", server.admin()), "format");
        assertValidation(server.http().get(base + "?foregroundColor=blue", server.admin()), "foregroundColor");
        assertValidation(server.http().get(base + "?errorCorrectionLevel=Z", server.admin()), "errorCorrectionLevel");
        assertThat(server.http().get("/api/v1/short-urls/nosuchcode/qr", server.admin()).status()).isEqualTo(404);
    }

    @Test
    void badBodiesAreAnswered400NamingTheField() {
        assertValidation(generate("{\"content_data\":{\"url\":\"https://a.example\"}}"), "content_type");
        assertValidation(generate("{\"content_type\":\"fax\",\"content_data\":{}}"), "content_type");
        assertValidation(generate("{\"content_type\":\"url\"}"), "content_data");
        assertValidation(generate("{\"content_type\":\"url\",\"content_data\":{\"url\":\"https://a.example\"},\"colour\":1}"), "colour");
        assertValidation(generate("{\"content_type\":\"url\",\"content_data\":{\"url\":\"https://a.example\"},"
                + "\"visual_settings\":{\"foregroundColor\":\"#zzzzzz\"}}"), "visual_settings.foregroundColor");
        assertValidation(generate("{\"content_type\":\"url\",\"content_data\":{\"url\":\"https://a.example\"},"
                + "\"visual_settings\":{\"size\":4096}}"), "visual_settings.size");
        assertValidation(generate("{\"content_type\":\"url\",\"content_data\":{\"url\":\"https://a.example\"},"
                + "\"visual_settings\":{\"errorCorrectionLevel\":\"X\"}}"), "visual_settings.errorCorrectionLevel");
        assertValidation(generate("{\"content_type\":\"url\",\"content_data\":{\"url\":\"https://a.example\"},"
                + "\"visual_settings\":{\"shape\":\"dots\"}}"), "visual_settings.shape");
        assertValidation(generate("{\"content_type\":\"wifi\",\"content_data\":{\"ssid\":\"x\"},\"is_dynamic\":true}"),
                "content_data.password");
        assertValidation(generate("{\"content_type\":\"text\",\"content_data\":{\"text\":\"x\"},\"is_dynamic\":true}"), "content_type");
        assertValidation(generate("{\"content_type\":\"url\",\"content_data\":{\"url\":\"https://a.example\"},\"password\":\"x\"}"),
                "password");
        assertValidation(generate("{\"content_type\":\"url\",\"content_data\":{\"url\":\"https://a.example\"},\"expires_at\":\"2001-01-01\"}"),
                "expires_at");
        assertThat(server.http().get("/api/v1/qr-codes/not-a-uuid", server.admin()).status()).isEqualTo(404);
        assertValidation(server.http().get("/api/v1/qr-codes?limit=101", server.admin()), "limit");
        assertValidation(server.http().get("/api/v1/qr-codes?qrType=weird", server.admin()), "qrType");
        assertValidation(server.http().get("/api/v1/qr-codes?sortBy=colour", server.admin()), "sortBy");
    }

    @Test
    void theListHasItsOwnPaginationShapeAndFilters() {
        String ws = "qr-list-" + System.nanoTime();
        String key = server.createKey("lister", "read,write,delete", ws);
        String[] auth = server.auth(key);
        for (int i = 0; i < 3; i++) {
            Http.Response r = server.http().postJson("/api/v1/qr-codes/generate",
                    "{\"content_type\":\"text\",\"content_data\":{\"text\":\"t" + i + "\"},\"name\":\"static " + i + "\"}", auth);
            assertThat(r.status()).as(r.body()).isEqualTo(201);
        }
        Http.Response d = server.http().postJson("/api/v1/qr-codes/generate",
                "{\"content_type\":\"url\",\"content_data\":{\"url\":\"https://example.com/d\"},\"is_dynamic\":true,\"name\":\"dyn\"}", auth);
        assertThat(d.status()).as(d.body()).isEqualTo(201);
        JsonNode page = server.http().get("/api/v1/qr-codes?limit=2&sortBy=name&sortOrder=asc", auth).json().get("data");
        assertThat(page.get("qrCodes")).hasSize(2);
        assertThat(page.get("qrCodes").get(0).get("name").asText()).isEqualTo("dyn");
        JsonNode p = page.get("pagination");
        assertThat(p.get("page").asInt()).isEqualTo(1);
        assertThat(p.get("limit").asInt()).isEqualTo(2);
        assertThat(p.get("totalCount").asLong()).isEqualTo(4);
        assertThat(p.get("totalPages").asLong()).isEqualTo(2);
        assertThat(p.get("hasNext").asBoolean()).isTrue();
        assertThat(p.get("hasPrev").asBoolean()).isFalse();
        assertThat(server.http().get("/api/v1/qr-codes?qrType=dynamic", auth).json().get("data").get("pagination")
                .get("totalCount").asLong()).isEqualTo(1);
        assertThat(server.http().get("/api/v1/qr-codes?qrType=static", auth).json().get("data").get("pagination")
                .get("totalCount").asLong()).isEqualTo(3);
        assertThat(server.http().get("/api/v1/qr-codes?search=STATIC%201", auth).json().get("data").get("qrCodes")).hasSize(1);
        assertThat(server.http().get("/api/v1/qr-codes?limit=50", server.admin()).json().get("data").get("qrCodes").findValuesAsText("name"))
                .doesNotContain("static 0", "dyn");
    }
}
