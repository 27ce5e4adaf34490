package dev.linkpulse.clicks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes clicks from the redirect without ever making it wait, and stores them in batches. Two
 * threads form a pipeline, so enrichment and storage overlap: the enricher drains up to
 * {@code batchSize} events and enriches them; the writer stores each batch in one transaction.
 * While storage fails the writer holds its batch and retries with backoff (and the enricher, with
 * at most two batches waiting, stops draining, so events wait in the queue). On close everything
 * queued is stored before the threads end.
 */
public final class ClickRecorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClickRecorder.class);
    /** Marks the end of the pipeline on close. */
    private static final List<Click> END = List.of();

    /** Tuning of the recorder; the defaults suit one small machine. */
    public record Settings(int capacity, int batchSize, Duration flushInterval, Duration closeTimeout) {
        public static final Settings DEFAULT =
                new Settings(200_000, 1_000, Duration.ofMillis(50), Duration.ofSeconds(30));
    }

    /** What the recorder has done so far, for health and metrics. */
    public record Stats(int queued, long stored, long overflowed, long failedWrites, boolean storageFailing) {}

    private final ConcurrentLinkedQueue<ClickEvent> queue = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<List<Click>> enriched = new ArrayBlockingQueue<>(2);
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
    private final Consumer<Set<String>> onStored;
    private final Thread enrichThread;
    private final Thread writeThread;

    public ClickRecorder(ClickEnricher enricher, ClickStore store, Settings settings) {
        this(enricher, store, settings, workspaces -> {});
    }

    /** {@code onStored} hears, after each commit, which workspaces got new clicks. */
    public ClickRecorder(ClickEnricher enricher, ClickStore store, Settings settings,
            Consumer<Set<String>> onStored) {
        this.enricher = enricher;
        this.store = store;
        this.settings = settings;
        this.onStored = onStored;
        this.enrichThread = Thread.ofPlatform().name("click-enricher").start(this::enrichLoop);
        this.writeThread = Thread.ofPlatform().name("click-writer").start(this::writeLoop);
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

    private void enrichLoop() {
        try {
            while (true) {
                List<ClickEvent> events = drain();
                if (events.isEmpty()) {
                    if (!running) {
                        break;
                    }
                    LockSupport.parkNanos(settings.flushInterval().toNanos());
                    continue;
                }
                enriched.put(enrichRetrying(events));
            }
            enriched.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        try {
            while (true) {
                List<Click> batch = enriched.take();
                if (batch == END) {
                    return;
                }
                if (!storeRetrying(batch)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    /** Enriches a batch; a storage failure on the way (the visitor salt lives in the store) is retried. */
    private List<Click> enrichRetrying(List<ClickEvent> events) {
        int failures = 0;
        while (true) {
            try {
                return enrich(events);
            } catch (JdbiException e) {
                failures++;
                storageFailing = true;
                if (failures == 1 || failures % 20 == 0) {
                    LOG.warn("Enriching {} clicks needs the store, which failed ({} attempts); retrying: {}",
                            events.size(), failures, e.toString());
                }
                LockSupport.parkNanos(backoffNanos(failures));
            }
        }
    }

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

    /** Stores a batch, retrying while storage fails; false when it gave up at shutdown. */
    private boolean storeRetrying(List<Click> batch) {
        int failures = 0;
        while (true) {
            try {
                store.insert(batch);
                stored.addAndGet(batch.size());
                queued.addAndGet(-batch.size());
                storageFailing = false;
                tellStored(batch);
                return true;
            } catch (JdbiException e) {
                failedWrites.incrementAndGet();
                storageFailing = true;
                failures++;
                if (failures == 1 || failures % 20 == 0) {
                    LOG.warn("Storing {} clicks failed ({} attempts), holding them and retrying: {}",
                            batch.size(), failures, e.toString());
                }
                if (!running && System.nanoTime() > closeDeadline) {
                    LOG.error("Giving up on {} clicks after {} attempts at shutdown", queued.get(), failures);
                    return false;
                }
                LockSupport.parkNanos(backoffNanos(failures));
            }
        }
    }

    private void tellStored(List<Click> batch) {
        Set<String> workspaces = new HashSet<>();
        batch.forEach(c -> workspaces.add(c.workspaceId()));
        try {
            onStored.accept(workspaces);
        } catch (RuntimeException e) {
            LOG.warn("A listener of stored clicks failed: {}", e.toString());
        }
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
        LockSupport.unpark(enrichThread);
        try {
            long waitMillis = settings.closeTimeout().toMillis() + 1_000;
            writeThread.join(waitMillis);
            if (writeThread.isAlive() || !queue.isEmpty()) {
                // The writer gave up: stop the enricher too, it may be blocked handing over a batch.
                enrichThread.interrupt();
                writeThread.interrupt();
            }
            enrichThread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = queued.get();
        if (left > 0) {
            LOG.error("Recorder stopped with {} clicks not stored", left);
        }
    }
}
