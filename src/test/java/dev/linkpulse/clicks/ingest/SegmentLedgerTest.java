package dev.linkpulse.clicks.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The journal's segment bookkeeping alone: when a segment may go, and what counts as pending (on disk only). */
class SegmentLedgerTest {

    @Test
    void aSegmentIsSettledOnlyWhenEveryGroupIsSafe() {
        SegmentLedger ledger = new SegmentLedger();
        ledger.opened(1);
        ledger.appended(1, 3);
        ledger.hold(1); // group a, in memory
        ledger.appended(1, 2);
        ledger.hold(1); // group b, in memory
        assertThat(ledger.pending()).as("all in memory: nothing on disk only").isZero();
        assertThat(ledger.replayable(1)).isFalse();

        assertThat(ledger.release(1, true)).as("b still held").isFalse();
        assertThat(ledger.settled()).isEmpty();
        assertThat(ledger.release(1, true)).isTrue();
        assertThat(ledger.settled()).containsExactly(1L);
        ledger.forget(1);
        assertThat(ledger.settled()).isEmpty();
    }

    @Test
    void anUnsafeReleaseMakesTheWholeSegmentPendingUntilReplayed() {
        SegmentLedger ledger = new SegmentLedger();
        ledger.opened(7);
        ledger.appended(7, 4);
        ledger.hold(7);
        assertThat(ledger.release(7, false)).as("not stored at close").isFalse();
        assertThat(ledger.pending()).isEqualTo(4);
        ledger.appended(7, 1); // a later append to a segment waiting for replay is pending at once
        assertThat(ledger.pending()).isEqualTo(5);
        assertThat(ledger.replayable(7)).isTrue();

        ledger.takenForReplay(7, 5);
        assertThat(ledger.pending()).as("pending until the recorder holds them").isEqualTo(5);
        assertThat(ledger.replayable(7)).isFalse();
        ledger.hold(7); // its events go back into memory as one group
        assertThat(ledger.handedOver(7, true)).isFalse();
        assertThat(ledger.pending()).isZero();
        assertThat(ledger.release(7, true)).as("the group is stored").isTrue();
    }

    @Test
    void segmentsOfAnEarlierProcessArePendingAndPurgesCountDown() {
        SegmentLedger ledger = new SegmentLedger();
        ledger.found(2, 10);
        ledger.found(3, 6);
        assertThat(ledger.pending()).isEqualTo(16);
        ledger.purged(2, 4); // a deleted link's clicks erased
        assertThat(ledger.pending()).isEqualTo(12);
        ledger.takenForReplay(3, 6);
        assertThat(ledger.handedOver(3, false)).as("storing failed at close: replay again").isFalse();
        assertThat(ledger.pending()).isEqualTo(12);
        assertThat(ledger.replayable(3)).isTrue();
        assertThat(ledger.release(99, true)).as("an unknown segment").isFalse();
    }
}
