package dev.linkpulse.clicks.rollups;

import dev.linkpulse.common.Backoff;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;
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

    private final RollupStep step;
    private final BooleanSupplier storageBehind;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean failing;

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

    private void loop() {
        Backoff backoff = new Backoff();
        while (running) {
            try {
                long started = System.nanoTime();
                RollupStep.Progress p = step.run(RollupStep.CLICKS_PER_STEP);
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
                if (backoff.failed()) {
                    LOG.warn("Counting clicks into the rollups failed ({} attempts); retrying: {}", backoff.failures(), e.toString());
                }
                backoff.pause();
            }
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
