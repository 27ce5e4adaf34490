package dev.linkpulse.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.Main;
import dev.linkpulse.support.TestServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code linkpulse demo-data} fills the store the server then reads. */
class DemoDataTest {

    @Test
    void demoDataMakesLinksAndRealisticClicksThatTheApiServes() {
        try (TestServer server = TestServer.start()) {
            List<String> args = new ArrayList<>(List.of("demo-data", "--links", "5", "--clicks", "3000", "--days", "10",
                    "--top-link-share", "0.5", "--data-dir", server.dataDir().toString()));
            server.config().postgres().ifPresent(pg -> args.addAll(List.of("--db-url", pg.url(), "--db-user", pg.user())));
            // With the server stopped, nothing but the command itself can count the clicks into the rollups.
            server.stop();
            assertThat(new CommandLine(new Main()).execute(args.toArray(String[]::new))).isZero();
            try (var db = server.openStore()) {
                assertThat(new dev.linkpulse.clicks.rollups.RollupStep(db.jdbi(), db.dialect()).lag()).isZero();
            }
            server.startAgain();

            JsonNode links = server.http().get("/api/v1/short-urls?limit=100", server.admin()).json().get("data");
            assertThat(links.get("pagination").get("total").asInt()).isEqualTo(5);
            JsonNode log = server.clickLog(null, "?limit=1000");
            assertThat(log.get("pagination").get("total").asLong()).isEqualTo(3000);
            Set<String> classes = new HashSet<>();
            Set<String> sources = new HashSet<>();
            Set<String> countries = new HashSet<>();
            log.get("data").forEach(c -> {
                classes.add(c.get("traffic_class").asText());
                sources.add(c.get("source").asText());
                countries.add(c.get("country").asText());
            });
            assertThat(classes).contains("human", "bot", "preview");
            assertThat(sources).contains("direct", "social", "search", "email", "referral");
            assertThat(countries).contains("GB", "US", "SE");
            // The first link holds half of the clicks, as asked.
            JsonNode top = server.http().get("/api/v1/short-urls?sort=created_at&order=asc&limit=1", server.admin())
                    .json().get("data").get("shortUrls").get(0);
            long firstLink = server.clickLog(top.get("id").asText(), "?limit=1").get("pagination").get("total").asLong();
            assertThat(firstLink).isBetween(1350L, 1650L);
            // Times lie within the last ten days.
            long now = System.currentTimeMillis();
            log.get("data").forEach(c -> assertThat(java.time.Instant.parse(c.get("clicked_at").asText()).toEpochMilli())
                    .isBetween(now - 10L * 86_400_000 - 3_600_000, now));
        }
    }
}
