package dev.linkpulse.qr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * QR scans through the real redirect (issue 15): the marker is stripped, the click names its code,
 * the code's scan_count follows, {@code trigger=} splits every answer exactly, and /qranalytics.
 */
class QrScansTest {

    static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    static final String IP1 = "81.2.69.142";
    static final String IP2 = "2001:480:10::1";
    static final String IP3 = "81.2.69.160";

    static TestServer server;
    static JsonNode codeA;
    static JsonNode codeB;
    static String linkA;
    static String plainCode;
    static final Map<String, String> locations = new java.util.HashMap<>();

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(Setting.BASE_URL, "https://lnk.example.com"));
        codeA = QrScansTest.generate("""
                {"content_type":"url","content_data":{"url":"https://dest.example/landing?x=1"},"is_dynamic":true,
                 "tracking_enabled":true,"name":"Poster A"}""");
        codeB = QrScansTest.generate("""
                {"content_type":"url","content_data":{"url":"https://dest.example/b"},"tracking_enabled":true,"name":"Flyer B"}""");
        linkA = codeA.get("short_url_id").asText();
        plainCode = server.createLink(Map.of("url", "https://dest.example/plain")).get("short_code").asText();
        String a = path(codeA);
        String b = path(codeB);
        String shortA = a.substring(0, a.indexOf('?'));
        // 3 scans of A (2 visitors), 1 plain click of A's short URL, 1 scan of B,
        // 2 plain clicks of another link and 1 with the marker on that link (it owns no code: a plain click).
        click("scanA1", a, IP1);
        click("scanA2", a, IP1);
        click("scanA3", a + "&utm_source=poster", IP2);
        click("plainA", shortA, IP1);
        click("scanB", b, IP3);
        click("plain1", "/" + plainCode, IP1);
        click("plain2", "/" + plainCode, IP1);
        click("forged", "/" + plainCode + "?_qr", IP1);
        server.awaitClicks(null, 8);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode generate(String json) {
        Http.Response r = server.http().postJson("/api/v1/qr-codes/generate", json, server.admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("data").get("qrCode");
    }

    /** The path and query a code's content points at (the base URL is not this server's). */
    static String path(JsonNode code) {
        String content = code.get("content").asText();
        assertThat(content).startsWith("https://lnk.example.com/").endsWith("?_qr");
        return content.substring("https://lnk.example.com".length());
    }

    static void click(String name, String path, String ip) {
        Http.Response r = server.http().get(path, "User-Agent", CHROME, "X-Forwarded-For", ip);
        assertThat(r.status()).as(path).isIn(301, 302);
        locations.put(name, r.header("Location"));
    }

    static JsonNode get(String path) {
        Http.Response r = server.http().get(path, server.admin());
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        return r.json().get("data");
    }

    @Test
    void theDestinationNeverSeesTheMarker() {
        assertThat(locations.get("scanA1")).isEqualTo("https://dest.example/landing?x=1");
        assertThat(locations.get("scanA3")).isEqualTo("https://dest.example/landing?x=1&utm_source=poster");
        assertThat(locations.get("plainA")).isEqualTo("https://dest.example/landing?x=1");
        assertThat(locations.get("scanB")).isEqualTo("https://dest.example/b");
        assertThat(locations.values()).noneMatch(l -> l.contains("_qr"));
        assertThat(codeA.get("short_url").asText()).doesNotContain("_qr");
    }

    @Test
    void scansAreClicksThatNameTheirCodeAndPlainClicksAreNot() {
        JsonNode scans = server.clickLog(null, "?trigger=qr&limit=100");
        assertThat(scans.get("pagination").get("total").asLong()).isEqualTo(4);
        Set<String> codes = new HashSet<>();
        for (JsonNode c : scans.get("data")) {
            assertThat(c.get("is_qr_scan").asBoolean()).isTrue();
            assertThat(c.get("is_qr_scan").isBoolean()).isTrue();
            codes.add(c.get("qr_code_id").asText());
            assertThat(c.get("original_url").asText()).doesNotContain("_qr");
        }
        assertThat(codes).containsExactlyInAnyOrder(codeA.get("id").asText(), codeB.get("id").asText());
        JsonNode plain = server.clickLog(null, "?trigger=link&limit=100");
        assertThat(plain.get("pagination").get("total").asLong()).isEqualTo(4);
        for (JsonNode c : plain.get("data")) {
            assertThat(c.get("is_qr_scan").asBoolean()).isFalse();
            assertThat(c.get("qr_code_id").isNull()).isTrue();
        }
        assertThat(server.clickLog(null, "?limit=1").get("pagination").get("total").asLong()).isEqualTo(8);
        // The link's own log splits alike: 3 scans and 1 plain click of A's short URL.
        assertThat(server.clickLog(linkA, "?trigger=qr").get("pagination").get("total").asLong()).isEqualTo(3);
        assertThat(server.clickLog(linkA, "?trigger=link").get("pagination").get("total").asLong()).isEqualTo(1);
        assertThat(server.clickLog(linkA, "").get("pagination").get("total").asLong()).isEqualTo(4);
    }

    @Test
    void theCodeCountsItsScansOnly() {
        JsonNode a = get("/api/v1/qr-codes/" + codeA.get("id").asText()).get("qrCode");
        assertThat(a.get("scan_count").asLong()).isEqualTo(3);
        assertThat(a.get("last_scanned_at").asText()).matches("\\d{4}-.*Z");
        JsonNode list = get("/api/v1/qr-codes?sortBy=scans&sortOrder=asc");
        List<Long> counts = new java.util.ArrayList<>();
        list.get("qrCodes").forEach(q -> counts.add(q.get("scan_count").asLong()));
        assertThat(counts).containsExactly(1L, 3L);
        assertThat(get("/api/v1/qr-codes?sortBy=scans").get("qrCodes").get(0).get("id").asText()).isEqualTo(codeA.get("id").asText());
    }

    @Test
    void triggerSplitsEveryAnswerExactly() {
        String ws = "/api/v1/analytics/breakdown?by=device_type";
        assertThat(get(ws).get("total").asLong()).isEqualTo(8);
        assertThat(get(ws + "&trigger=all").get("total").asLong()).isEqualTo(8);
        assertThat(get(ws + "&trigger=qr").get("total").asLong()).isEqualTo(4);
        assertThat(get(ws + "&trigger=link").get("total").asLong()).isEqualTo(4);
        String core = "/api/v1/analytics/analytics/" + linkA;
        assertThat(get(core).get("total_clicks").asLong()).isEqualTo(4);
        JsonNode qr = get(core + "?trigger=qr");
        assertThat(qr.get("total_clicks").asLong()).isEqualTo(3);
        assertThat(qr.get("unique_clicks").asLong()).isEqualTo(2);
        assertThat(qr.get("filters").get("trigger").asText()).isEqualTo("qr");
        JsonNode link = get(core + "?trigger=link");
        assertThat(link.get("total_clicks").asLong()).isEqualTo(1);
        assertThat(link.get("unique_clicks").asLong()).isEqualTo(1);
        long series = 0;
        for (JsonNode b : get("/api/v1/analytics/timeseries?trigger=qr").get("data")) {
            series += b.get("clicks").asLong();
        }
        assertThat(series).isEqualTo(4);
        assertThat(get("/api/v1/analytics/geographic/" + linkA + "?trigger=link").toString()).contains("GB");
    }

    @Test
    void aBadTriggerIsA400NamingIt() {
        for (String path : List.of("/api/v1/analytics/breakdown?by=os&trigger=scan", "/api/v1/analytics/click-details?trigger=QR",
                "/api/v1/analytics/timeseries?trigger=")) {
            Http.Response r = server.http().get(path, server.admin());
            if (path.endsWith("=")) {
                assertThat(r.status()).isEqualTo(200); // empty: the default
                continue;
            }
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.json().get("error").get("details").get("field").asText()).isEqualTo("trigger");
        }
    }

    @Test
    void qrAnalyticsAnswerForScansOnly() {
        JsonNode recent = get("/api/v1/qranalytics/recent?limit=3");
        assertThat(recent).hasSize(3);
        JsonNode r = recent.get(0);
        for (String f : List.of("id", "qr_code_id", "qr_code_name", "scanned_at", "is_unique", "content_type", "country",
                "country_code", "city", "device_type", "browser", "os", "referrer")) {
            assertThat(r.has(f)).as(f).isTrue();
        }
        assertThat(r.get("content_type").asText()).isEqualTo("url");
        assertThat(get("/api/v1/qranalytics/recent?limit=100")).hasSize(4);
        assertThat(get("/api/v1/qranalytics/overview").get("total_clicks").asLong()).isEqualTo(4);
        assertThat(get("/api/v1/qranalytics/overview?trigger=link").get("total_clicks").asLong()).isEqualTo(4);
        JsonNode top = get("/api/v1/qranalytics/top-performers");
        assertThat(top.get("total_scans").asLong()).isEqualTo(4);
        assertThat(top.get("data").get(0).get("qr_code_id").asText()).isEqualTo(codeA.get("id").asText());
        assertThat(top.get("data").get(0).get("name").asText()).isEqualTo("Poster A");
        assertThat(top.get("data").get(0).get("scans").asLong()).isEqualTo(3);
        assertThat(top.get("data").get(0).get("unique_scans").asLong()).isEqualTo(2);
        assertThat(top.get("data").get(1).get("scans").asLong()).isEqualTo(1);
        assertThat(get("/api/v1/qranalytics/device").get("device_type").get(0).get("clicks").asLong()).isEqualTo(4);
        long series = 0;
        for (JsonNode b : get("/api/v1/qranalytics/timeline").get("data")) {
            series += b.get("clicks").asLong();
        }
        assertThat(series).isEqualTo(4);
        assertThat(get("/api/v1/qranalytics/geographic").toString()).contains("GB");
        Http.Response traffic = server.http().get("/api/v1/qranalytics/traffic", server.admin());
        assertThat(traffic.status()).isEqualTo(200);
        long direct = 0;
        for (JsonNode row : traffic.json().get("data")) {
            direct += row.get("clicks").asLong();
        }
        assertThat(direct).isEqualTo(4);
        for (String bad : List.of("limit=0", "limit=101", "limit=x")) {
            Http.Response b = server.http().get("/api/v1/qranalytics/recent?" + bad, server.admin());
            assertThat(b.status()).as(bad).isEqualTo(400);
            assertThat(b.json().get("error").get("details").get("field").asText()).isEqualTo("limit");
        }
    }
}
