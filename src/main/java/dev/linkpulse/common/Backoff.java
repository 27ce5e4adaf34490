package dev.linkpulse.common;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The pipeline's one retry policy, for a step that failed and must be tried again rather than end
 * its thread: waits that double from 50 ms up to 5 s, and a log line on the first failure and every
 * 20th after it, so a long outage neither spins nor floods the log. Not thread-safe: one per loop.
 */
public final class Backoff {

    private static final long FIRST_MILLIS = 50;
    private static final long MAX_MILLIS = 5_000;

    private int failures;

    /** Counts a failure; true when this one should be logged. */
    public boolean failed() {
        failures++;
        return failures == 1 || failures % 20 == 0;
    }

    /** The step worked: the next failure starts from the shortest wait again. */
    public void succeeded() {
        failures = 0;
    }

    /** Failures in a row so far. */
    public int failures() {
        return failures;
    }

    /** How long to wait after the failures so far. */
    public long delayMillis() {
        if (failures == 0) {
            return 0;
        }
        return Math.min(MAX_MILLIS, FIRST_MILLIS << Math.min(failures - 1, 20));
    }

    /** Waits {@link #delayMillis()}; an interrupt ends the wait early (and stays set). */
    public void pause() {
        // parkNanos may return early (a spurious wakeup, or an unpark left over from the thread's
        // queue): park again for what is left, so the waits really grow.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis());
        for (long left = deadline - System.nanoTime(); left > 0 && !Thread.currentThread().isInterrupted();
                left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
