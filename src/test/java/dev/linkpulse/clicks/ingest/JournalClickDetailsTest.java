package dev.linkpulse.clicks.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segments written before the click details of V13 (time zone, device brand and model, versions)
 * are still read, with those fields null; segments written now keep them.
 */
class JournalClickDetailsTest {

    @Test
    void oldLinesWithoutTheNewFieldsAndNewLinesWithThemAreBothRead(@TempDir Path dir) throws Exception {
        long now = System.currentTimeMillis();
        ClickIds ids = new ClickIds();
        // A line exactly as a journal before V13 wrote it: the writer leaves nulls out, and the new
        // fields did not exist, so this line carries none of their keys.
        String oldLine = "{\"click\":{\"id\":\"" + ids.next(now) + "\",\"linkId\":\"l1\",\"workspaceId\":\"w1\",\"clickedAt\":" + now
                + ",\"destination\":\"https://example.com/old\",\"userAgent\":\"agent\",\"source\":\"direct\",\"country\":\"GB\","
                + "\"deviceType\":\"desktop\",\"trafficClass\":\"HUMAN\",\"visitorHash\":\"v-old\",\"utm\":{}}}\n";
        Files.writeString(dir.resolve("segment-000000000001.ndjson"), oldLine, StandardCharsets.UTF_8);
        Click fresh = new Click(ids.next(now).toString(), "l2", "w1", now, "https://example.com/new", null, "agent", null, null,
                "direct", "GB", "England", "London", "mobile", "Safari", "iOS", TrafficClass.HUMAN, "v-new", Utm.NONE,
                "Europe/London", "Apple", "iPhone", "17.2", "17.2", null, null);
        ClickJournal journal = new ClickJournal(dir);
        try {
            journal.appendClicks(List.of(fresh));
            List<Click> read = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                journal.takeOldest().ifPresent(s -> read.addAll(s.clicks()));
            }
            assertThat(read).hasSize(2);
            Click old = read.stream().filter(c -> c.linkId().equals("l1")).findFirst().orElseThrow();
            assertThat(old.visitorHash()).isEqualTo("v-old");
            assertThat(old.country()).isEqualTo("GB");
            assertThat(old.timezone()).isNull();
            assertThat(old.deviceBrand()).isNull();
            assertThat(old.osVersion()).isNull();
            Click back = read.stream().filter(c -> c.linkId().equals("l2")).findFirst().orElseThrow();
            assertThat(back).isEqualTo(fresh);
        } finally {
            journal.close();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".ndjson")).count()).isEqualTo(2);
        }
    }
}
