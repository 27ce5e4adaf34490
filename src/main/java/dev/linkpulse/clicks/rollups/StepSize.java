package dev.linkpulse.clicks.rollups;

import dev.linkpulse.store.Database;
import dev.linkpulse.store.Dialect;

/**
 * How many clicks the next rollup step takes. A larger step folds more clicks into each rollup
 * row: over 100 links, steps of 5,000 clicks wrote about 4 value rows a click on PostgreSQL, steps
 * of 50,000 about 1.7, and ingest counted about a third more clicks a second (bench/ingest). But a
 * step writes while it holds the watermark row, which a link deletion and other processes' steps
 * wait for at most the store's lock wait. So on PostgreSQL the size follows how long the last
 * write took: doubled after a full step written within a quarter of that wait, halved after a
 * write that took more than half of it; never above what a thirty-second of the heap holds (a
 * step keeps its clicks and planned changes in memory, about 2 KB a click), never below 5,000.
 * On SQLite steps stay at 5,000: there the lock a step writes under is the one the click writer
 * needs too.
 */
final class StepSize {

    static final int LEAST = 5_000;
    static final int MOST = 50_000;
    private static final long BYTES_PER_CLICK = 2_048;
    private static final long GROW_BELOW_NANOS = Database.LOCK_WAIT.toNanos() / 4;
    private static final long SHRINK_ABOVE_NANOS = Database.LOCK_WAIT.toNanos() / 2;

    private final int most;
    private volatile int current = LEAST;

    private StepSize(int most) {
        this.most = most;
    }

    static StepSize of(Dialect dialect, long maxHeapBytes) {
        return new StepSize(dialect == Dialect.SQLITE ? LEAST : (int) Math.clamp(maxHeapBytes / 32 / BYTES_PER_CLICK, LEAST, MOST));
    }

    /** Clicks the next step takes at most. */
    int current() {
        return current;
    }

    /** The largest size this store and heap allow. */
    int most() {
        return most;
    }

    /** A step of at most {@code max} clicks counted {@code counted} of them in a write of {@code writeNanos}. */
    void written(int max, int counted, long writeNanos) {
        int size = current;
        if (max < size) {
            return; // a smaller step (one click at a time while a bad click is sought) says nothing about this size
        }
        if (writeNanos > SHRINK_ABOVE_NANOS) {
            current = Math.max(LEAST, size / 2);
        } else if (counted == max && writeNanos < GROW_BELOW_NANOS) {
            current = Math.min(most, size * 2);
        }
    }
}
