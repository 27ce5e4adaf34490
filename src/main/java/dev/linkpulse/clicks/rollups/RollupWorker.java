package dev.linkpulse.clicks.rollups;

import dev.linkpulse.common.Backoff;
import dev.linkpulse.store.SqlErrors;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the rollups close behind the click log: runs {@link RollupStep}s whenever clicks were stored
 * (and every half second, for clicks stored by other processes), until caught up. A failing step is
 * logged, retried with backoff and reported; the thread ends only at close.
 */
public final class RollupWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RollupWorker.class);
    private static final long IDLE_WAIT_MILLIS = 500;
    /** Steps failing in a row on the data itself before the clicks are counted one at a time. */
    static final int SUSPECT_AFTER = 3;

    private final RollupStep step;
    private final BooleanSupplier storageBehind;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean failing;
    private final AtomicLong skipped = new AtomicLong();

    public RollupWorker(RollupStep step) {
        this(step, () -> false);
    }

    /**
     * {@code storageBehind} tells when clicks wait to be stored: storing them comes first (a click
     * not stored can be lost; one not yet counted only makes questions slower), so the worker then
     * takes at most a third of a core.
     */
    public RollupWorker(RollupStep step, BooleanSupplier storageBehind) {
        this.step = step;
        this.storageBehind = storageBehind;
        this.thread = Thread.ofPlatform().name("click-rollups").start(this::loop);
    }

    /** Clicks were stored: count them soon. */
    public void wake() {
        wake.release();
    }

    /** Stored clicks the rollups do not count yet; empty when the store does not answer. */
    public java.util.OptionalLong lag() {
        try {
            return java.util.OptionalLong.of(step.lag());
        } catch (RuntimeException e) {
            return java.util.OptionalLong.empty();
        }
    }

    /** True while steps fail (the rollups fall behind; aggregates read raw rows meanwhile). */
    public boolean failing() {
        return failing || (running && !thread.isAlive());
    }

    /** Clicks this process left out of the rollups because counting them failed every time. */
    public long skipped() {
        return skipped.get();
    }

    /**
     * True when a failure says something about the clicks being counted rather than the store:
     * the store refused a value, or the counting code itself threw (a bug this data reaches). An
     * unavailable store, a full disk or a lock wait never are: those are waited out.
     */
    static boolean blamesTheClicks(Throwable e) {
        if (e instanceof Error) {
            return false;
        }
        if (SqlErrors.isRejectedData(e)) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                return false;
            }
        }
        return true;
    }

    private void loop() {
        Backoff backoff = new Backoff();
        // After steps keep failing on the data, clicks are counted one a step until the one that
        // fails alone is found and left out: one bad click must not stop the rollups for good.
        int oneByOne = 0;
        int blamedInARow = 0;
        while (running) {
            try {
                long started = System.nanoTime();
                RollupStep.Progress p = step.run(oneByOne > 0 ? 1 : RollupStep.CLICKS_PER_STEP);
                if (oneByOne > 0) {
                    oneByOne = p.caughtUp() ? 0 : oneByOne - 1;
                }
                blamedInARow = 0;
                failing = false;
                backoff.succeeded();
                if (p.caughtUp()) {
                    wake.tryAcquire(IDLE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                } else if (storageBehind.getAsBoolean()) {
                    Thread.sleep(Math.max(1, 2 * (System.nanoTime() - started) / 1_000_000));
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                // Whatever a step throws, the watermark has not moved: the same clicks are tried again.
                failing = true;
                blamedInARow = blamesTheClicks(e) ? blamedInARow + 1 : 0;
                if (blamedInARow >= SUSPECT_AFTER) {
                    blamedInARow = 0;
                    if (oneByOne == 0) {
                        oneByOne = RollupStep.CLICKS_PER_STEP;
                        LOG.warn("Counting clicks into the rollups keeps failing on the data; counting them one at a time to find the click: {}",
                                e.toString());
                    } else {
                        skipNext(e);
                    }
                }
                if (backoff.failed()) {
                    LOG.warn("Counting clicks into the rollups failed ({} attempts); retrying: {}", backoff.failures(), e.toString());
                }
                backoff.pause();
            }
        }
    }

    private void skipNext(Throwable cause) {
        try {
            step.skipNext().ifPresent(id -> {
                skipped.incrementAndGet();
                LOG.error("Click {} is stored but left out of the rollups: counting it alone failed {} times: {}",
                        id, SUSPECT_AFTER, cause.toString());
            });
        } catch (RuntimeException e) {
            LOG.warn("Could not move the rollups past a failing click; will try again: {}", e.toString());
        }
    }

    /**
     * Waits until the rollups count every click stored when it was called, at most {@code within};
     * true when they do. The waiting thread only reads: the steps stay on this worker's thread, with
     * its pacing while storage is behind. False as well when the store does not answer.
     */
    public boolean awaitCaughtUp(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        try {
            if (step.caughtUp()) {
                return true; // the usual case, in one query
            }
            long target = step.lastStored();
            wake();
            while (System.nanoTime() < deadline) {
                Thread.sleep(5);
                if (step.watermark() >= target) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Asks the worker to stop after the step in flight, without waiting (see {@link #close}). */
    public void stop() {
        running = false;
        wake.release();
    }

    @Override
    public void close() {
        stop(); // a step in flight finishes first: interrupting JDBC could break its connection
        try {
            // Bounded, for SIGTERM's 30 s: a step cut short by the store closing under it is rolled
            // back and simply done again at the next start, behind the same watermark.
            thread.join(3_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
