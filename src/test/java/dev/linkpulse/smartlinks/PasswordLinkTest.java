package dev.linkpulse.smartlinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Password-protected links (issue 17, spec §6.9) through the real API, form and redirect, on both stores. */
class PasswordLinkTest {

    static final String HUMAN = SmartRulesTest.WINDOWS_CHROME;
    static final String FORM = "application/x-www-form-urlencoded";

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of()); // loopback is a trusted proxy: X-Forwarded-For names the client
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http.Response submit(String path, String password, String ip) {
        return server.http().post(path, FORM, ("password=" + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8), "User-Agent", HUMAN, "X-Forwarded-For", ip);
    }

    private static String metrics() {
        Http.Response r = server.http().get("/metrics");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private static double answered(String metrics, int status) {
        String prefix = "linkpulse_redirects_total{status=\"" + status + "\"} ";
        return metrics.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
                .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " in /metrics"));
    }

    @Test
    void theFormAsksFirstAndTheRightPasswordRedirectsAndRecordsOneClick() {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/secret", "password", "open sesame 1"));
        assertThat(link.get("is_password_protected").asBoolean()).isTrue();
        assertThat(link.has("password")).isFalse();
        assertThat(link.toString()).doesNotContain("open sesame").doesNotContain("$2a$");
        String code = link.get("short_code").asText();
        String before = metrics();

        Http.Response form = server.http().get("/" + code + "?utm_source=mail", "User-Agent", HUMAN);
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.header("Content-Type")).startsWith("text/html");
        assertThat(form.header("Content-Security-Policy")).contains("default-src 'none'").contains("form-action 'self'");
        assertThat(form.header("Cache-Control")).isEqualTo("private, no-store");
        assertThat(form.header("Location")).isNull();
        assertThat(form.body()).contains("<form method=\"post\" action=\"/" + code + "?utm_source=mail\"")
                .contains("type=\"password\"").doesNotContainIgnoringCase("<script").doesNotContain("example.com/secret");
        assertThat(server.http().head("/" + code).status()).isEqualTo(200);

        Http.Response wrong = submit("/" + code + "?utm_source=mail", "open sesame 2", "203.0.113.7");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong password").doesNotContain("example.com/secret");

        Http.Response right = submit("/" + code + "?utm_source=mail", "open sesame 1", "203.0.113.7");
        assertThat(right.status()).isEqualTo(302);
        assertThat(right.header("Location")).isEqualTo("https://example.com/secret?utm_source=mail");
        // /metrics counts these answers by status like any redirect: two forms (GET, HEAD), one refusal, one redirect.
        String after = metrics();
        assertThat(answered(after, 200) - answered(before, 200)).isEqualTo(2);
        assertThat(answered(after, 401) - answered(before, 401)).isEqualTo(1);
        assertThat(answered(after, 302) - answered(before, 302)).isEqualTo(1);

        // Only the successful POST is a click: not the form views, not the wrong guess.
        server.awaitClicks(code, 1);
        server.awaitRecorderIdle();
        JsonNode log = server.clickLog(code, "").get("data");
        assertThat(log).hasSize(1);
        assertThat(log.get(0).get("utm_source").asText()).isEqualTo("mail");
        assertThat(server.http().get("/api/v1/short-urls/" + code, server.admin()).json().get("data").toString())
                .doesNotContain("$2a$").contains("\"is_password_protected\":true");
    }

    @Test
    void wrongGuessesAreLimitedPerIpAndLink() {
        String code = server.createLink(Map.of("url", "https://example.com/vault", "password", "correct horse"))
                .get("short_code").asText();
        for (int i = 0; i < GuessLimiter.GUESSES; i++) {
            assertThat(submit("/" + code, "guess number " + i, "198.51.100.9").status()).isEqualTo(401);
        }
        Http.Response blocked = submit("/" + code, "correct horse", "198.51.100.9");
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(Long.parseLong(blocked.header("Retry-After"))).isPositive();
        assertThat(blocked.header("Location")).isNull();
        // Another client is not held up by this one's guesses.
        assertThat(submit("/" + code, "correct horse", "198.51.100.10").status()).isEqualTo(302);
        // Nor is the same client on another link.
        String other = server.createLink(Map.of("url", "https://example.com/other", "password", "correct horse"))
                .get("short_code").asText();
        assertThat(submit("/" + other, "correct horse", "198.51.100.9").status()).isEqualTo(302);
    }

    @Test
    void removingThePasswordRestoresThePlainRedirect() {
        String code = server.createLink(Map.of("url", "https://example.com/was-secret", "password", "password1"))
                .get("short_code").asText();
        assertThat(server.http().get("/" + code).status()).isEqualTo(200);
        Map<String, Object> clear = new HashMap<>();
        clear.put("password", null);
        Http.Response r = server.http().send("PATCH", "/api/v1/short-urls/" + code, Http.json(clear), server.admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("data").get("is_password_protected").asBoolean()).isFalse();
        assertThat(server.http().get("/" + code).status()).isEqualTo(301);
        // A POST to a link without a password is not a way in to anything.
        assertThat(submit("/" + code, "password1", "192.0.2.1").status()).isEqualTo(404);
    }

    @Test
    void badPasswordsAreRefusedNamingTheField() {
        for (Object bad : List.of("short1", "12345678", "a".repeat(65), 12345678, true, "tab\there1")) {
            Http.Response r = server.http().postJson("/api/v1/short-urls",
                    Http.json(Map.of("url", "https://example.com/", "password", bad)), server.admin());
            assertThat(r.status()).as(String.valueOf(bad)).isEqualTo(400);
            assertThat(r.json().get("error").get("details").get("field").asText()).isEqualTo("password");
        }
        JsonNode ok = server.createLink(Map.of("url", "https://example.com/", "password", "é".repeat(7) + "1"));
        assertThat(ok.get("is_password_protected").asBoolean()).isTrue();
    }

    @Test
    void aPlainLinkIsNotProtected() {
        assertThat(server.createLink(Map.of("url", "https://example.com/")).get("is_password_protected").asBoolean()).isFalse();
    }
}
