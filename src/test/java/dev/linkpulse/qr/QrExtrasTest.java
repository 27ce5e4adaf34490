package dev.linkpulse.qr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Password-protected codes, logo upload as multipart, and the qr.created / qr.scanned webhooks (issue 15). */
class QrExtrasTest {

    static final String BASE = "https://lnk.example.com";
    static final String CHROME = QrScansTest.CHROME;
    static TestServer server;

    @BeforeAll
    static void start() {
        // Webhooks to a closed local port: deliveries fail and retry, and the delivery log shows each payload.
        server = TestServer.start(Map.of(Setting.BASE_URL, BASE, Setting.WEBHOOK_ALLOW_PRIVATE, "true"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Http.Response generate(String json) {
        return server.http().postJson("/api/v1/qr-codes/generate", json, server.admin());
    }

    static JsonNode created(Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("data").get("qrCode");
    }

    static long codes() {
        return server.http().get("/api/v1/qr-codes", server.admin()).json().get("data").get("pagination").get("totalCount").asLong();
    }

    static String path(JsonNode code) {
        return code.get("content").asText().substring(BASE.length());
    }

    static void assertField(Http.Response r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").get("details").get("field").asText()).as(r.body()).isEqualTo(field);
    }

    @Test
    void aPasswordProtectsTheShortUrlAndTheScanStillCounts() {
        JsonNode q = created(generate("""
                {"content_type":"url","content_data":{"url":"https://dest.example/secret"},"tracking_enabled":true,
                 "password":"open-sesame-1"}"""));
        assertThat(q.get("is_password_protected").asBoolean()).isTrue();
        Http.Response form = server.http().get(path(q), "User-Agent", CHROME);
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body()).contains("password").doesNotContain("dest.example");
        Http.Response wrong = server.http().post(path(q), "application/x-www-form-urlencoded",
                "password=nope-nope".getBytes(StandardCharsets.UTF_8), "User-Agent", CHROME);
        assertThat(wrong.status()).isEqualTo(401);
        Http.Response unlocked = server.http().post(path(q), "application/x-www-form-urlencoded",
                "password=open-sesame-1".getBytes(StandardCharsets.UTF_8), "User-Agent", CHROME, "X-Forwarded-For", "81.2.69.142");
        assertThat(unlocked.status()).isEqualTo(302);
        assertThat(unlocked.header("Location")).isEqualTo("https://dest.example/secret");
        String link = q.get("short_url_id").asText();
        server.awaitClicks(link, 1);
        JsonNode click = server.clickLog(link, "").get("data").get(0);
        assertThat(click.get("is_qr_scan").asBoolean()).isTrue();
        assertThat(click.get("qr_code_id").asText()).isEqualTo(q.get("id").asText());

        // Removed: the scan redirects again.
        Http.Response off = server.http().send("PUT", "/api/v1/qr-codes/" + q.get("id").asText(), "{\"is_password_protected\":false}",
                server.admin());
        assertThat(off.status()).as(off.body()).isEqualTo(200);
        assertThat(off.json().get("data").get("qrCode").get("is_password_protected").asBoolean()).isFalse();
        assertThat(server.http().get(path(q)).header("Location")).isEqualTo("https://dest.example/secret");
        // And set again by PUT.
        Http.Response on = server.http().send("PUT", "/api/v1/qr-codes/" + q.get("id").asText(), "{\"password\":\"another-pass-2\"}",
                server.admin());
        assertThat(on.json().get("data").get("qrCode").get("is_password_protected").asBoolean()).isTrue();
        assertThat(server.http().get(path(q)).status()).isEqualTo(200);
    }

    @Test
    void badPasswordsAreRefusedAndMakeNothing() {
        long before = codes();
        assertField(generate("{\"content_type\":\"text\",\"content_data\":{\"text\":\"hi\"},\"password\":\"long-enough-1\"}"), "password");
        assertField(generate("{\"content_type\":\"url\",\"content_data\":{\"url\":\"https://a.example\"},\"is_dynamic\":true,"
                + "\"password\":\"short\"}"), "password");
        assertField(generate("{\"content_type\":\"url\",\"content_data\":{\"url\":\"https://a.example\"},\"is_dynamic\":true,"
                + "\"password\":7}"), "password");
        assertField(generate("{\"content_type\":\"url\",\"content_data\":{\"url\":\"https://a.example\"},\"is_dynamic\":true,"
                + "\"is_password_protected\":true}"), "password");
        assertField(generate("{\"content_type\":\"url\",\"content_data\":{\"url\":\"https://a.example\"},\"is_dynamic\":true,"
                + "\"isPasswordProtected\":\"yes\"}"), "is_password_protected");
        assertThat(codes()).isEqualTo(before);
        JsonNode links = server.http().get("/api/v1/short-urls?limit=100", server.admin()).json().get("data");
        assertThat(links.toString()).doesNotContain("a.example");
    }

    static byte[] png(int side) throws Exception {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(side, side, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(new java.awt.Color(0xC0, 0x10, 0x10));
        g.fillRect(0, 0, side, side);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    static Http.Response multipart(Map<String, String> fields, String fileField, byte[] file) {
        String boundary = "----lpqr" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((k, v) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v
                + "\r\n").getBytes(StandardCharsets.UTF_8)));
        if (fileField != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField
                    + "\"; filename=\"logo.png\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return server.http().post("/api/v1/qr-codes/generate", "multipart/form-data; boundary=" + boundary, body.toByteArray(),
                server.admin());
    }

    @Test
    void aLogoComesAsAMultipartFilePart() throws Exception {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("content_type", "url");
        fields.put("content_data", "{\"url\":\"https://dest.example/logo\"}");
        fields.put("visual_settings", "{\"size\":400}");
        fields.put("name", "With logo");
        JsonNode q = created(multipart(fields, "logo", png(64)));
        assertThat(q.get("name").asText()).isEqualTo("With logo");
        assertThat(q.get("visual_settings").get("logoUrl").asText()).startsWith("data:image/png;base64,");
        assertThat(q.get("visual_settings").get("errorCorrectionLevel").asText()).isEqualTo("H");
        java.net.http.HttpResponse<byte[]> png = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + server.port() + "/api/v1/qr-codes/" + q.get("id").asText() + "/image"))
                .header("Authorization", "Bearer " + TestServer.ADMIN_KEY).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(QrImages.decodePng(png.body())).isEqualTo("https://dest.example/logo");

        long before = codes();
        assertField(multipart(fields, "logo", "not an image".getBytes(StandardCharsets.UTF_8)), "logo");
        assertField(multipart(fields, "logo", new byte[QrLogo.MAX_BYTES + 10]), "logo");
        assertField(multipart(fields, "logo", new byte[0]), "logo");
        assertField(multipart(fields, "picture", png(32)), "picture");
        Map<String, String> both = new java.util.LinkedHashMap<>(fields);
        both.put("visual_settings", "{\"logoUrl\":\"data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png(16)) + "\"}");
        assertField(multipart(both, "logo", png(32)), "logo");
        Map<String, String> badJson = new java.util.LinkedHashMap<>(fields);
        badJson.put("content_data", "{not json");
        assertField(multipart(badJson, "logo", png(32)), "content_data");
        Map<String, String> unknown = new java.util.LinkedHashMap<>(fields);
        unknown.put("shape", "dots");
        assertField(multipart(unknown, "logo", png(32)), "shape");
        assertThat(codes()).isEqualTo(before);
    }

