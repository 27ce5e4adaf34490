package dev.linkpulse.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.Ports;
import dev.linkpulse.support.Postgres;
import dev.linkpulse.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Two Linkpulse processes on one PostgreSQL: a change made through one is seen by the other within
 * a second, and both write into one click log. PostgreSQL only: sharing a store between processes is
 * what the PostgreSQL store is for (LISTEN/NOTIFY); the embedded SQLite store serves one process.
 */
@EnabledIfSystemProperty(named = "linkpulse.test.store", matches = "postgresql",
        disabledReason = "several processes share a store only on PostgreSQL")
class SeveralProcessesTest {

    @Test
    void aChangeThroughOneProcessReachesTheOtherAndClicksFromBothFormOneLog(@org.junit.jupiter.api.io.TempDir Path work) throws Exception {
        String dbUrl = Postgres.shared().newDatabase();
        try (TestServer a = TestServer.start(Map.of(Setting.DB_URL, dbUrl, Setting.DB_USER, Postgres.USER))) {
            int portB = Ports.free();
            Path logB = work.resolve("b.log");
            Process b = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"),
                    "dev.linkpulse.Main", "serve",
                    "--port", String.valueOf(portB),
                    "--data-dir", work.resolve("b").toString(),
                    "--db-url", dbUrl, "--db-user", Postgres.USER)
                    .redirectErrorStream(true)
                    .redirectOutput(logB.toFile())
                    .start();
            try {
                Http httpB = new Http(portB);
                TestServer.await(Duration.ofSeconds(30), () -> {
                    try {
                        return httpB.get("/health").status() == 200;
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
                JsonNode link = a.createLink(Map.of("url", "https://example.com/before", "custom_alias", "shared-link"));
                // B caches the link by redirecting through it.
                assertThat(httpB.get("/shared-link").header("Location")).isEqualTo("https://example.com/before");

                a.http().send("PATCH", "/api/v1/short-urls/shared-link",
                        Http.json(Map.of("url", "https://example.com/after")), a.admin());
                long changedAt = System.nanoTime();
                // Polled with HEAD, which is not a click, so the click count below stays exact.
                TestServer.await(Duration.ofSeconds(1),
                        () -> "https://example.com/after".equals(httpB.head("/shared-link").header("Location")));
                long seenAfterMillis = (System.nanoTime() - changedAt) / 1_000_000;
                assertThat(seenAfterMillis).isLessThan(1_000);

                // A rename and a delete through A reach B as well.
                a.http().send("PATCH", "/api/v1/short-urls/shared-link", Http.json(Map.of("custom_alias", "renamed-link")),
                        a.admin());
                TestServer.await(Duration.ofSeconds(1), () -> httpB.head("/shared-link").status() == 404);

                // Clicks through both processes land in one log, with no id twice.
                int each = 200;
                for (int i = 0; i < each; i++) {
                    assertThat(a.http().get("/renamed-link").status()).isEqualTo(301);
                    assertThat(httpB.get("/renamed-link").status()).isEqualTo(301);
                }
                a.awaitClicks("renamed-link", 2L * each + 1);
                Set<String> ids = new HashSet<>();
                JsonNode page = a.clickLog("renamed-link", "?limit=1000").get("data");
                page.forEach(c -> ids.add(c.get("id").asText()));
                assertThat(ids).hasSize(2 * each + 1);
                // Both processes wrote rollup rows of the same visitor (one client) at once: it still counts
                // once per UTC day, and every click once.
                Set<String> days = new HashSet<>();
                page.forEach(c -> days.add(c.get("clicked_at").asText().substring(0, 10)));
                JsonNode core = a.http().get("/api/v1/analytics/analytics/renamed-link?traffic=all", a.admin()).json().get("data");
                assertThat(core.get("total_clicks").asLong()).isEqualTo(2L * each + 1);
                assertThat(core.get("unique_clicks").asLong()).isEqualTo(days.size());

                a.http().send("DELETE", "/api/v1/short-urls/" + link.get("id").asText(), null, a.admin());
                TestServer.await(Duration.ofSeconds(1), () -> httpB.head("/renamed-link").status() == 404);
            } finally {
                b.destroy();
                b.waitFor();
            }
            assertThat(Files.readString(logB)).doesNotContain("Exception");
        }
    }

}
