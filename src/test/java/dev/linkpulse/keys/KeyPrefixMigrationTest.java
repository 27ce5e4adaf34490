package dev.linkpulse.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.config.Setting;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.OldStore;
import dev.linkpulse.support.Postgres;
import dev.linkpulse.support.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written before issue 14 kept the first 8 characters of each secret in {@code key_prefix}.
 * Upgrading it (migration V3_1) leaves no character of any secret there: every row shows the start
 * of its id, in the table and in {@code GET /api/v1/api-keys}, and the keys still work.
 */
class KeyPrefixMigrationTest {

    static final String WORKSPACE = "11111111-1111-4111-8111-111111111111";
    static final String OTHER_SECRET = "lp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg";

    @Test
    void anUpgradedStoreKeepsNoCharacterOfAnySecretInKeyPrefix(@TempDir Path dir) throws Exception {
        OldStore old = OldStore.migratedTo("2", dir);
        Map<Setting, String> settings = old.settings();
        String url = old.url();
        String user = old.user();
        String adminId = "aaaaaaaa-0000-4000-8000-000000000001";
        String otherId = "bbbbbbbb-0000-4000-8000-000000000002";
        try (Connection c = DriverManager.getConnection(url, user, null); Statement st = c.createStatement()) {
            st.execute("INSERT INTO workspaces (id, name, created_at) VALUES ('" + WORKSPACE + "', 'old', 0)");
            // As the earlier version wrote them: key_prefix = the secret's first 8 characters.
            st.execute(oldKeyRow(adminId, TestServer.ADMIN_KEY, "admin,analytics,delete,read,write", 1));
            st.execute(oldKeyRow(otherId, OTHER_SECRET, "read", 2));
        }
        try (TestServer server = TestServer.start(settings)) {
            try (Connection c = DriverManager.getConnection(url, user, null); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT id, key_prefix FROM api_keys ORDER BY id")) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                    assertThat(rs.getString("key_prefix")).isEqualTo(rs.getString("id").substring(0, 8))
                            .isNotEqualTo(TestServer.ADMIN_KEY.substring(0, 8)).isNotEqualTo(OTHER_SECRET.substring(0, 8));
                }
                assertThat(rows).isEqualTo(2);
            }
            JsonNode listed = server.http().get("/api/v1/api-keys", server.admin()).json().get("data");
            assertThat(listed).hasSize(2);
            assertThat(listed.get(0).get("key_prefix").asText()).isEqualTo("aaaaaaaa");
            assertThat(listed.get(1).get("key_prefix").asText()).isEqualTo("bbbbbbbb");
            assertThat(listed.toString()).doesNotContain(TestServer.ADMIN_KEY.substring(0, 8)).doesNotContain(OTHER_SECRET.substring(0, 8));
            assertThat(server.http().get("/api/v1/short-urls", server.auth(OTHER_SECRET)).status()).isEqualTo(200);
        }
    }

    private static String oldKeyRow(String id, String secret, String permissions, long createdAt) {
        return "INSERT INTO api_keys (id, workspace_id, name, key_hash, key_prefix, permissions, created_at, expires_at, revoked_at) VALUES ('"
                + id + "', '" + WORKSPACE + "', 'k" + createdAt + "', '" + KeyService.hash(secret) + "', '" + secret.substring(0, 8) + "', '"
                + permissions + "', " + createdAt + ", NULL, NULL)";
    }
}
