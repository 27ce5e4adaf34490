package dev.linkpulse.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rate limits per key and endpoint class (spec §1). */
class RateLimitTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(Setting.RATE_LIMITS, "write=3/min,read=5/hour"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyApiResponseCarriesTheHeadersAndTheFourthWriteIs429() {
        String key = server.createKey("writer", "read,write,analytics", null);
        for (int i = 0; i < 3; i++) {
            long before = Instant.now().getEpochSecond();
            Http.Response r = server.http().postJson("/api/v1/short-urls", Http.json(Map.of("url", "https://example.com/" + i)),
                    server.auth(key));
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.header("X-RateLimit-Limit")).isEqualTo("3");
            assertThat(r.header("X-RateLimit-Remaining")).isEqualTo(String.valueOf(2 - i));
            // Full again at most one window (60 s) after this request, rounded up to a whole second.
            long after = Instant.now().getEpochSecond();
            assertThat(Long.parseLong(r.header("X-RateLimit-Reset"))).isBetween(before, after + 61);
        }
        Http.Response limited = server.http().postJson("/api/v1/short-urls", Http.json(Map.of("url", "https://example.com/x")),
                server.auth(key));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("error").get("code").asText()).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(limited.json().get("error").get("details").get("limit").asInt()).isEqualTo(3);
        assertThat(limited.json().get("error").get("details").get("remaining").asInt()).isZero();
        assertThat(limited.json().get("error").get("details").get("reset_at").asText()).endsWith("Z");
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 21);
        assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");

        // Other classes have their own buckets; analytics keeps its generous default.
        Http.Response analytics = server.http().get("/api/v1/analytics/click-details", server.auth(key));
        assertThat(analytics.status()).isEqualTo(200);
        assertThat(analytics.header("X-RateLimit-Limit")).isEqualTo("3000");
        // And other keys have their own buckets.
        String other = server.createKey("other-writer", "write", null);
        assertThat(server.http().postJson("/api/v1/short-urls", Http.json(Map.of("url", "https://example.com/o")),
                server.auth(other)).status()).isEqualTo(201);
    }

    @Test
    void unauthenticatedAndErrorResponsesCarryTheHeadersToo() {
        Http.Response missing = server.http().get("/api/v1/analytics/click-details");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.header("X-RateLimit-Limit")).isNotNull();
        Http.Response unknown = server.http().get("/api/v1/no-such-thing");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("X-RateLimit-Remaining")).isNotNull();
    }
}
