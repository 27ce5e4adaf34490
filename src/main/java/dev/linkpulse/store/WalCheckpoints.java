package dev.linkpulse.store;

import dev.linkpulse.common.Backoff;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies SQLite's write-ahead log into the database file on a thread of its own, so that the
 * click writer's commits do not: left to SQLite, the connection whose commit finds the log past
 * {@code wal_autocheckpoint} pages copies all of it, and that is nearly always the click writer
 * (a sixth of its time when demo-data filled a store; docs/PERFORMANCE.md, session 15). A passive
 * checkpoint takes no lock that writers or readers wait for, so here it runs beside them.
 *
 * <p>Only a writer can start the log again from its beginning, and only when every page in it has
 * been copied; under steady writes this thread's checkpoint rarely ends at such a moment, as the
 * writer adds pages meanwhile. So the connections keep their automatic checkpoint: it still bounds
 * the log's length (while no long read holds an old snapshot, as before), but when it runs nearly
 * every page is copied already and little is left for the writer to do.
 */
final class WalCheckpoints implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpoints.class);

    /** Measured against 50, 200 and 1,000 ms (docs/PERFORMANCE.md, session 15): none did better. */
    static final Duration EVERY = Duration.ofMillis(100);

    private final DataSource source;
    private final Thread thread;
    private volatile boolean running = true;
    /** Its own connection, not one of the pools': a busy pool must not hold up the copying. */
    private Connection connection;

    WalCheckpoints(DataSource source) {
        this.source = source;
        this.thread = Thread.ofPlatform().name("sqlite-checkpoints").daemon().start(this::loop);
    }

    private void loop() {
        Backoff backoff = new Backoff();
        try {
            while (running && !Thread.currentThread().isInterrupted()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(EVERY.toMillis(), backoff.delayMillis())));
                if (!running) {
                    return;
                }
                try {
                    checkpoint();
                    backoff.succeeded();
                } catch (SQLException | RuntimeException | Error e) {
                    // A full disk, a file gone: the connections checkpoint for themselves meanwhile.
                    closeConnection();
                    if (backoff.failed()) {
                        LOG.warn("Checkpointing the SQLite log failed ({} attempts); retrying: {}", backoff.failures(), e.toString());
                    }
                }
            }
        } finally {
            closeConnection();
        }
    }

    private void checkpoint() throws SQLException {
        if (connection == null) {
            connection = source.getConnection();
        }
        try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(PASSIVE)");
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it was failing already
            }
            connection = null;
        }
    }

    /** Stops the thread, waiting for a checkpoint under way; the pools close after it. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            if (!thread.join(Duration.ofSeconds(5))) {
                // Harmless: it has a connection of its own, which it closes once the checkpoint ends.
                LOG.warn("A checkpoint of the SQLite log was still running 5 s after the stop began");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