    static JsonNode subscribe(Map<String, ?> body) {
        Http.Response r = server.http().postJson("/api/v1/webhooks/subscriptions", Http.json(body), server.admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("data");
    }

    static List<JsonNode> payloads(String subscription) {
        JsonNode d = server.http().get("/api/v1/webhooks/subscriptions/" + subscription + "/deliveries?limit=100", server.admin())
                .json().get("data").get("deliveries");
        List<JsonNode> out = new java.util.ArrayList<>();
        d.forEach(x -> out.add(x.get("payload")));
        return out;
    }

    @Test
    void qrCreatedAndQrScannedReachTheirSubscriptions() {
        String target = "http://127.0.0.1:9/hook";
        JsonNode createdSub = subscribe(Map.of("event_type", "qr.created", "target_url", target));
        JsonNode q = created(generate("{\"content_type\":\"url\",\"content_data\":{\"url\":\"https://dest.example/hooked\"},"
                + "\"tracking_enabled\":true,\"name\":\"Hooked\"}"));
        TestServer.await(Duration.ofSeconds(10), () -> payloads(createdSub.get("id").asText()).size() == 1);
        JsonNode made = payloads(createdSub.get("id").asText()).get(0);
        assertThat(made.get("event").asText()).isEqualTo("qr.created");
        assertThat(made.get("data").get("id").asText()).isEqualTo(q.get("id").asText());
        assertThat(made.get("data").get("name").asText()).isEqualTo("Hooked");

        JsonNode scanned = subscribe(Map.of("event_type", "qr.scanned", "target_url", target, "qr_code_id", q.get("id").asText()));
        assertThat(scanned.get("qr_code_id").asText()).isEqualTo(q.get("id").asText());
        JsonNode anyScan = subscribe(Map.of("event_type", "qr.scanned", "target_url", target));
        JsonNode other = created(generate("{\"content_type\":\"url\",\"content_data\":{\"url\":\"https://dest.example/other\"},"
                + "\"tracking_enabled\":true}"));
        String link = q.get("short_url_id").asText();
        long clicks = server.clickLog(null, "?limit=1").get("pagination").get("total").asLong();
        server.http().get(path(q), "User-Agent", CHROME);                          // a scan of q
        server.http().get(path(q).replace("?_qr", ""), "User-Agent", CHROME);      // a plain click of q's short URL
        server.http().get(path(other), "User-Agent", CHROME);                      // a scan of the other code
        server.awaitClicks(null, clicks + 3);
        // Every scan stored since it subscribed reaches the workspace-wide one (scans of other tests' codes may too), no plain click.
        java.util.function.Supplier<java.util.Set<String>> scannedCodes = () -> {
            java.util.Set<String> codes = new java.util.HashSet<>();
            payloads(anyScan.get("id").asText()).forEach(p -> codes.add(p.get("data").get("qr_code_id").asText()));
            return codes;
        };
        TestServer.await(Duration.ofSeconds(20), () -> scannedCodes.get().containsAll(List.of(q.get("id").asText(), other.get("id").asText())));
        for (JsonNode p : payloads(anyScan.get("id").asText())) {
            assertThat(p.get("event").asText()).isEqualTo("qr.scanned");
            assertThat(p.get("data").get("is_qr_scan").asBoolean()).isTrue();
        }
        List<JsonNode> mine = payloads(scanned.get("id").asText());
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).get("event").asText()).isEqualTo("qr.scanned");
        assertThat(mine.get(0).get("data").get("is_qr_scan").asBoolean()).isTrue();
        assertThat(mine.get(0).get("data").get("qr_code_id").asText()).isEqualTo(q.get("id").asText());
        assertThat(mine.get(0).get("data").get("short_url_id").asText()).isEqualTo(link);

        // A code of no one's, or of another event's shape, is refused.
        Http.Response absent = server.http().postJson("/api/v1/webhooks/subscriptions", Http.json(Map.of("event_type", "qr.scanned",
                "target_url", target, "qr_code_id", "00000000-0000-4000-8000-000000000000")), server.admin());
        assertField(absent, "qr_code_id");
        assertField(server.http().postJson("/api/v1/webhooks/subscriptions", Http.json(Map.of("event_type", "qr.created",
                "target_url", target, "qr_code_id", q.get("id").asText())), server.admin()), "qr_code_id");
    }
}
