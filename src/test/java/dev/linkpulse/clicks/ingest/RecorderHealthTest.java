package dev.linkpulse.clicks.ingest;

import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickEnricher;
import dev.linkpulse.clicks.ClickEvent;
import dev.linkpulse.clicks.log.ClickStore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.store.Database;
import dev.linkpulse.support.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Error in the enricher (the kind nothing in the recorder expects) neither ends the pipeline nor
 * loses the click: it is retried with backoff and shown as failing; one that never goes away is
 * isolated to its click, which is stored unenriched, while the rest go on. The store is real; the
 * enricher is this test's, so that it can fail that way.
 */
class RecorderHealthTest {

    private static final ClickRecorder.Settings SETTINGS =
            new ClickRecorder.Settings(100, 10, Duration.ofMillis(20), Duration.ofSeconds(2));

    @Test
    void anErrorInTheEnricherIsRetriedAndShownUntilItGoesAway(@TempDir Path dir) {
        try (TestServer server = TestServer.start(); Database db = server.openStore()) {
            String[] link = link(server, db);
            AtomicBoolean broken = new AtomicBoolean(true);
            ClickEnricher enricher = event -> {
                if (broken.get()) {
                    throw new StackOverflowError("an error the recorder does not expect");
                }
                return Click.unenriched(event);
            };
            try (ClickRecorder recorder = new ClickRecorder(enricher, new ClickStore(db.jdbi(), db.dialect()),
                    new ClickJournal(dir.resolve("journal")), SETTINGS)) {
                ClickEvent event = event(link[0], link[1], "any");
                assertThat(recorder.offer(event)).isTrue();
                TestServer.await(Duration.ofSeconds(10), () -> recorder.stats().enricherFailing());
                ClickRecorder.Stats failing = recorder.stats();
                assertThat(failing.storageFailing()).as("no pipeline thread ended").isFalse();
                assertThat(failing.stored()).isZero();
                assertThat(failing.queued() + failing.journaled()).as("the click is still held").isPositive();

                broken.set(false); // a transient error (a full heap, say) that passed
                TestServer.await(Duration.ofSeconds(10), () -> recorder.stats().stored() == 1);
                assertThat(recorder.stats().enricherFailing()).isFalse();
                assertThat(storedHash(db, event.id())).as("enriched normally once it worked").isEqualTo(event.id());
            }
        }
    }

    @Test
    void aClickThatAlwaysBreaksTheEnricherIsStoredUnenrichedAndTheRestGoOn(@TempDir Path dir) {
        try (TestServer server = TestServer.start(); Database db = server.openStore()) {
            String[] link = link(server, db);
            ClickEnricher enricher = event -> {
                if ("fails".equals(event.userAgent())) {
                    throw new StackOverflowError("an error this click always causes");
                }
                Click c = Click.unenriched(event);
                return new Click(c.id(), c.linkId(), c.workspaceId(), c.clickedAt(), c.destination(), null, c.userAgent(),
                        c.referrer(), null, "direct", null, null, null, "desktop", null, null, TrafficClass.HUMAN, "enriched", c.utm());
            };
            try (ClickRecorder recorder = new ClickRecorder(enricher, new ClickStore(db.jdbi(), db.dialect()),
                    new ClickJournal(dir.resolve("journal")), SETTINGS)) {
                ClickEvent before = event(link[0], link[1], "fine");
                ClickEvent bad = event(link[0], link[1], "fails");
                ClickEvent after = event(link[0], link[1], "fine");
                recorder.offer(before);
                recorder.offer(bad);
                recorder.offer(after);
                TestServer.await(Duration.ofSeconds(30), () -> recorder.stats().stored() == 3);
                assertThat(storedHash(db, before.id())).isEqualTo("enriched");
                assertThat(storedHash(db, after.id())).isEqualTo("enriched");
                assertThat(storedHash(db, bad.id())).as("stored unenriched: its own id as visitor").isEqualTo(bad.id());
                assertThat(recorder.stats().enricherFailing()).isFalse();
                assertThat(recorder.stats().storageFailing()).isFalse();
            }
        }
    }

    private static String[] link(TestServer server, Database db) {
        String linkId = server.createLink(Map.of("url", "https://example.com/health")).get("id").asText();
        String workspaceId = db.jdbi().withHandle(h -> h.createQuery("SELECT workspace_id FROM short_urls WHERE id = :id")
                .bind("id", linkId).mapTo(String.class).one());
        return new String[] {linkId, workspaceId};
    }

    private static String storedHash(Database db, String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT visitor_hash FROM clicks WHERE id = :id")
                .bind("id", id).mapTo(String.class).one());
    }

    private static ClickEvent event(String linkId, String workspaceId, String userAgent) {
        long now = System.currentTimeMillis();
        return new ClickEvent(new ClickIds().next(now).toString(), now, linkId, workspaceId, "https://example.com/health",
                "81.2.69.142", userAgent, null, Utm.NONE);
    }
}
