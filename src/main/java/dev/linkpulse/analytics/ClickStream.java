package dev.linkpulse.analytics;

import dev.linkpulse.store.ChangeFeed;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes live-stream subscribers when clicks of their workspace were stored: by this process's
 * recorder directly, by other processes through the store's change feed. Subscribers then read
 * what is new from the store, so a wake-up carries no data and can never be lost in transit.
 */
public final class ClickStream implements AutoCloseable {

    static final String STORED_CLICKS = "linkpulse_clicks";

    /** One waiting subscriber. */
    static final class Waiter {
        private final Semaphore signal = new Semaphore(0);
        private volatile boolean closed;

        /** Waits for news or the timeout; true when woken before the timeout. */
        boolean await(long millis) throws InterruptedException {
            boolean woken = signal.tryAcquire(millis, TimeUnit.MILLISECONDS);
            signal.drainPermits();
            return woken;
        }

        void wake() {
            signal.release();
        }

        void close() {
            closed = true;
            signal.release();
        }

        boolean isClosed() {
            return closed;
        }
    }

    private final ConcurrentHashMap<String, Set<Waiter>> byWorkspace = new ConcurrentHashMap<>();
    private final ChangeFeed changes;
    private volatile boolean closed;

    public ClickStream(ChangeFeed changes) {
        this.changes = changes;
        changes.subscribe(STORED_CLICKS, this::wake, this::wakeAll);
    }

    /** Called by this process's recorder after a batch is committed. */
    public void stored(Collection<String> workspaceIds) {
        for (String ws : workspaceIds) {
            wake(ws);
            changes.publish(STORED_CLICKS, ws);
        }
    }

    Waiter subscribe(String workspaceId) {
        Waiter w = new Waiter();
        if (closed) {
            w.close();
        }
        byWorkspace.computeIfAbsent(workspaceId, k -> new CopyOnWriteArraySet<>()).add(w);
        return w;
    }

    void unsubscribe(String workspaceId, Waiter w) {
        Set<Waiter> set = byWorkspace.get(workspaceId);
        if (set != null) {
            set.remove(w);
        }
    }

    private void wake(String workspaceId) {
        Set<Waiter> set = byWorkspace.get(workspaceId);
        if (set != null) {
            set.forEach(Waiter::wake);
        }
    }

    private void wakeAll() {
        byWorkspace.values().forEach(set -> set.forEach(Waiter::wake));
    }

    /** Ends every open stream (at shutdown, before the HTTP server stops). */
    @Override
    public void close() {
        closed = true;
        byWorkspace.values().forEach(set -> set.forEach(Waiter::close));
    }
}
