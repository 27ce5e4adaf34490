package dev.linkpulse.links;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.MutableClock;
import dev.linkpulse.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET|HEAD /{code}} (spec §2). */
class RedirectTest {

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-05-01T08:00:00Z"));
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), CLOCK);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aStandardLinkIsAPermanentRedirectThatIsNeverCached() {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/a"));
        Http.Response r = server.http().get("/" + link.get("short_code").asText());
        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("Location")).isEqualTo("https://example.com/a");
        assertThat(r.header("Cache-Control")).isEqualTo("private, no-store");
    }

    @Test
    void aDynamicLinkIsATemporaryRedirect() {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/b", "is_dynamic", true));
        Http.Response r = server.http().get("/" + link.get("short_code").asText());
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).isEqualTo("https://example.com/b");
        assertThat(r.header("Cache-Control")).isEqualTo("private, no-store");
    }

    @Test
    void theRequestQueryIsMergedIntoTheDestinationsBeforeItsFragment() {
        JsonNode plain = server.createLink(Map.of("url", "https://example.com/p"));
        JsonNode withQuery = server.createLink(Map.of("url", "https://example.com/q?lang=en#top"));
        JsonNode noForward = server.createLink(Map.of("url", "https://example.com/n?x=1", "forward_query", false));
        assertThat(server.http().get("/" + plain.get("short_code").asText() + "?a=1&b=%20").header("Location"))
                .isEqualTo("https://example.com/p?a=1&b=%20");
        assertThat(server.http().get("/" + withQuery.get("short_code").asText() + "?a=1").header("Location"))
                .isEqualTo("https://example.com/q?lang=en&a=1#top");
        assertThat(server.http().get("/" + noForward.get("short_code").asText() + "?a=1").header("Location"))
                .isEqualTo("https://example.com/n?x=1");
    }

    @Test
    void anUnknownCodeIsAnHtmlPageForBrowsersAndJsonWhenAsked() {
        Http.Response html = server.http().get("/nosuchcode", "Accept", "text/html,application/xhtml+xml");
        assertThat(html.status()).isEqualTo(404);
        assertThat(html.header("Content-Type")).startsWith("text/html");
        assertThat(html.body()).contains("Link not found");

        Http.Response json = server.http().get("/nosuchcode", "Accept", "application/json");
        assertThat(json.status()).isEqualTo(404);
        assertThat(json.json().get("success").asBoolean()).isFalse();
        assertThat(json.json().get("error").get("code").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void codesAreCaseSensitive() {
        server.createLink(Map.of("url", "https://example.com/case", "custom_alias", "CaseTest"));
        assertThat(server.http().get("/CaseTest").status()).isEqualTo(301);
        assertThat(server.http().get("/casetest").status()).isEqualTo(404);
    }

    @Test
    void anExpiredLinkIsGone() {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/soon", "expires_at", "2026-05-01T09:00:00Z"));
        String code = link.get("short_code").asText();
        assertThat(link.get("expires_at").asText()).isEqualTo("2026-05-01T09:00:00.000Z");
        assertThat(server.http().get("/" + code).status()).isEqualTo(301);
        CLOCK.advance(Duration.ofHours(2));
        try {
            Http.Response gone = server.http().get("/" + code);
            assertThat(gone.status()).isEqualTo(410);
            assertThat(gone.body()).contains("expired");
            Http.Response goneJson = server.http().get("/" + code, "Accept", "application/json");
            assertThat(goneJson.status()).isEqualTo(410);
            assertThat(goneJson.json().get("success").asBoolean()).isFalse();
        } finally {
            CLOCK.advance(Duration.ofHours(-2));
        }
    }

    @Test
    void reservedPathsAreNeverShortCodes() {
        for (String path : new String[] {"/api", "/assets", "/favicon.ico", "/robots.txt"}) {
            Http.Response r = server.http().get(path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.header("Location")).as(path).isNull();
        }
        Http.Response metrics = server.http().get("/metrics"); // the Prometheus endpoint (issue 18), never a short code
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Location")).isNull();
        assertThat(metrics.body()).contains("linkpulse_redirects_total");
        Http.Response dashboard = server.http().get("/dashboard");
        assertThat(dashboard.status()).isEqualTo(200);
        assertThat(dashboard.header("Location")).isNull();
        assertThat(dashboard.body()).contains("<title>Linkpulse</title>");
        Http.Response reserved = server.http().postJson("/api/v1/short-urls",
                Http.json(Map.of("url", "https://example.com", "custom_alias", "dashboard")), server.admin());
        assertThat(reserved.status()).isEqualTo(409);
        assertThat(reserved.json().get("error").get("code").asText()).isEqualTo("ALIAS_TAKEN");
    }

    @Test
    void apiAnswersAndErrorPagesCarrySecurityHeadersButRedirectsKeepTheReferrer() {
        for (Http.Response r : new Http.Response[] {server.http().get("/api/v1/short-urls", server.admin()),
                server.http().get("/api/v1/short-urls"), server.http().get("/api/v1/nothing", server.admin())}) {
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        }
        Http.Response page = server.http().get("/no-such-code");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("Content-Security-Policy")).startsWith("default-src 'none'");
        JsonNode link = server.createLink(Map.of("url", "https://example.com/ref"));
        Http.Response redirect = server.http().get("/" + link.get("short_code").asText());
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.header("Referrer-Policy")).isNull();
    }

    @Test
    void healthAnswersWithoutAuth() {
        Http.Response r = server.http().get("/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("ok");
    }

    @Test
    void headRedirectsButIsNotAClick() {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/head"));
        String code = link.get("short_code").asText();
        Http.Response head = server.http().head("/" + code);
        assertThat(head.status()).isEqualTo(301);
        assertThat(head.header("Location")).isEqualTo("https://example.com/head");
        // A GET afterwards is stored; had HEAD been a click, there would be two.
        server.http().get("/" + code);
        server.awaitClicks(code, 1);
        assertThat(server.clickLog(null, "?limit=1000").get("data").findValuesAsText("short_code")).containsOnlyOnce(code);
    }

    @Test
    void aLinkWithTrackingDisabledRedirectsWithoutRecording() {
        JsonNode untracked = server.createLink(Map.of("url", "https://example.com/private", "tracking_enabled", false));
        JsonNode tracked = server.createLink(Map.of("url", "https://example.com/public"));
        assertThat(server.http().get("/" + untracked.get("short_code").asText()).status()).isEqualTo(301);
        // The tracked click is queued after the untracked one; once it is stored, the other would be too.
        server.http().get("/" + tracked.get("short_code").asText());
        server.awaitClicks(tracked.get("short_code").asText(), 1);
        assertThat(server.clickLog(untracked.get("short_code").asText(), "").get("pagination").get("total").asLong()).isZero();
        assertThat(server.clickLog(untracked.get("short_code").asText(), "").get("data")).isEmpty();
    }

    @Test
    void clicksCountHumansOnTheLink() {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/count"));
        String code = link.get("short_code").asText();
        server.http().get("/" + code, "User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                + "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36");
        server.http().get("/" + code, "User-Agent", "curl/8.5.0");
        server.awaitClicks(code, 2);
        JsonNode fetched = server.http().get("/api/v1/short-urls/" + code, server.admin()).json().get("data");
        assertThat(fetched.get("clicks").asLong()).isEqualTo(1);
        assertThat(fetched.get("click_count").asLong()).isEqualTo(1);
    }
}
