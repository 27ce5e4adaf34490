package dev.linkpulse.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What one click records, end to end: redirect through the real server, read the click log back. */
class ClickRecordTest {

    static final String IPHONE_SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1";
    static final String WINDOWS_CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    static final String ANDROID_TABLET = "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    static final String SLACKBOT = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)";
    static final String FACEBOOK = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)";
    static final String CURL = "curl/8.5.0";

    static TestServer server;

    @BeforeAll
    static void start() {
        // Loopback is a trusted proxy here (the default), so X-Forwarded-For names the client.
        server = TestServer.start(Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Clicks once with the given headers and returns the stored record. */
    private JsonNode clickAndRead(String userAgent, String ip, String referrer, String query) {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/landing?ref=lp"));
        String code = link.get("short_code").asText();
        Http.Response r = referrer == null
                ? server.http().get("/" + code + query, "User-Agent", userAgent, "X-Forwarded-For", ip)
                : server.http().get("/" + code + query, "User-Agent", userAgent, "X-Forwarded-For", ip, "Referer", referrer);
        assertThat(r.status()).isEqualTo(301);
        server.awaitClicks(code, 1);
        JsonNode record = server.clickLog(code, "").get("data").get(0);
        assertThat(record.get("short_code").asText()).isEqualTo(code);
        assertThat(record.get("short_url_id").asText()).isEqualTo(link.get("id").asText());
        assertThat(record.get("user_agent").asText()).isEqualTo(userAgent);
        assertThat(record.get("clicked_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(record.get("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        return record;
    }

    private static void assertDevice(JsonNode r, String deviceType, String browser, String os, String trafficClass) {
        assertThat(r.get("device_type").asText()).as("device_type").isEqualTo(deviceType);
        assertThat(r.get("browser").isNull() ? null : r.get("browser").asText()).as("browser").isEqualTo(browser);
        assertThat(r.get("os").isNull() ? null : r.get("os").asText()).as("os").isEqualTo(os);
        assertThat(r.get("traffic_class").asText()).as("traffic_class").isEqualTo(trafficClass);
    }

    @Test
    void iphoneSafariFromLondonViaTwitterWithUtm() {
        JsonNode r = clickAndRead(IPHONE_SAFARI, "81.2.69.142", "https://t.co/xyz",
                "?utm_source=twitter&utm_medium=social&utm_campaign=launch&utm_term=links&utm_content=hero");
        assertDevice(r, "mobile", "Safari", "iOS", "human");
        assertThat(r.get("ip_address").asText()).isEqualTo("81.2.xxx.xxx");
        assertThat(r.get("country").asText()).isEqualTo("GB");
        assertThat(r.get("city").asText()).isEqualTo("London");
        assertThat(r.get("region").asText()).isEqualTo("England");
        assertThat(r.get("referrer").asText()).isEqualTo("https://t.co/xyz");
        assertThat(r.get("referrer_domain").asText()).isEqualTo("t.co");
        assertThat(r.get("source").asText()).isEqualTo("social");
        assertThat(r.get("utm_source").asText()).isEqualTo("twitter");
        assertThat(r.get("utm_medium").asText()).isEqualTo("social");
        assertThat(r.get("utm_campaign").asText()).isEqualTo("launch");
        assertThat(r.get("utm_term").asText()).isEqualTo("links");
        assertThat(r.get("utm_content").asText()).isEqualTo("hero");
        // The destination actually used: the link's own query merged with the forwarded one.
        assertThat(r.get("original_url").asText()).isEqualTo("https://example.com/landing?ref=lp"
                + "&utm_source=twitter&utm_medium=social&utm_campaign=launch&utm_term=links&utm_content=hero");
    }

    @Test
    void windowsChromeFromSanDiegoOverIpv6ViaGoogle() {
        JsonNode r = clickAndRead(WINDOWS_CHROME, "2001:480:10::1", "https://www.google.co.uk/search?q=x", "");
        assertDevice(r, "desktop", "Chrome", "Windows", "human");
        assertThat(r.get("ip_address").asText()).isEqualTo("2001:480:10:xxxx:xxxx:xxxx:xxxx:xxxx");
        assertThat(r.get("country").asText()).isEqualTo("US");
        assertThat(r.get("city").asText()).isEqualTo("San Diego");
        assertThat(r.get("referrer_domain").asText()).isEqualTo("google.co.uk");
        assertThat(r.get("source").asText()).isEqualTo("search");
        assertThat(r.get("utm_source").isNull()).isTrue();
        assertThat(r.get("original_url").asText()).isEqualTo("https://example.com/landing?ref=lp");
    }

    @Test
    void androidTabletDirect() {
        JsonNode r = clickAndRead(ANDROID_TABLET, "2.125.160.216", null, "");
        assertDevice(r, "tablet", "Chrome", "Android", "human");
        assertThat(r.get("country").asText()).isEqualTo("GB");
        assertThat(r.get("city").asText()).isEqualTo("Boxford");
        assertThat(r.get("referrer").isNull()).isTrue();
        assertThat(r.get("referrer_domain").isNull()).isTrue();
        assertThat(r.get("source").asText()).isEqualTo("direct");
    }

    @Test
    void googlebotIsABot() {
        JsonNode r = clickAndRead(GOOGLEBOT, "216.160.83.56", null, "");
        assertDevice(r, "bot", "Googlebot", null, "bot");
        assertThat(r.get("country").asText()).isEqualTo("US");
        assertThat(r.get("city").asText()).isEqualTo("Milton");
    }

    @Test
    void slackbotIsAPreview() {
        JsonNode r = clickAndRead(SLACKBOT, "89.160.20.112", "https://app.slack.com/client", "");
        assertDevice(r, "bot", "Slackbot", null, "preview");
        assertThat(r.get("country").asText()).isEqualTo("SE");
        assertThat(r.get("city").asText()).isEqualTo("Linköping");
        assertThat(r.get("source").asText()).isEqualTo("social");
    }

    @Test
    void facebookExternalHitIsAPreview() {
        JsonNode r = clickAndRead(FACEBOOK, "175.16.199.1", "https://mail.google.com/mail/u/0/", "");
        assertDevice(r, "bot", "facebookexternalhit", null, "preview");
        assertThat(r.get("country").asText()).isEqualTo("CN");
        assertThat(r.get("city").asText()).isEqualTo("Changchun");
        assertThat(r.get("referrer_domain").asText()).isEqualTo("mail.google.com");
        assertThat(r.get("source").asText()).isEqualTo("email");
    }

    @Test
    void curlIsABotWithoutGeoForUnknownAddresses() {
        JsonNode r = clickAndRead(CURL, "1.1.1.1", "https://news.example.org/story/1", "");
        assertDevice(r, "bot", "curl", null, "bot");
        assertThat(r.get("ip_address").asText()).isEqualTo("1.1.xxx.xxx");
        assertThat(r.get("country").isNull()).isTrue();
        assertThat(r.get("city").isNull()).isTrue();
        assertThat(r.get("referrer_domain").asText()).isEqualTo("news.example.org");
        assertThat(r.get("source").asText()).isEqualTo("referral");
    }

    @Test
    void privateAndLoopbackAddressesAreNeverGeolocated() {
        for (String ip : new String[] {"10.0.0.1", "127.0.0.1"}) {
            JsonNode r = clickAndRead(WINDOWS_CHROME, ip, null, "");
            assertThat(r.get("country").isNull()).as(ip).isTrue();
            assertThat(r.get("region").isNull()).as(ip).isTrue();
            assertThat(r.get("city").isNull()).as(ip).isTrue();
            assertThat(r.get("ip_address").asText()).isEqualTo(ip.substring(0, ip.indexOf('.', ip.indexOf('.') + 1)) + ".xxx.xxx");
        }
    }

    @Test
    void rightMostUntrustedForwardedAddressIsTheClient() {
        // 127.0.0.5 is a trusted proxy (loopback), 81.2.69.142 the client; the left-most value is client-supplied noise.
        JsonNode r = clickAndRead(WINDOWS_CHROME, "6.6.6.6, 81.2.69.142, 127.0.0.5", null, "");
        assertThat(r.get("ip_address").asText()).isEqualTo("81.2.xxx.xxx");
        assertThat(r.get("city").asText()).isEqualTo("London");
    }

    @Test
    void forwardedHeaderIsReadWhenNoXForwardedFor() {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/fwd"));
        String code = link.get("short_code").asText();
        server.http().get("/" + code, "User-Agent", WINDOWS_CHROME, "Forwarded", "for=\"[2001:480:10::1]:443\";proto=https");
        server.awaitClicks(code, 1);
        JsonNode r = server.clickLog(code, "").get("data").get(0);
        assertThat(r.get("ip_address").asText()).isEqualTo("2001:480:10:xxxx:xxxx:xxxx:xxxx:xxxx");
        assertThat(r.get("city").asText()).isEqualTo("San Diego");
    }

    @Test
    void forwardedForIsIgnoredFromAnUntrustedPeer() {
        try (TestServer untrusting = TestServer.start(Map.of(Setting.TRUSTED_PROXIES, "10.9.9.0/24"))) {
            Http.Response created = untrusting.http().postJson("/api/v1/short-urls",
                    Http.json(Map.of("url", "https://example.com/x")), untrusting.admin());
            String code = created.json().get("data").get("short_code").asText();
            untrusting.http().get("/" + code, "User-Agent", WINDOWS_CHROME, "X-Forwarded-For", "81.2.69.142");
            untrusting.awaitClicks(code, 1);
            JsonNode r = untrusting.clickLog(code, "").get("data").get(0);
            assertThat(r.get("ip_address").asText()).isEqualTo("127.0.xxx.xxx");
            assertThat(r.get("country").isNull()).isTrue();
        }
    }

    @Test
    void overLongUserAgentAndReferrerAreCutToTheirLimits() {
        String ua = "Mozilla/5.0 " + "x".repeat(3000);
        String referrer = "https://example.org/" + "p".repeat(5000);
        JsonNode link = server.createLink(Map.of("url", "https://example.com/long"));
        String code = link.get("short_code").asText();
        server.http().get("/" + code, "User-Agent", ua, "Referer", referrer);
        server.awaitClicks(code, 1);
        JsonNode r = server.clickLog(code, "").get("data").get(0);
        assertThat(r.get("user_agent").asText()).isEqualTo(ua.substring(0, 1024));
        assertThat(r.get("referrer").asText()).isEqualTo(referrer.substring(0, 2048));
        assertThat(r.get("referrer_domain").asText()).isEqualTo("example.org");
    }
}
