package dev.linkpulse.clicks.rollups;

import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
        int failures = 0;
        while (running) {
            try {
                long started = System.nanoTime();
                RollupStep.Progress p = step.run(RollupStep.CLICKS_PER_STEP);
                failing = false;
                failures = 0;
                if (p.caughtUp()) {
                    wake.tryAcquire(IDLE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                } else if (storageBehind.getAsBoolean()) {
                    Thread.sleep(Math.max(1, 2 * (System.nanoTime() - started) / 1_000_000));
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | OutOfMemoryError e) {
                failing = true;
                failures++;
                if (failures == 1 || failures % 20 == 0) {
                    LOG.warn("Counting clicks into the rollups failed ({} attempts); retrying: {}", failures, e.toString());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(5_000, 50L << Math.min(failures - 1, 7))));
            }
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
