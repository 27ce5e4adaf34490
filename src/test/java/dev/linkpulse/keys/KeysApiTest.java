package dev.linkpulse.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.MutableClock;
import dev.linkpulse.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/api-keys} (spec §5). */
class KeysApiTest {

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-09-01T00:00:00Z"));
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), CLOCK);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Http.Response create(Map<String, ?> body) {
        return server.http().postJson("/api/v1/api-keys", Http.json(body), server.admin());
    }

    @Test
    void aCreatedKeyIsShownOnceAndWorksWithItsPermissions() {
        Http.Response r = create(Map.of("name", "reporting", "permissions", List.of("read", "analytics")));
        assertThat(r.status()).isEqualTo(201);
        JsonNode key = r.json().get("data");
        String secret = key.get("key").asText();
        assertThat(secret).startsWith("lp_").hasSize(46);
        // key_prefix is the start of the key's id, not of its secret (issue 14): nothing of the secret is shown again.
        assertThat(key.get("key_prefix").asText()).isEqualTo(key.get("id").asText().substring(0, 8))
                .doesNotContain(secret.substring(3, 8));
        assertThat(secret).doesNotContain(key.get("key_prefix").asText());
        assertThat(key.get("name").asText()).isEqualTo("reporting");
        assertThat(key.get("permissions")).hasSize(2);
        assertThat(key.get("status").asText()).isEqualTo("active");
        assertThat(key.get("expires_at").isNull()).isTrue();

        assertThat(server.http().get("/api/v1/analytics/click-details", server.auth(secret)).status()).isEqualTo(200);
        Http.Response write = server.http().postJson("/api/v1/short-urls", Http.json(Map.of("url", "https://example.com")),
                server.auth(secret));
        assertThat(write.status()).isEqualTo(403);

        JsonNode listed = server.http().get("/api/v1/api-keys", server.admin()).json().get("data");
        JsonNode found = null;
        for (JsonNode k : listed) {
            assertThat(k.has("key")).as("no secret in the list").isFalse();
            assertThat(k.toString()).doesNotContain(secret).doesNotContain(TestServer.ADMIN_KEY);
            if (k.get("id").asText().equals(key.get("id").asText())) {
                found = k;
            }
        }
        assertThat(found).isNotNull();
        assertThat(found.get("name").asText()).isEqualTo("reporting");
        assertThat(found.get("key_prefix").asText()).isEqualTo(key.get("key_prefix").asText());
        for (JsonNode k : listed) {
            assertThat(k.get("key_prefix").asText()).isEqualTo(k.get("id").asText().substring(0, 8))
                    .isNotEqualTo(TestServer.ADMIN_KEY.substring(0, 8));
        }
    }

    @Test
    void aRevokedKeyFailsOnTheVeryNextRequest() {
        JsonNode key = create(Map.of("name", "to-revoke", "permissions", List.of("analytics"))).json().get("data");
        String secret = key.get("key").asText();
        assertThat(server.http().get("/api/v1/analytics/click-details", server.auth(secret)).status()).isEqualTo(200);
        Http.Response revoked = server.http().send("DELETE", "/api/v1/api-keys/" + key.get("id").asText(), null, server.admin());
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().get("data").get("status").asText()).isEqualTo("revoked");
        assertThat(revoked.json().get("data").get("revoked_at").isNull()).isFalse();
        Http.Response after = server.http().get("/api/v1/analytics/click-details", server.auth(secret));
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().get("error").get("code").asText()).isEqualTo("INVALID_API_KEY");
    }

    @Test
    void anExpiredKeyFailsAndIsListedAsExpired() {
        JsonNode key = create(Map.of("name", "short-lived", "permissions", List.of("read"),
                "expires_at", "2026-09-01T01:00:00Z")).json().get("data");
        String secret = key.get("key").asText();
        assertThat(server.http().get("/api/v1/short-urls", server.auth(secret)).status()).isEqualTo(200);
        CLOCK.advance(Duration.ofHours(2));
        try {
            Http.Response r = server.http().get("/api/v1/short-urls", server.auth(secret));
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json().get("error").get("code").asText()).isEqualTo("INVALID_API_KEY");
            JsonNode listed = server.http().get("/api/v1/api-keys", server.admin()).json().get("data");
            boolean sawExpired = false;
            for (JsonNode k : listed) {
                if (k.get("id").asText().equals(key.get("id").asText())) {
                    assertThat(k.get("status").asText()).isEqualTo("expired");
                    sawExpired = true;
                }
            }
            assertThat(sawExpired).isTrue();
        } finally {
            CLOCK.advance(Duration.ofHours(-2));
        }
    }

    @Test
    void badKeyRequestsNameTheField() {
        assertField(create(Map.of("permissions", List.of("read"))), "name");
        assertField(create(Map.of("name", "", "permissions", List.of("read"))), "name");
        assertField(create(Map.of("name", "x")), "permissions");
        assertField(create(Map.of("name", "x", "permissions", List.of())), "permissions");
        assertField(create(Map.of("name", "x", "permissions", List.of("root"))), "permissions");
        assertField(create(Map.of("name", "x", "permissions", "read")), "permissions");
        assertField(create(Map.of("name", "x", "permissions", List.of(1))), "permissions");
        assertField(create(Map.of("name", "x", "permissions", List.of("read"), "expires_at", "2001-01-01")), "expires_at");
        assertField(create(Map.of("name", "x", "permissions", List.of("read"), "expires_at", "soon")), "expires_at");
    }

    static void assertField(Http.Response r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(r.json().get("error").get("details").get("field").asText()).isEqualTo(field);
    }

    @Test
    void keysOfAnotherWorkspaceCannotBeSeenOrRevoked() {
        String otherAdmin = server.createKey("other-admin", "admin", "elsewhere");
        JsonNode mine = create(Map.of("name", "mine", "permissions", List.of("read"))).json().get("data");
        JsonNode theirs = server.http().get("/api/v1/api-keys", server.auth(otherAdmin)).json().get("data");
        assertThat(theirs.findValuesAsText("id")).doesNotContain(mine.get("id").asText());
        Http.Response revoke = server.http().send("DELETE", "/api/v1/api-keys/" + mine.get("id").asText(), null,
                server.auth(otherAdmin));
        assertThat(revoke.status()).isEqualTo(404);
        assertThat(server.http().get("/api/v1/short-urls", server.auth(mine.get("key").asText())).status()).isEqualTo(200);
    }

    @Test
    void managingKeysNeedsAdmin() {
        String notAdmin = server.createKey("everything-but-admin", "read,write,delete,analytics", null);
        for (Http.Response r : List.of(
                server.http().get("/api/v1/api-keys", server.auth(notAdmin)),
                server.http().postJson("/api/v1/api-keys", Http.json(Map.of("name", "x", "permissions", List.of("read"))),
                        server.auth(notAdmin)),
                server.http().send("DELETE", "/api/v1/api-keys/whatever", null, server.auth(notAdmin)))) {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.json().get("error").get("details").get("required").asText()).isEqualTo("admin");
        }
    }
}
