package dev.linkpulse.clicks.ingest;

import dev.linkpulse.clicks.ClickEvent;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.Utm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkpulse.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A click the real store rejects every time (no destination: the NOT NULL constraint of
 * {@code clicks.destination}) is isolated from its batch and set aside in a file of the data
 * directory with the error; the clicks around it are stored, health counts it and stays ok.
 */
class QuarantineTest {

    @Test
    void aClickTheStoreAlwaysRejectsIsQuarantinedAndTheRestOfItsBatchIsStored() throws Exception {
        try (TestServer server = TestServer.start()) {
            JsonNode link = server.createLink(Map.of("url", "https://example.com/quarantine"));
            String linkId = link.get("id").asText();
            String workspaceId = TestServer.workspaceOf(server.app().database(), linkId);
            ClickIds ids = new ClickIds();
            List<ClickEvent> events = new ArrayList<>();
            ClickEvent bad = null;
            for (int i = 0; i < 11; i++) {
                long now = System.currentTimeMillis();
                String destination = i == 5 ? null : "https://example.com/quarantine";
                ClickEvent e = new ClickEvent(ids.next(now).toString(), now, linkId, workspaceId, destination, "81.2.69.142",
                        "quarantine/" + i, null, Utm.NONE);
                events.add(e);
                if (destination == null) {
                    bad = e;
                }
            }
            events.forEach(e -> assertThat(server.app().recorder().offer(e)).isTrue());

            server.awaitClicks(linkId, 10);
            TestServer.await(Duration.ofSeconds(30), () -> server.http().get("/health").json().get("clicks_quarantined").asLong() == 1);
            server.awaitRecorderIdle();
            JsonNode health = server.http().get("/health").json();
            assertThat(health.get("status").asText()).isEqualTo("ok");
            assertThat(health.get("storage_failing").asBoolean()).isFalse();
            // Set aside after a bounded number of tries: REJECTED_TRIES for each halving of its batch of
            // at most 11 (11, 6, 3, 1 here: four levels, five at most), never retried on and on.
            assertThat(server.app().recorder().stats().failedWrites())
                    .isBetween((long) ClickRecorder.REJECTED_TRIES, (long) ClickRecorder.REJECTED_TRIES * 5);

            Path file = server.dataDir().resolve("quarantine-journal-0.ndjson");
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize(1);
            JsonNode entry = new ObjectMapper().readTree(lines.get(0));
            assertThat(entry.get("click").get("id").asText()).isEqualTo(bad.id());
            assertThat(entry.get("error").asText()).containsIgnoringCase("null").containsIgnoringCase("destination");
            assertThat(entry.get("click").get("ipAddress").asText()).isEqualTo("81.2.xxx.xxx");
            assertThat(lines.get(0)).doesNotContain("81.2.69.142");
            long stored = server.app().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM clicks WHERE link_id = :id")
                    .bind("id", linkId).mapTo(Long.class).one());
            assertThat(stored).isEqualTo(10);
        }
    }
}
