package dev.linkpulse.clicks.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkpulse.clicks.ClickEvent;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.Utm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's text: one JSON object a line, each line ended by a newline, appends one after
 * another in the segment, and every event read back as it was appended. The journal writes
 * through one buffer reused from append to append (and dropped after a very large one), so
 * appends of very different sizes follow each other here.
 */
class ClickJournalLinesTest {

    private static final ClickIds IDS = new ClickIds();

    private static List<ClickEvent> events(int n, String ua) {
        List<ClickEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long at = 1_800_000_000_000L + i;
            out.add(new ClickEvent(IDS.next(at).toString(), at, "link-" + (i % 3), "ws-1", "https://example.com/é?q=" + i,
                    "81.2.69." + (i % 256), ua, i % 2 == 0 ? null : "https://t.co/x\n\"quoted\"",
                    i % 5 == 0 ? Utm.NONE : new Utm("news", null, "spring ☀", null, null)));
        }
        return out;
    }

    @Test
    void appendsOfAnySizeAreWholeLinesReadBackUnchanged(@TempDir Path dir) throws Exception {
        ClickJournal journal = new ClickJournal(dir.resolve("journal"));
        try {
            List<ClickEvent> appended = new ArrayList<>();
            // Small, then over the size the buffer is kept at (4 MiB: ~6 KB a line, 800 lines here), then small again.
            List<List<ClickEvent>> groups = List.of(events(3, "small/1"), events(1, "one"), events(800, "x".repeat(6_000)),
                    events(2, "small/2"));
            for (List<ClickEvent> g : groups) {
                journal.appendEvents(g, false);
                appended.addAll(g);
            }
            List<Path> segments;
            try (var files = Files.list(dir.resolve("journal"))) {
                segments = files.filter(p -> p.getFileName().toString().endsWith(".ndjson")).sorted().toList();
            }
            assertThat(segments).hasSize(1);
            String text = Files.readString(segments.get(0), StandardCharsets.UTF_8);
            assertThat(text).endsWith("\n").doesNotContain("\n\n");
            String[] lines = text.split("\n");
            assertThat(lines).hasSize(appended.size());
            ObjectMapper json = new ObjectMapper();
            for (int i = 0; i < lines.length; i++) {
                assertThat(json.readTree(lines[i]).get("event").get("id").asText()).isEqualTo(appended.get(i).id());
                assertThat(lines[i]).doesNotContain(appended.get(i).clientIp() + "\"");
            }

            ClickJournal.Segment replay = journal.takeOldest().orElseThrow();
            // This process sealed the IPs, so it opens them again: the events come back as appended.
            assertThat(replay.events()).containsExactlyElementsOf(appended);
            assertThat(replay.clicks()).isEmpty();
        } finally {
            journal.close();
        }
    }
}
