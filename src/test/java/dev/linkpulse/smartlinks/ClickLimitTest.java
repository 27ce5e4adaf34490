package dev.linkpulse.smartlinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Click limits (issue 17, spec §6.9): max_clicks and fallback_url through the real API and redirect, on both stores. */
class ClickLimitTest {

    static final String HUMAN = SmartRulesTest.WINDOWS_CHROME;
    static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    static final String SLACKBOT = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)";

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http.Response click(String code, String userAgent) {
        return server.http().get("/" + code, "User-Agent", userAgent);
    }

    @Test
    void afterNHumanClicksTheLinkAnswers410AndRobotsPreviewsAndHeadDoNotCount() {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/limited", "max_clicks", 3));
        assertThat(link.get("max_clicks").asLong()).isEqualTo(3);
        assertThat(link.get("fallback_url").isNull()).isTrue();
        String code = link.get("short_code").asText();
        for (int i = 0; i < 3; i++) {
            assertThat(click(code, GOOGLEBOT).status()).isEqualTo(302);
            assertThat(click(code, SLACKBOT).status()).isEqualTo(302);
            assertThat(server.http().head("/" + code, "User-Agent", HUMAN).status()).isEqualTo(302);
            Http.Response r = click(code, HUMAN);
            assertThat(r.status()).as("human click %d", i + 1).isEqualTo(302);
            assertThat(r.header("Location")).isEqualTo("https://example.com/limited");
        }
        Http.Response over = click(code, HUMAN);
        assertThat(over.status()).isEqualTo(410);
        assertThat(over.header("Location")).isNull();
        assertThat(over.header("Cache-Control")).isEqualTo("private, no-store");
        assertThat(click(code, GOOGLEBOT).status()).isEqualTo(410);
        // 3 human clicks and 6 robot or preview clicks were recorded; the refused ones were not.
        server.awaitClicks(code, 9);
        server.awaitRecorderIdle();
        JsonNode shown = server.http().get("/api/v1/short-urls/" + code, server.admin()).json().get("data");
        assertThat(shown.get("clicks").asLong()).isEqualTo(3); // human clicks
        assertThat(shown.get("max_clicks").asLong()).isEqualTo(3);
    }

    @Test
    void pastTheLimitClicksGoToTheFallback() {
        String code = server.createLink(Map.of("url", "https://example.com/offer", "max_clicks", 2,
                "fallback_url", "https://example.com/sold-out")).get("short_code").asText();
        assertThat(click(code, HUMAN).header("Location")).isEqualTo("https://example.com/offer");
        assertThat(click(code, HUMAN).header("Location")).isEqualTo("https://example.com/offer");
        Http.Response r = click(code, HUMAN);
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).isEqualTo("https://example.com/sold-out");
        server.awaitClicks(code, 3);
        assertThat(server.clickLog(code, "").get("data").get(0).get("original_url").asText())
                .isEqualTo("https://example.com/sold-out");
    }

    @Test
    void raisingTheLimitLetsExactlyTheDifferenceThroughAndNullRemovesIt() {
        String code = server.createLink(Map.of("url", "https://example.com/x", "max_clicks", 1)).get("short_code").asText();
        assertThat(click(code, HUMAN).status()).isEqualTo(302);
        assertThat(click(code, HUMAN).status()).isEqualTo(410);
        Http.Response up = server.http().send("PATCH", "/api/v1/short-urls/" + code, Http.json(Map.of("max_clicks", 3)),
                server.admin());
        assertThat(up.status()).as(up.body()).isEqualTo(200);
        assertThat(up.json().get("data").get("max_clicks").asLong()).isEqualTo(3);
        assertThat(click(code, HUMAN).status()).isEqualTo(302);
        assertThat(click(code, HUMAN).status()).isEqualTo(302);
        assertThat(click(code, HUMAN).status()).isEqualTo(410);
        Map<String, Object> clear = new HashMap<>();
        clear.put("max_clicks", null);
        Http.Response off = server.http().send("PATCH", "/api/v1/short-urls/" + code, Http.json(clear), server.admin());
        assertThat(off.status()).as(off.body()).isEqualTo(200);
        assertThat(off.json().get("data").get("max_clicks").isNull()).isTrue();
        Http.Response plain = click(code, HUMAN);
        assertThat(plain.status()).isEqualTo(301); // no rules and no limit: the plain path again
    }

    @Test
    void aPlainLinkShowsNoLimit() {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/plain"));
        assertThat(link.get("max_clicks").isNull()).isTrue();
        assertThat(link.get("fallback_url").isNull()).isTrue();
        JsonNode listed = server.http().get("/api/v1/short-urls?limit=100", server.admin()).json().get("data").get("shortUrls");
        assertThat(listed.get(0).has("max_clicks")).isTrue();
    }

    @Test
    void badLimitsAreRefusedNamingTheFieldAndNothingIsCreated() {
        long before = server.http().get("/api/v1/short-urls", server.admin()).json().get("data").get("pagination").get("total").asLong();
        for (Object bad : List.of(0, -1, 1.5, "10", true, 1_000_000_001L)) {
            Http.Response r = server.http().postJson("/api/v1/short-urls",
                    Http.json(Map.of("url", "https://example.com/", "max_clicks", bad)), server.admin());
            assertThat(r.status()).as(String.valueOf(bad)).isEqualTo(400);
            assertThat(r.json().get("error").get("details").get("field").asText()).isEqualTo("max_clicks");
        }
        for (Object bad : List.of("ftp://example.com/", "not a url", 5, "")) {
            Http.Response r = server.http().postJson("/api/v1/short-urls",
                    Http.json(Map.of("url", "https://example.com/", "max_clicks", 5, "fallback_url", bad)), server.admin());
            assertThat(r.status()).as(String.valueOf(bad)).isEqualTo(400);
            assertThat(r.json().get("error").get("details").get("field").asText()).isEqualTo("fallback_url");
        }
        assertThat(server.http().get("/api/v1/short-urls", server.admin()).json().get("data").get("pagination").get("total").asLong())
                .isEqualTo(before);
    }
}
