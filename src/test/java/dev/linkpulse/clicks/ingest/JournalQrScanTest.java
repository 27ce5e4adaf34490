package dev.linkpulse.clicks.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickEvent;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.Utm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A QR scan (issue 15) survives the journal both ways: the raw event keeps its marker flag, the enriched click its code. */
class JournalQrScanTest {

    @Test
    void scansKeepWhatMakesThemScans(@TempDir Path dir) {
        ClickIds ids = new ClickIds();
        ClickEvent scan = new ClickEvent(ids.next(1_000).toString(), 1_000, "l1", "w1", "https://a", "81.2.69.142", "ua", null,
                Utm.NONE, null, null, null, true);
        ClickEvent plain = new ClickEvent(ids.next(2_000).toString(), 2_000, "l1", "w1", "https://a", "81.2.69.142", "ua", null,
                Utm.NONE);
        Click scanned = Click.unenriched(plain).withQrCode("00000000-0000-4000-8000-0000000000aa");
        ClickJournal journal = new ClickJournal(dir);
        try {
            journal.appendEvents(List.of(scan, plain), false);
            journal.appendClicks(List.of(scanned));
            List<ClickEvent> events = new java.util.ArrayList<>();
            List<Click> clicks = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                journal.takeOldest().ifPresent(s -> {
                    events.addAll(s.events());
                    clicks.addAll(s.clicks());
                });
            }
            assertThat(events).extracting(ClickEvent::qrScan).containsExactly(true, false);
            assertThat(clicks).hasSize(1);
            assertThat(clicks.get(0).qrCodeId()).isEqualTo("00000000-0000-4000-8000-0000000000aa");
            assertThat(clicks.get(0).fromQrScan()).isTrue();
        } finally {
            journal.close();
        }
    }
}
