package dev.linkpulse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickEnricher;
import dev.linkpulse.clicks.ClickEvent;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.Utm;
import dev.linkpulse.clicks.ingest.ClickJournal;
import dev.linkpulse.clicks.ingest.ClickRecorder;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.clicks.rollups.RollupStep;
import dev.linkpulse.clicks.rollups.RollupWorker;
import dev.linkpulse.enrich.GeoLocator;
import dev.linkpulse.enrich.UserAgentClassifier;
import dev.linkpulse.http.HealthApi;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code /health} reports of an enricher failing: the recorder's flag (RecorderHealthTest
 * shows a real Error sets it) reaches the report as {@code enricher_failing} and makes it degraded.
 * No input makes the server's own enricher throw an Error, so the report is built here from a
 * recorder whose enricher does, on the real store.
 */
class HealthReportTest {

    @Test
    void anEnricherFailingMakesTheReportDegradedAndSaysSo(@TempDir Path dir) {
        try (TestServer server = TestServer.start(); Database db = server.openStore();
                GeoLocator geo = GeoLocator.open(List.of(TestServer.CITY_DB))) {
            String linkId = server.createLink(Map.of("url", "https://example.com/report")).get("id").asText();
            String workspaceId = TestServer.workspaceOf(db, linkId);
            AtomicBoolean broken = new AtomicBoolean(true);
            ClickEnricher enricher = event -> {
                if (broken.get()) {
                    throw new StackOverflowError("an error the recorder does not expect");
                }
                return Click.unenriched(event);
            };
            UserAgentClassifier userAgents = UserAgentClassifier.notBuilt();
            RollupWorker rollups = new RollupWorker(new RollupStep(db.jdbi(), db.dialect()));
            try (ClickRecorder recorder = new ClickRecorder(enricher, new ClickStore(db.jdbi(), db.dialect()),
                    new ClickJournal(dir.resolve("journal")), new ClickRecorder.Settings(100, 10, Duration.ofMillis(20), Duration.ofSeconds(2)))) {
                HealthApi.Report healthy = App.health(recorder, rollups, Optional.empty(), userAgents, geo);
                assertThat(healthy.degraded()).isFalse();
                assertThat(healthy.details()).containsEntry("enricher_failing", false);

                long now = System.currentTimeMillis();
                recorder.offer(new ClickEvent(new ClickIds().next(now).toString(), now, linkId, workspaceId, "https://example.com/report",
                        "81.2.69.142", "any", null, Utm.NONE));
                TestServer.await(Duration.ofSeconds(10), () -> recorder.stats().enricherFailing());
                HealthApi.Report failing = App.health(recorder, rollups, Optional.empty(), userAgents, geo);
                assertThat(failing.degraded()).isTrue();
                assertThat(failing.details()).containsEntry("enricher_failing", true).containsEntry("storage_failing", false);

                broken.set(false);
                TestServer.await(Duration.ofSeconds(10), () -> recorder.stats().stored() == 1);
                assertThat(App.health(recorder, rollups, Optional.empty(), userAgents, geo).degraded()).isFalse();
            } finally {
                rollups.close();
            }
        }
    }
}
