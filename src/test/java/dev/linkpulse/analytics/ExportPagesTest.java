package dev.linkpulse.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An export's pages read one ahead: every page written once and in order, the next read under way
 * while a page is written, and no read left running once the export is over, however it ends.
 */
class ExportPagesTest {

    /** Page {@code n} of {@code last}: its number is where it starts; the last says there is no next. */
    private static ExportPages.Page<Integer> page(int n, int last) {
        return new ExportPages.Page<>(List.of(), Set.of(), n < last ? Optional.of(n + 1) : Optional.empty());
    }

    @Test
    void everyPageIsWrittenOnceInOrderWhileTheNextIsRead() {
        List<Integer> read = new CopyOnWriteArrayList<>();
        List<Integer> written = new CopyOnWriteArrayList<>();
        CountDownLatch[] started = new CountDownLatch[8];
        for (int i = 0; i < started.length; i++) {
            started[i] = new CountDownLatch(1);
        }
        ExportPages.write((Optional<Integer> from) -> {
            int n = from.orElse(0);
            read.add(n);
            started[n].countDown();
            return page(n, 6);
        }, p -> {
            int n = p.next().map(next -> next - 1).orElse(6);
            // The next page's read has begun before this one is written (none after the last).
            if (n < 6) {
                try {
                    assertThat(started[n + 1].await(5, TimeUnit.SECONDS)).as("page %d read ahead", n + 1).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            written.add(n);
        });
        assertThat(read).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(written).containsExactly(0, 1, 2, 3, 4, 5, 6);
    }

    @Test
    void aFailedReadEndsTheExportWithItsOwnExceptionAfterThePagesBefore() {
        IllegalStateException storeDown = new IllegalStateException("store down");
        List<Integer> written = new CopyOnWriteArrayList<>();
        AtomicInteger reads = new AtomicInteger();
        assertThatThrownBy(() -> ExportPages.write((Optional<Integer> from) -> {
            reads.incrementAndGet();
            if (from.orElse(0) == 3) {
                throw storeDown;
            }
            return page(from.orElse(0), 10);
        }, p -> written.add(p.next().orElseThrow() - 1))).isSameAs(storeDown);
        assertThat(written).containsExactly(0, 1, 2);
        assertThat(reads).hasValue(4);
    }

    @Test
    void whenAWriteFailsTheReadUnderWayIsWaitedForBeforeTheExportEnds() {
        AtomicBoolean readFinished = new AtomicBoolean();
        RuntimeException clientGone = new java.io.UncheckedIOException(new java.io.IOException("client went away"));
        assertThatThrownBy(() -> ExportPages.write((Optional<Integer> from) -> {
            int n = from.orElse(0);
            if (n == 2) {
                sleep(300); // a slow page read, under way when the write of page 1 fails
                readFinished.set(true);
            }
            return page(n, 10);
        }, p -> {
            if (p.next().orElseThrow() == 2) {
                throw clientGone;
            }
        })).isSameAs(clientGone);
        assertThat(readFinished).as("the read ahead had finished when the export ended").isTrue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
