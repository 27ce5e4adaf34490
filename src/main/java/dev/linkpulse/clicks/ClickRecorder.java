package dev.linkpulse.clicks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes clicks from the redirect without ever making it wait, and stores them in batches on one
 * writer thread: drain up to {@code batchSize} events, enrich them, write them in one transaction.
 * While storage fails the batch is held and retried with backoff; on close everything queued is
 * written before the thread ends.
 */
public final class ClickRecorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClickRecorder.class);

    /** Tuning of the recorder; the defaults suit one small machine. */
    public record Settings(int capacity, int batchSize, Duration flushInterval, Duration closeTimeout) {
        public static final Settings DEFAULT =
                new Settings(200_000, 1_000, Duration.ofMillis(50), Duration.ofSeconds(30));
    }

    /** What the recorder has done so far, for health and metrics. */
    public record Stats(int queued, long stored, long overflowed, long failedWrites, boolean storageFailing) {}

    private final ConcurrentLinkedQueue<ClickEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong overflowed = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private volatile boolean storageFailing;
    private volatile boolean running = true;
    private volatile long closeDeadline = Long.MAX_VALUE;

    private final ClickEnricher enricher;
    private final ClickStore store;
    private final Settings settings;
    private final Thread writer;

    public ClickRecorder(ClickEnricher enricher, ClickStore store, Settings settings) {
        this.enricher = enricher;
        this.store = store;
        this.settings = settings;
        this.writer = Thread.ofPlatform().name("click-recorder").unstarted(this::run);
        writer.start();
    }

    /** Queues a click; never blocks. Returns false only when the queue is full. */
    public boolean offer(ClickEvent event) {
        if (queued.incrementAndGet() > settings.capacity()) {
            queued.decrementAndGet();
            if (overflowed.getAndIncrement() % 10_000 == 0) {
                LOG.warn("Click queue full ({} events): clicks are being lost", settings.capacity());
            }
            return false;
        }
        queue.offer(event);
        return true;
    }

    public Stats stats() {
        return new Stats(queued.get(), stored.get(), overflowed.get(), failedWrites.get(), storageFailing);
    }

    private void run() {
        List<ClickEvent> pending = List.of();
        int failures = 0;
        while (true) {
            if (pending.isEmpty()) {
                pending = drain();
                if (pending.isEmpty()) {
                    if (!running) {
                        return;
                    }
                    LockSupport.parkNanos(settings.flushInterval().toNanos());
                    continue;
                }
            }
            try {
                store.insert(enrich(pending));
                stored.addAndGet(pending.size());
                queued.addAndGet(-pending.size());
                pending = List.of();
                failures = 0;
                storageFailing = false;
            } catch (JdbiException e) {
                failedWrites.incrementAndGet();
                storageFailing = true;
                failures++;
                if (failures == 1 || failures % 20 == 0) {
                    LOG.warn("Storing {} clicks failed ({} attempts), holding them and retrying: {}",
                            pending.size(), failures, e.toString());
                }
                if (!running && System.nanoTime() > closeDeadline) {
                    LOG.error("Giving up on {} clicks after {} attempts at shutdown", queued.get(), failures);
                    return;
                }
                LockSupport.parkNanos(backoffNanos(failures));
            }
        }
    }

    private List<ClickEvent> drain() {
        List<ClickEvent> batch = new ArrayList<>(Math.min(settings.batchSize(), Math.max(queued.get(), 1)));
        ClickEvent event;
        while (batch.size() < settings.batchSize() && (event = queue.poll()) != null) {
            batch.add(event);
        }
        return batch;
    }

    /** Enriches a batch; a storage failure (the visitor salt lives in the store) fails the whole attempt. */
    private List<Click> enrich(List<ClickEvent> events) {
        List<Click> clicks = new ArrayList<>(events.size());
        for (ClickEvent event : events) {
            try {
                clicks.add(enricher.enrich(event));
            } catch (JdbiException e) {
                throw e;
            } catch (RuntimeException e) {
                // A click we cannot enrich is still a click: this is a bug, but not one to lose data over.
                LOG.error("Enriching click {} failed; storing it unenriched", event.id(), e);
                clicks.add(Click.unenriched(event));
            }
        }
        return clicks;
    }

    private static long backoffNanos(int failures) {
        long millis = Math.min(5_000, 50L << Math.min(failures - 1, 7));
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** Stops taking clicks and returns once every queued click is stored (or the timeout passed). */
    @Override
    public void close() {
        closeDeadline = System.nanoTime() + settings.closeTimeout().toNanos();
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(settings.closeTimeout().toMillis() + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = queued.get();
        if (left > 0) {
            LOG.error("Recorder stopped with {} clicks not stored", left);
        }
    }
}
