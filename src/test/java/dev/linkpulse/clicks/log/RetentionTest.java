package dev.linkpulse.clicks.log;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.config.ConfigException;
import dev.linkpulse.config.ConfigLoader;
import dev.linkpulse.config.Setting;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.MutableClock;
import dev.linkpulse.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * LINKPULSE_RETENTION_DAYS deletes raw clicks past the period; counters and per-day rollups keep
 * the totals, so aggregates over whole old days still answer.
 */
class RetentionTest {

    static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");

    @Test
    void oldClicksLeaveTheLogButTheirTotalsStay() {
        MutableClock clock = new MutableClock(NOW);
        try (TestServer server = TestServer.start(Map.of(Setting.RETENTION_DAYS, "30"), clock)) {
            JsonNode link = server.createLink(Map.of("url", "https://example.com/kept"));
            String id = link.get("id").asText();
            try (Database db = server.openStore()) {
                String ws = TestServer.workspaceOf(db, id);
                List<Click> clicks = new ArrayList<>();
                ClickIds ids = new ClickIds();
                for (int i = 0; i < 90; i++) {
                    // 50 clicks on 10 May (51 days old), 40 on 20 June (10 days old)
                    long at = Instant.parse(i < 50 ? "2026-05-10T08:00:00Z" : "2026-06-20T08:00:00Z").toEpochMilli() + i * 1_000L;
                    clicks.add(new Click(ids.next(at).toString(), id, ws, at, "https://example.com/kept", null, "agent", null, null,
                            "direct", i % 2 == 0 ? "DE" : "FR", null, null, "desktop", "Firefox", "Linux", TrafficClass.HUMAN,
                            "v" + (i % 10) + "-" + at / 86_400_000L, new Utm(null, null, null, null, null)));
                }
                new ClickStore(db.jdbi(), db.dialect()).insert(clicks);
            }
            server.stop();
            server.startAgain(); // the retention job runs a second after start
            TestServer.await(Duration.ofSeconds(15), () -> server.clickLog(id, "?limit=1").get("pagination").get("total").asLong() == 40);
            try (Database db = server.openStore()) {
                long old = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM clicks WHERE clicked_at < :cutoff")
                        .bind("cutoff", NOW.minus(Duration.ofDays(30)).toEpochMilli()).mapTo(Long.class).one());
                assertThat(old).isZero();
            }
            JsonNode core = server.http().get("/api/v1/analytics/analytics/" + id + "?startDate=2026-05-01&endDate=2026-06-29",
                    server.admin()).json().get("data");
            assertThat(core.get("total_clicks").asLong()).isEqualTo(90);
            assertThat(core.get("unique_clicks").asLong()).isEqualTo(20);
            JsonNode countries = server.http().get("/api/v1/analytics/breakdown/" + id + "?by=country&startDate=2026-05-01&endDate=2026-06-29",
                    server.admin()).json().get("data");
            assertThat(countries.get("total").asLong()).isEqualTo(90);
            assertThat(countries.get("data").get(0).get("clicks").asLong()).isEqualTo(45);
            JsonNode got = server.http().get("/api/v1/short-urls/" + id, server.admin()).json().get("data");
            assertThat(got.get("clicks").asLong()).isEqualTo(90);
        }
    }

    @Test
    void aBadRetentionIsRefusedNamingTheSetting() {
        for (String bad : new String[] {"0", "-3", "ten", "36501"}) {
            assertThatThrownBy(() -> ConfigLoader.load(Map.of("LINKPULSE_RETENTION_DAYS", bad), Map.of()))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("LINKPULSE_RETENTION_DAYS");
        }
        assertThat(ConfigLoader.load(Map.of("LINKPULSE_RETENTION_DAYS", "400"), Map.of()).retentionDays()).contains(400);
        assertThat(ConfigLoader.load(Map.of(), Map.of()).retentionDays()).isEmpty();
    }
}
