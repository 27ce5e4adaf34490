package dev.linkpulse.store;

import dev.linkpulse.common.Backoff;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies SQLite's write-ahead log into the database file on a thread of its own. Left to SQLite,
 * the connection whose commit finds the log long does it, and that is nearly always the click
 * writer: about a sixth of its time went there when demo-data filled a store (docs/PERFORMANCE.md,
 * session 15). A passive checkpoint takes no lock that writers or readers wait for, so here it
 * runs beside them on the other core. The connections' own automatic checkpoint stays as the
 * fallback: should this thread fall behind or fail, the log still cannot grow without bound.
 */
final class WalCheckpoints implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpoints.class);

    /** Often enough that the log stays far below the connections' automatic checkpoint under full load. */
    static final Duration EVERY = Duration.ofMillis(100);

    private final Jdbi jdbi;
    private final Thread thread;
    private volatile boolean running = true;

    WalCheckpoints(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.thread = Thread.ofPlatform().name("sqlite-checkpoints").daemon().start(this::loop);
    }

    private void loop() {
        Backoff backoff = new Backoff();
        while (running) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(EVERY.toMillis(), backoff.delayMillis())));
            if (!running) {
                return;
            }
            try {
                // A log fully copied is started again from its beginning by the next write, so it stays short.
                jdbi.useHandle(h -> h.createQuery("PRAGMA wal_checkpoint(PASSIVE)").mapToMap().list());
                backoff.succeeded();
            } catch (RuntimeException | Error e) {
                // A full disk, a file gone: the connections checkpoint for themselves meanwhile.
                if (backoff.failed()) {
                    LOG.warn("Checkpointing the SQLite log failed ({} attempts); retrying: {}", backoff.failures(), e.toString());
                }
            }
        }
    }

    /** Stops the thread, waiting for a checkpoint under way; the pools close after it. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
