package dev.linkpulse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.Postgres;
import dev.linkpulse.support.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Losing the database server: cached redirects keep answering, clicks are held, /health reports
 * the outage, and every click is stored once the server is back. PostgreSQL only: the embedded
 * SQLite store cannot go away while the process runs (its lock case is in RecorderReliabilityTest).
 */
@EnabledIfSystemProperty(named = "linkpulse.test.store", matches = "postgresql",
        disabledReason = "only a database server can stop while Linkpulse runs")
class PostgresOutageTest {

    @Test
    void redirectsContinueWhileTheServerIsDownAndEveryClickIsStoredAfterwards() {
        Postgres pg = Postgres.startNew();
        String dbUrl = pg.newDatabase();
        try (TestServer server = TestServer.start(Map.of(Setting.DB_URL, dbUrl, Setting.DB_USER, Postgres.USER))) {
            server.createLink(Map.of("url", "https://example.com/outage", "custom_alias", "outage"));
            assertThat(server.http().get("/outage").status()).isEqualTo(301);
            server.awaitClicks("outage", 1);

            pg.stop();
            int during = 50;
            long slowest = 0;
            for (int i = 0; i < during; i++) {
                long start = System.nanoTime();
                Http.Response r = server.http().get("/outage");
                slowest = Math.max(slowest, System.nanoTime() - start);
                assertThat(r.status()).isEqualTo(301);
                assertThat(r.header("Location")).isEqualTo("https://example.com/outage");
            }
            assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofMillis(500));
            Http.Response health = server.http().get("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("status").asText()).isEqualTo("unavailable");
            Http.Response api = server.http().get("/api/v1/short-urls", server.admin());
            assertThat(api.status()).isIn(401, 503);

            pg = pg.restart();
            server.awaitClicks("outage", 1 + during);
            assertThat(server.http().get("/health").status()).isEqualTo(200);
        } finally {
            pg.close();
        }
    }
}
