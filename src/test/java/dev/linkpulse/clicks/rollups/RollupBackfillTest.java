package dev.linkpulse.clicks.rollups;

import dev.linkpulse.clicks.ClickIds;

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
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A store written by a version before the rollups (schema 1) is upgraded on start, and its
 * earlier clicks are counted into the rollups: whole-day aggregates match the raw rows.
 */
class RollupBackfillTest {

    @Test
    void clicksStoredBeforeTheRollupsAreCountedIntoThemOnUpgrade(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        OldStore old = OldStore.migratedTo("1", dir);
        Map<Setting, String> settings = old.settings();
        String url = old.url();
        String user = old.user();
        long day = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
        String[] countries = {"US", "DE", null};
        Map<String, Integer> perCountry = new HashMap<>();
        Set<String> visitors = new HashSet<>();
        int clicks = 12_000; // more than two chunks of the backfill
        try (Connection c = DriverManager.getConnection(url, user, null); Statement st = c.createStatement()) {
            st.execute("INSERT INTO workspaces (id, name, created_at) VALUES ('11111111-1111-4111-8111-111111111111', 'old', 0)");
            st.execute("INSERT INTO short_urls (id, workspace_id, short_code, is_custom_alias, original_url, name, tracking_enabled, "
                    + "is_dynamic, forward_query, disabled, created_at, updated_at) VALUES ('22222222-2222-4222-8222-222222222222', "
                    + "'11111111-1111-4111-8111-111111111111', 'old-link', 1, 'https://example.com/old', NULL, 1, 0, 1, 0, 0, 0)"
                    .replace(", 1, 'https", TestServer.onPostgres() ? ", true, 'https" : ", 1, 'https")
                    .replace("NULL, 1, 0, 1, 0, 0, 0", TestServer.onPostgres() ? "NULL, true, false, true, false, 0, 0" : "NULL, 1, 0, 1, 0, 0, 0"));
            c.setAutoCommit(false);
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO clicks (id, link_id, workspace_id, clicked_at, destination, source, "
                    + "country, device_type, traffic_class, visitor_hash) VALUES (?, '22222222-2222-4222-8222-222222222222', "
                    + "'11111111-1111-4111-8111-111111111111', ?, 'https://example.com/old', 'direct', ?, 'desktop', 'human', ?)")) {
                ClickIds ids = new ClickIds();
                for (int i = 0; i < clicks; i++) {
                    long at = day + (i % 5) * 86_400_000L + i;
                    String country = countries[i % 3];
                    String visitor = "v" + (i % 700) + "-" + (i % 5);
                    ins.setString(1, ids.next(at).toString());
                    ins.setLong(2, at);
                    ins.setString(3, country);
                    ins.setString(4, visitor);
                    ins.addBatch();
                    perCountry.merge(String.valueOf(country), 1, Integer::sum);
                    visitors.add(visitor);
                }
                ins.executeBatch();
            }
            c.commit();
        }
        try (TestServer server = TestServer.start(settings)) {
            JsonNode d = server.http().get("/api/v1/analytics/breakdown/old-link?by=country&startDate=2026-03-01&endDate=2026-03-31",
                    server.admin()).json().get("data");
            assertThat(d.get("total").asLong()).isEqualTo(clicks);
            Map<String, Long> actual = new HashMap<>();
            d.get("data").forEach(r -> actual.put(r.get("value").isNull() ? "null" : r.get("value").asText(), r.get("clicks").asLong()));
            assertThat(actual).containsExactlyInAnyOrderEntriesOf(Map.of("US", (long) perCountry.get("US"), "DE", (long) perCountry.get("DE"),
                    "null", (long) perCountry.get("null")));
            JsonNode core = server.http().get("/api/v1/analytics/analytics/old-link?startDate=2026-03-01&endDate=2026-03-31",
                    server.admin()).json().get("data");
            assertThat(core.get("total_clicks").asLong()).isEqualTo(clicks);
            assertThat(core.get("unique_clicks").asLong()).isEqualTo(visitors.size());
        }
    }
}
