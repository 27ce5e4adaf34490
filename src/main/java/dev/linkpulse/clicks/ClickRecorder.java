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
 * While storage fails the writer holds its batch and retries with backoff.
 *
 * <p>Nothing is dropped while the disk takes writes: when the writer is behind (or the store is
 * down) the enricher appends its enriched batches to the {@link ClickJournal} instead of waiting,
 * and when the in-memory queue is full the redirect's events go to a third thread that journals
 * them raw (IP sealed). The writer replays the journal whenever it has nothing fresher to store.
 * On close everything in memory is stored, or journaled when the store does not answer in time.
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
    public record Stats(int queued, long stored, long overflowed, long failedWrites, boolean storageFailing, long journaled,
            boolean journalFailing) {}

    /** Raw events waiting for the journal thread, at most this many (beyond, clicks are lost and counted). */
    static final int SPILL_CAPACITY = 1_000_000;

    private final ConcurrentLinkedQueue<ClickEvent> queue = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<List<Click>> enriched = new ArrayBlockingQueue<>(2);
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong overflowed = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private final ConcurrentLinkedQueue<ClickEvent> spill = new ConcurrentLinkedQueue<>();
    private final AtomicInteger spilled = new AtomicInteger();
    private volatile boolean storageFailing;
    private volatile boolean journalFailing;
    private volatile boolean enrichGaveUp;
    private volatile boolean running = true;
    private volatile long closeDeadline = Long.MAX_VALUE;

    private final ClickEnricher enricher;
    private final ClickStore store;
    private final Settings settings;
    private final Consumer<Set<String>> onStored;
    private final ClickJournal journal;
    private final Thread enrichThread;
    private final Thread writeThread;
    private final Thread journalThread;

    public ClickRecorder(ClickEnricher enricher, ClickStore store, ClickJournal journal, Settings settings) {
        this(enricher, store, journal, settings, workspaces -> {});
    }

    /** {@code onStored} hears, after each commit, which workspaces got new clicks. */
    public ClickRecorder(ClickEnricher enricher, ClickStore store, ClickJournal journal, Settings settings,
            Consumer<Set<String>> onStored) {
        this.enricher = enricher;
        this.store = store;
        this.journal = journal;
        this.settings = settings;
        this.onStored = onStored;
        this.enrichThread = Thread.ofPlatform().name("click-enricher").start(this::enrichLoop);
        this.writeThread = Thread.ofPlatform().name("click-writer").start(this::writeLoop);
        this.journalThread = Thread.ofPlatform().name("click-journal").start(this::journalLoop);
    }

    /**
     * Takes a click; never blocks. Beyond the queue's capacity the click goes to the journal.
     * Returns false only when that is full too (the click is lost and counted).
     */
    public boolean offer(ClickEvent event) {
        if (queued.incrementAndGet() > settings.capacity()) {
            queued.decrementAndGet();
            if (spilled.incrementAndGet() > SPILL_CAPACITY) {
                spilled.decrementAndGet();
                if (overflowed.getAndIncrement() % 10_000 == 0) {
                    LOG.warn("Click queue and journal backlog full: clicks are being lost");
                }
                return false;
            }
            spill.offer(event);
            return true;
        }
        queue.offer(event);
        return true;
    }

    public Stats stats() {
        return new Stats(queued.get() + spilled.get(), stored.get(), overflowed.get(), failedWrites.get(), storageFailing,
                journal.pending(), journalFailing);
    }

    /** Writes events that found the queue full to the journal, in groups, each forced to disk. */
    private void journalLoop() {
        List<ClickEvent> group = new ArrayList<>();
        while (true) {
            ClickEvent e;
            while (group.size() < settings.batchSize() && (e = spill.poll()) != null) {
                group.add(e);
            }
            if (group.isEmpty()) {
                if (!running && enrichThread.getState() == Thread.State.TERMINATED) {
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                continue;
            }
            if (journalRetrying(() -> journal.appendEvents(group))) {
                spilled.addAndGet(-group.size());
                group.clear();
            } else {
                return;
            }
        }
    }

    /** Runs a journal write, retrying while the disk refuses it (full, read-only); false when closing gave up. */
    private boolean journalRetrying(Runnable write) {
        int failures = 0;
        while (true) {
            try {
                write.run();
                journalFailing = false;
                return true;
            } catch (RuntimeException e) {
                journalFailing = true;
                failures++;
                if (failures == 1 || failures % 20 == 0) {
                    LOG.error("Writing the click journal failed ({} attempts); retrying: {}", failures, e.toString());
                }
                if (!running && System.nanoTime() > closeDeadline) {
                    return false;
                }
                LockSupport.parkNanos(backoffNanos(failures));
            }
        }
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
                List<Click> batch = enrichRetrying(events);
                if (batch == null) {
                    toJournal(() -> journal.appendEvents(events), events.size());
                } else if (!enriched.offer(batch, settings.flushInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    // The writer is behind or the store is down: the batch waits on disk, not here.
                    toJournal(() -> journal.appendClicks(batch), batch.size());
                }
            }
            enriched.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        try {
            while (true) {
                List<Click> batch = enriched.poll(settings.flushInterval().toMillis(), TimeUnit.MILLISECONDS);
                if (batch == END) {
                    spillAtClose();
                    return;
                }
                if (batch != null) {
                    if (!storeRetrying(batch)) {
                        toJournal(() -> journal.appendClicks(batch), batch.size());
                        spillAtClose();
                        return;
                    }
                } else if (journal.pending() > 0 && queued.get() < settings.capacity() / 2) {
                    replayOldestSegment();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stores the journal's oldest segment and deletes it. Raw events in it go back into the queue
     * (they still need enriching); stored clicks already in the store are skipped by their ids.
     */
    private void replayOldestSegment() {
        ClickJournal.Segment segment;
        try {
            segment = journal.takeOldest().orElse(null);
        } catch (RuntimeException e) {
            journalFailing = true;
            LOG.error("Reading the click journal failed: {}", e.toString());
            return;
        }
        if (segment == null) {
            return;
        }
        List<Click> clicks = segment.clicks();
        for (int from = 0; from < clicks.size(); from += settings.batchSize()) {
            List<Click> part = clicks.subList(from, Math.min(clicks.size(), from + settings.batchSize()));
            queued.addAndGet(part.size()); // storeRetrying counts them out again
            if (!storeRetrying(part)) {
                queued.addAndGet(-part.size());
                return; // closing with the store down: the segment stays for the next start
            }
        }
        for (ClickEvent e : segment.events()) {
            queued.incrementAndGet();
            queue.offer(e);
        }
        journal.done(segment);
    }

    /** Moves clicks held in memory to the journal; only a journal still refusing them past the close deadline loses them. */
    private void toJournal(Runnable write, int clicks) {
        if (!journalRetrying(write)) {
            LOG.error("Lost {} clicks: neither the store nor the journal took them at shutdown", clicks);
        }
        queued.addAndGet(-clicks);
    }

    /** At close, after the writer gave up: whatever the enricher still hands over goes to the journal. */
    private void spillAtClose() {
        List<Click> batch;
        while ((batch = enriched.poll()) != null && batch != END) {
            List<Click> held = batch;
            toJournal(() -> journal.appendClicks(held), held.size());
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

    /**
     * Enriches a batch; a storage failure on the way (the visitor salt lives in the store) is
     * retried. Null when closing and the store still fails: the events then go to the journal raw.
     */
    private List<Click> enrichRetrying(List<ClickEvent> events) {
        int failures = 0;
        while (!enrichGaveUp) {
            try {
                return enrich(events);
            } catch (JdbiException e) {
                failures++;
                storageFailing = true;
                if (failures == 1 || failures % 20 == 0) {
                    LOG.warn("Enriching {} clicks needs the store, which failed ({} attempts); retrying: {}",
                            events.size(), failures, e.toString());
                }
                if (!running && System.nanoTime() > closeDeadline) {
                    enrichGaveUp = true;
                    break;
                }
                LockSupport.parkNanos(backoffNanos(failures));
            }
        }
        return null;
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
            // Past the deadline every thread stops retrying the store and journals what it holds;
            // a store call in flight may still take its busy timeout (2 s) to fail, hence the margin.
            long margin = 5_000;
            writeThread.join(settings.closeTimeout().toMillis() + margin);
            enrichThread.join(margin);
            journalThread.join(margin);
            if (writeThread.isAlive() || enrichThread.isAlive()) {
                enrichThread.interrupt();
                writeThread.interrupt();
                enrichThread.join(1_000);
                writeThread.join(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Anything still in memory now goes to the journal raw (its IP sealed).
        List<ClickEvent> fromQueue = new ArrayList<>();
        List<ClickEvent> fromSpill = new ArrayList<>();
        ClickEvent e;
        while ((e = queue.poll()) != null) {
            fromQueue.add(e);
        }
        while ((e = spill.poll()) != null) {
            fromSpill.add(e);
        }
        if (!fromQueue.isEmpty() || !fromSpill.isEmpty()) {
            try {
                journal.appendEvents(fromQueue);
                journal.appendEvents(fromSpill);
                queued.addAndGet(-fromQueue.size());
                spilled.addAndGet(-fromSpill.size());
            } catch (RuntimeException ex) {
                LOG.error("Could not journal {} clicks at shutdown: {}", fromQueue.size() + fromSpill.size(), ex.toString());
            }
        }
        journal.close();
        int notStored = queued.get() + spilled.get();
        if (notStored > 0) {
            LOG.error("Recorder stopped with {} clicks neither stored nor journaled", notStored);
        }
    }
}
