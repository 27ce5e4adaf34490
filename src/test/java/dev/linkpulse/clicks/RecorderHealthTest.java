package dev.linkpulse.clicks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.store.Database;
import dev.linkpulse.support.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorder whose pipeline stopped stores nothing more, and health must say so instead of looking
 * idle. The store is real; the enricher is this test's, so that it can fail the way nothing in
 * the recorder expects: with an Error.
 */
class RecorderHealthTest {

    private static final ClickRecorder.Settings SETTINGS =
            new ClickRecorder.Settings(100, 10, Duration.ofMillis(20), Duration.ofSeconds(2));

    @Test
    void aPipelineThreadThatEndsMakesHealthReportStorageFailing(@TempDir Path dir) {
        try (TestServer server = TestServer.start(); Database db = server.openStore()) {
            var link = server.createLink(Map.of("url", "https://example.com/health"));
            String linkId = link.get("id").asText();
            String workspaceId = db.jdbi().withHandle(h -> h.createQuery("SELECT workspace_id FROM short_urls WHERE id = :id")
                    .bind("id", linkId).mapTo(String.class).one());
            ClickEnricher enricher = event -> {
                if ("fails".equals(event.userAgent())) {
                    throw new StackOverflowError("an error the recorder does not expect");
                }
                return Click.unenriched(event);
            };
            try (ClickRecorder recorder = new ClickRecorder(enricher, new ClickStore(db.jdbi(), db.dialect()),
                    new ClickJournal(dir.resolve("journal")), SETTINGS)) {
                assertThat(recorder.offer(event(linkId, workspaceId, "fine"))).isTrue();
                TestServer.await(Duration.ofSeconds(10), () -> recorder.stats().stored() == 1);
                assertThat(recorder.stats().storageFailing()).isFalse();

                assertThat(recorder.offer(event(linkId, workspaceId, "fails"))).isTrue();
                TestServer.await(Duration.ofSeconds(10), () -> recorder.stats().storageFailing());
                ClickRecorder.Stats stats = recorder.stats();
                assertThat(stats.stored()).isEqualTo(1);
                // The click that met the error is not lost: it is still counted, waiting in the journal.
                assertThat(stats.queued() + stats.journaled()).isPositive();
            }
        }
    }

    private static ClickEvent event(String linkId, String workspaceId, String userAgent) {
        long now = System.currentTimeMillis();
        return new ClickEvent(new ClickIds().next(now).toString(), now, linkId, workspaceId, "https://example.com/health",
                "81.2.69.142", userAgent, null, Utm.NONE);
    }
}
