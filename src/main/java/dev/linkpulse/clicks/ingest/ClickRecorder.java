package dev.linkpulse.clicks.ingest;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickEnricher;
import dev.linkpulse.clicks.ClickEvent;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.common.Backoff;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import dev.linkpulse.store.SqlErrors;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes clicks from the redirect without ever making it wait, puts them on disk at once and stores
 * them in batches. Three threads form a pipeline: the journal thread appends what arrived to the
 * {@link ClickJournal} every few milliseconds (with what needs the full IP derived first, or the IP
 * sealed when it cannot be; a background thread forces it to disk every 10 ms), so a crash of the
 * process loses at most that interval; the enricher enriches; the writer stores the batches
 * waiting for it in one transaction and then lets the journal delete them. While storage fails
 * the writer holds its batch and retries with backoff.
 *
 * <p>Memory holds at most {@code capacity} clicks; beyond, they stay in the journal only and the
 * writer replays them whenever it has nothing fresher to store, as it does for segments left by an
 * earlier process. On close everything in memory is stored, or stays in the journal when the store
 * does not answer in time.
 */
public final class ClickRecorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClickRecorder.class);
    /** How long the journal thread waits for more clicks: with the write and its fsync, the crash window. */
    static final long JOURNAL_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** Clicks waiting for the journal thread, at most this many (beyond, clicks are lost and counted). */
    static final int INTAKE_CAPACITY = 1_000_000;

    /**
     * Tuning of the recorder; the defaults suit one small machine. A batch, and a transaction, grows
     * to 2,000 clicks only when the writer is behind: bigger transactions share the pages they write
     * (docs/PERFORMANCE.md), but their rollup changes are gathered in memory, and with 1,000,000
     * links cached in a 336 MB heap 5,000 made the collector run back to back and 30,000 ran it out
     * of memory. 25 batches in memory keep the enricher and writer fed; a longer backlog waits in
     * the journal, where it costs no heap.
     */
    public record Settings(int capacity, int batchSize, Duration flushInterval, Duration closeTimeout) {
        /**
         * {@code closeTimeout} 20 s: with the margin of {@link #close} ({@code CLOSE_MARGIN}, 4 s, and about
         * a second for its threads to end) and the rest of the server's stop, SIGTERM ends within
         * 30 s (docs/RELIABILITY.md); a watchdog halts the process at 29 s whatever hangs.
         */
        public static final Settings DEFAULT =
                new Settings(50_000, 2_000, Duration.ofMillis(50), Duration.ofSeconds(20));
    }

    /**
     * How long {@link #close} waits past the close timeout: a store call in flight when the threads
     * stop retrying may still take its lock wait (2 s) or connection timeout (3 s) to fail.
     */
    static final Duration CLOSE_MARGIN = Duration.ofSeconds(4);

    /** What the recorder has done so far, for health and metrics. */
    public record Stats(int queued, long stored, long overflowed, long failedWrites, boolean storageFailing, long journaled,
            boolean journalFailing, boolean enricherFailing, long quarantined) {}

    /** Events in memory and the journal segment to release once they are safe. */
    private record Group(List<ClickEvent> events, long segment) {}

    /** Enriched clicks and the journal segments of the groups they came from, one entry per group. */
    private record Enriched(List<Click> clicks, long[] segments) {}

    private static final Group NO_MORE_GROUPS = new Group(List.of(), ClickJournal.NOT_JOURNALED);
    private static final Enriched NO_MORE_CLICKS = new Enriched(List.of(), new long[0]);

    // Metrics (issue 18): a LongAdder on the redirect path, the rest on the pipeline's threads.
    private final java.util.concurrent.atomic.LongAdder offered = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.AtomicLong journaledTotal = new java.util.concurrent.atomic.AtomicLong();
    private volatile java.util.function.LongConsumer batchNanos = nanos -> { };

    /** Clicks handed to the recorder since it started (taken or not). */
    public long offered() {
        return offered.sum();
    }

    /** Clicks written to the journal since the recorder started. */
    public long journaledTotal() {
        return journaledTotal.get();
    }

    /** Hears how long each committed batch took to store, in nanoseconds. */
    public void onBatchStored(java.util.function.LongConsumer listener) {
        this.batchNanos = listener;
    }

    private final ConcurrentLinkedQueue<ClickEvent> intake = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inIntake = new AtomicInteger();
    private final BlockingQueue<Group> groups = new LinkedBlockingQueue<>();
    private final BlockingQueue<Enriched> enriched = new ArrayBlockingQueue<>(2);
    /** Clicks in memory past the journal thread: in groups, being enriched, or waiting to be stored. */
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong overflowed = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private volatile boolean storageFailing;
    /** Appending to the journal fails (the journal thread); cleared by the next append or probe that works. */
    private volatile boolean journalFailing;
    /** Handing a replayed segment over or deleting a stored one fails (the writer); cleared once it works. */
    private volatile boolean handOverFailing;
    private volatile boolean enricherFailing;
    private volatile boolean running = true;
    private volatile long closeDeadline = Long.MAX_VALUE;

    private final ClickEnricher enricher;
    private final ClickStore store;
    private final Settings settings;
    private final Consumer<Set<String>> onStored;
    private final ClickJournal journal;
    private final ClickQuarantine quarantine;
    private final Thread journalThread;
    private final Thread enrichThread;
    private final Thread writeThread;

    public ClickRecorder(ClickEnricher enricher, ClickStore store, ClickJournal journal, Settings settings) {
        this(enricher, store, journal, settings, workspaces -> {});
    }

    /** {@code onStored} hears, after each commit, which workspaces got new clicks. */
    public ClickRecorder(ClickEnricher enricher, ClickStore store, ClickJournal journal, Settings settings,
            Consumer<Set<String>> onStored) {
        this(enricher, store, journal, ClickQuarantine.besides(journal.dir()), settings, onStored);
    }

    /** {@code quarantine} takes the clicks the store keeps rejecting. */
    public ClickRecorder(ClickEnricher enricher, ClickStore store, ClickJournal journal, ClickQuarantine quarantine, Settings settings,
            Consumer<Set<String>> onStored) {
        this.quarantine = quarantine;
        this.enricher = enricher;
        this.store = store;
        this.journal = journal;
        this.settings = settings;
        this.onStored = onStored;
        this.journalThread = Thread.ofPlatform().name("click-journal").start(this::journalLoop);
        this.enrichThread = Thread.ofPlatform().name("click-enricher").start(this::enrichLoop);
        this.writeThread = Thread.ofPlatform().name("click-writer").start(this::writeLoop);
    }

    /** Takes a click; never blocks. Returns false only when the journal cannot keep up either (the click is lost and counted). */
    public boolean offer(ClickEvent event) {
        offered.increment();
        if (inIntake.incrementAndGet() > INTAKE_CAPACITY) {
            inIntake.decrementAndGet();
            if (overflowed.getAndIncrement() % 10_000 == 0) {
                LOG.warn("Click journal backlog full: clicks are being lost");
            }
            return false;
        }
        intake.offer(event);
        return true;
    }

    /**
     * Read in the order clicks move (intake, then journal, then memory; each move adds to the next
     * place before it takes from the last), so a click on its way is counted twice at worst, never
     * missed: "nothing queued, nothing journaled" means the recorder is idle.
     */
    public Stats stats() {
        int intake = inIntake.get();
        long journaled = journal.pending();
        int inMemory = queued.get();
        // A thread of the pipeline that ended while running (an error nobody expected) stores nothing
        // more: health must say so rather than look idle.
        boolean stopped = running && !(journalThread.isAlive() && enrichThread.isAlive() && writeThread.isAlive());
        return new Stats(intake + inMemory, stored.get(), overflowed.get(), failedWrites.get(), storageFailing || stopped, journaled,
                journalFailing || handOverFailing, enricherFailing, quarantine.count());
    }

    /** True when more clicks wait than one batch: the writer has a backlog. */
    public boolean behind() {
        return queued.get() > settings.batchSize() || journal.pending() > 0;
    }

    /**
     * Appends what arrived to the journal as one group and hands it on, or leaves it there for replay
     * when memory is full. While the disk refuses writes, groups go on unjournaled as long as memory
     * has room (health says so); when it has none they wait here.
     */
    private void journalLoop() {
        List<ClickEvent> group = new ArrayList<>();
        Backoff backoff = new Backoff();
        long nextProbe = System.nanoTime(); // nanoTime may be negative: compare differences only
        while (true) {
            ClickEvent e;
            while (group.size() < settings.batchSize() && (e = intake.poll()) != null) {
                group.add(e);
            }
            if (group.isEmpty()) {
                if (!running) {
                    groups.add(NO_MORE_GROUPS);
                    return;
                }
                if (journalFailing && System.nanoTime() - nextProbe >= 0) {
                    // No click may come for a long time: health must clear as soon as the disk takes
                    // writes again, not at the next click.
                    nextProbe = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(50, backoff.delayMillis()));
                    try {
                        journal.probe();
                        journalFailing = false;
                        backoff.succeeded();
                    } catch (RuntimeException ex) {
                        backoff.failed();
                    }
                }
                LockSupport.parkNanos(JOURNAL_INTERVAL_NANOS);
                continue;
            }
            try {
                identify(group);
            } catch (Error ex) {
                // Delivered after the click it concerns: a fault reading a memory-mapped file surfaces
                // at the next safepoint, which may lie outside identify's per-click catch. The clicks
                // not derived yet keep their (sealed) IP for the enricher; this thread must not end.
                LOG.warn("Deriving the visitors of {} clicks failed; the enricher tries again: {}", group.size(), ex.toString());
            }
            boolean kept = queued.get() + group.size() <= settings.capacity();
            long segment;
            try {
                segment = journal.appendEvents(group, kept);
                journaledTotal.addAndGet(group.size());
                journalFailing = false;
                backoff.succeeded();
            } catch (RuntimeException ex) {
                journalFailing = true;
                if (backoff.failed()) {
                    LOG.error("Writing the click journal failed ({} attempts): {}", backoff.failures(), ex.toString());
                }
                if (!kept && !(closing() && System.nanoTime() > closeDeadline)) {
                    backoff.pause();
                    continue; // memory is full too: the group waits for the disk
                }
                kept = true;
                segment = ClickJournal.NOT_JOURNALED;
            }
            if (kept) {
                queued.addAndGet(group.size());
                groups.add(new Group(group, segment));
            }
            inIntake.addAndGet(-group.size());
            group = new ArrayList<>();
        }
    }

    /**
     * Derives what needs the full IP before the group is journaled, so the journal can keep that
     * instead of the IP. A click it fails for keeps its IP (sealed) and is derived by the enricher.
     */
    private void identify(List<ClickEvent> group) {
        for (int i = 0; i < group.size(); i++) {
            try {
                group.set(i, enricher.identify(group.get(i)));
            } catch (RuntimeException | Error e) {
                LOG.warn("Deriving the visitor of click {} failed; the enricher tries again: {}", group.get(i).id(), e.toString());
            }
        }
    }

    private boolean closing() {
        return !running;
    }

    /** Enriches the groups waiting, up to a batch, and hands them to the writer. */
    private void enrichLoop() {
        try {
            boolean ended = false;
            while (!ended) {
                Group first = groups.poll(settings.flushInterval().toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Group> taken = new ArrayList<>();
                int size = 0;
                for (Group g = first; g != null; g = size < settings.batchSize() ? groups.poll() : null) {
                    if (g == NO_MORE_GROUPS) {
                        ended = true;
                        break;
                    }
                    taken.add(g);
                    size += g.events().size();
                }
                if (!taken.isEmpty()) {
                    hand(taken, size);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                while (writeThread.isAlive() && !enriched.offer(NO_MORE_CLICKS, 50, TimeUnit.MILLISECONDS)) {
                    // the writer is storing; it ends when it takes this
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void hand(List<Group> taken, int size) throws InterruptedException {
        List<ClickEvent> events = new ArrayList<>(size);
        long[] segments = new long[taken.size()];
        for (int i = 0; i < taken.size(); i++) {
            events.addAll(taken.get(i).events());
            segments[i] = taken.get(i).segment();
        }
        List<Click> clicks = enrichRetrying(events);
        if (clicks == null) { // closing with the store down: the events wait in the journal
            release(segments, false);
            queued.addAndGet(-size);
            return;
        }
        Enriched batch = new Enriched(clicks, segments);
        while (!enriched.offer(batch, settings.flushInterval().toMillis(), TimeUnit.MILLISECONDS)) {
            if (!writeThread.isAlive()) { // the writer gave up at close
                journalEnriched(batch);
                return;
            }
        }
    }

    private void writeLoop() {
        try {
            boolean ended = false;
            while (!ended) {
                Enriched first = enriched.poll(settings.flushInterval().toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (handOverFailing) {
                        retryHandOver();
                    }
                    if (!closing() && journal.pending() > 0 && queued.get() < settings.capacity() / 2) {
                        replayOldestSegment();
                    }
                    continue;
                }
                // Group commit: what queued up during the last transaction goes in one, so a click waits
                // for at most the transaction in flight and its own; up to a batch, because a
                // transaction's rollup changes are gathered in memory first.
                List<Enriched> batches = new ArrayList<>(3);
                int size = 0;
                for (Enriched b = first; b != null; b = fitsInBatch(size, enriched.peek()) ? enriched.poll() : null) {
                    if (b == NO_MORE_CLICKS) {
                        ended = true;
                        break;
                    }
                    batches.add(b);
                    size += b.clicks().size();
                }
                if (!batches.isEmpty() && !store(batches)) {
                    return; // gave up at close; the enricher journals what it still holds
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True when {@code next} (the writer is the only taker of the queue) can join a transaction of {@code size} clicks. */
    private boolean fitsInBatch(int size, Enriched next) {
        return next != null && (next == NO_MORE_CLICKS || size + next.clicks().size() <= settings.batchSize());
    }

    /** Stores batches in one transaction; false when it gave up at close (they are then journaled enriched). */
    private boolean store(List<Enriched> batches) {
        List<Click> clicks = new ArrayList<>();
        batches.forEach(b -> clicks.addAll(b.clicks()));
        boolean stored = storeRetrying(clicks);
        for (Enriched b : batches) {
            if (stored) {
                release(b.segments(), true);
            } else {
                journalEnriched(b);
            }
        }
        return stored;
    }

    /**
     * Replays the journal's oldest waiting segment: its enriched clicks are stored, its raw events go
     * back into memory (they still need enriching); ids already in the store are skipped.
     */
    private void replayOldestSegment() {
        ClickJournal.Segment segment;
        try {
            segment = journal.takeOldest().orElse(null);
        } catch (RuntimeException e) {
            handOverFailed(e);
            return;
        }
        if (segment == null) {
            return;
        }
        // Counted in memory before the journal stops counting them, so health never shows them nowhere.
        List<Click> clicks = segment.clicks();
        List<ClickEvent> events = segment.events();
        queued.addAndGet(clicks.size() + events.size());
        for (int from = 0; from < clicks.size(); from += settings.batchSize()) {
            List<Click> part = clicks.subList(from, Math.min(clicks.size(), from + settings.batchSize()));
            if (!storeRetrying(part)) { // closing with the store down: replay next time
                queued.addAndGet(-(clicks.size() - from + events.size()));
                handOver(segment.number(), false);
                return;
            }
        }
        for (int from = 0; from < events.size(); from += settings.batchSize()) {
            List<ClickEvent> part = events.subList(from, Math.min(events.size(), from + settings.batchSize()));
            journal.hold(segment.number());
            groups.add(new Group(part, segment.number()));
        }
        handOver(segment.number(), true);
    }

    /**
     * Tells the journal a replayed segment is in memory now. Deleting a segment whose clicks are all
     * stored can fail (the disk refuses): the clicks are safe, so the writer goes on and deletes it
     * later ({@link #retryHandOver}); until then health says the journal is failing.
     */
    private void handOver(long segment, boolean safe) {
        try {
            journal.handedOver(segment, safe);
        } catch (RuntimeException e) {
            handOverFailed(e);
        }
    }

    private final Backoff handOverBackoff = new Backoff();
    private long nextHandOverTry;

    private synchronized void handOverFailed(RuntimeException e) {
        handOverFailing = true;
        if (handOverBackoff.failed()) {
            LOG.error("Handing over the click journal failed ({} attempts); retrying: {}", handOverBackoff.failures(), e.toString());
        }
        nextHandOverTry = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(handOverBackoff.delayMillis());
    }

    /** Deletes the segments whose deletion failed, with backoff; health clears once none is left. */
    private synchronized void retryHandOver() {
        if (System.nanoTime() - nextHandOverTry < 0) {
            return;
        }
        try {
            journal.deleteSettled();
            handOverFailing = false;
            handOverBackoff.succeeded();
        } catch (RuntimeException e) {
            handOverFailed(e);
        }
    }

    /** At close, when the store did not take a batch: its clicks go to the journal enriched, keeping their geolocation. */
    private void journalEnriched(Enriched batch) {
        boolean safe;
        try {
            journal.appendClicks(batch.clicks());
            safe = true;
        } catch (RuntimeException e) {
            safe = false; // the raw copy stays in the journal
            LOG.error("Journaling {} enriched clicks at shutdown failed: {}", batch.clicks().size(), e.toString());
        }
        release(batch.segments(), safe);
        queued.addAndGet(-batch.clicks().size());
    }

    /** The clicks of these groups are done with in memory; {@code safe} when stored or journaled again. */
    private void release(long[] segments, boolean safe) {
        for (long segment : segments) {
            if (segment != ClickJournal.NOT_JOURNALED) {
                try {
                    journal.release(segment, safe);
                } catch (RuntimeException e) {
                    handOverFailed(e);
                }
            }
        }
    }

    /** Tries before a batch whose enrichment keeps throwing an Error is enriched click by click. */
    static final int ENRICH_TRIES = 5;

    /**
     * Enriches a batch. A storage failure on the way (the visitor salt lives in the store) is retried
     * for as long as it lasts; an Error (a bug, or a heap too full just now) is retried a few times
     * and then the batch is enriched one click at a time, so only the click that causes it is
     * stored unenriched. Null when closing and the store still fails.
     */
    private List<Click> enrichRetrying(List<ClickEvent> events) {
        Backoff backoff = new Backoff();
        int errors = 0;
        while (true) {
            try {
                List<Click> clicks = enrich(events, errors >= ENRICH_TRIES);
                enricherFailing = false;
                return clicks;
            } catch (JdbiException e) {
                storageFailing = true;
                if (backoff.failed()) {
                    LOG.warn("Enriching {} clicks needs the store, which failed ({} attempts); retrying: {}",
                            events.size(), backoff.failures(), e.toString());
                }
            } catch (Error e) {
                errors++;
                enricherFailing = true;
                if (backoff.failed()) {
                    LOG.error("Enriching {} clicks failed with an error ({} attempts); retrying", events.size(), backoff.failures(), e);
                }
            }
            if (closing() && System.nanoTime() > closeDeadline) {
                return null;
            }
            backoff.pause();
        }
    }

    private List<Click> enrich(List<ClickEvent> events, boolean isolateErrors) {
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
            } catch (Error e) {
                if (!isolateErrors) {
                    throw e;
                }
                LOG.error("Enriching click {} failed with an error again; storing it unenriched", event.id(), e);
                clicks.add(Click.unenriched(event));
            }
        }
        return clicks;
    }

    /**
     * Tries before a batch the store rejects for its data (a constraint, a bad value: the same
     * failure every time) is split to find the click(s) at fault; a single click rejected that
     * often is quarantined. Outages and full disks never count: they are waited out.
     */
    static final int REJECTED_TRIES = 3;

    /** Stores a batch, retrying while storage fails; false when it gave up at shutdown. */
    private boolean storeRetrying(List<Click> batch) {
        Backoff backoff = new Backoff();
        int rejected = 0;
        while (true) {
            try {
                long started = System.nanoTime();
                store.insert(batch);
                batchNanos.accept(System.nanoTime() - started);
                stored.addAndGet(batch.size());
                queued.addAndGet(-batch.size());
                storageFailing = false;
                tellStored(batch);
                return true;
            } catch (RuntimeException | OutOfMemoryError e) {
                // Whatever the store or the rollups throw, and a heap too full for this transaction's
                // changes just now, is a failed write like any other: the clicks stay in the journal
                // and the writer tries again later, instead of ending and storing nothing more.
                failedWrites.incrementAndGet();
                storageFailing = true;
                if (backoff.failed()) {
                    LOG.warn("Storing {} clicks failed ({} attempts), holding them and retrying: {}",
                            batch.size(), backoff.failures(), e.toString());
                }
                if (closing() && System.nanoTime() > closeDeadline) {
                    LOG.error("Giving up on {} clicks after {} attempts at shutdown", batch.size(), backoff.failures());
                    return false;
                }
                rejected = SqlErrors.isRejectedData(e) ? rejected + 1 : 0;
                if (rejected >= REJECTED_TRIES) {
                    return isolate(batch, e);
                }
                backoff.pause();
            }
        }
    }

    /**
     * A batch the store keeps rejecting: halves are stored on their own, so one bad click never
     * holds the rest; a single click is quarantined. Finding one bad click among 2,000 takes about
     * eleven halvings of three quick tries each.
     */
    private boolean isolate(List<Click> batch, Throwable error) {
        if (batch.size() > 1) {
            int half = batch.size() / 2;
            LOG.warn("The store keeps rejecting a batch of {} clicks; storing its halves apart: {}", batch.size(), error.toString());
            List<Click> first = batch.subList(0, half);
            if (!storeRetrying(first)) {
                return false;
            }
            if (!storeRetrying(batch.subList(half, batch.size()))) {
                // Gave up at close: the caller counts the whole batch out of memory as it journals it.
                queued.addAndGet(first.size());
                return false;
            }
            return true;
        }
        Click click = batch.get(0);
        Backoff backoff = new Backoff();
        while (true) {
            try {
                quarantine.add(click, error);
                LOG.error("The store keeps rejecting click {}; set aside in {}: {}", click.id(), quarantine.file(), error.toString());
                queued.decrementAndGet();
                storageFailing = false;
                return true;
            } catch (RuntimeException e) {
                if (backoff.failed()) {
                    LOG.error("Quarantining click {} failed ({} attempts): {}", click.id(), backoff.failures(), e.toString());
                }
                if (closing() && System.nanoTime() > closeDeadline) {
                    return false;
                }
                backoff.pause();
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

    private static void join(Thread thread, long endNanos) throws InterruptedException {
        long left = endNanos - System.nanoTime();
        if (left > 0) {
            thread.join(Duration.ofNanos(left));
        }
    }

    /**
     * Stops taking clicks and returns once every click is stored, or (past the timeout, with the
     * store down) waits in the journal for the next start.
     */
    @Override
    public void close() {
        closeDeadline = System.nanoTime() + settings.closeTimeout().toNanos();
        running = false;
        // One deadline for the whole close, so it is bounded by closeTimeout + CLOSE_MARGIN + 1 s.
        long end = closeDeadline + CLOSE_MARGIN.toNanos();
        try {
            join(journalThread, end);
            join(writeThread, end);
            join(enrichThread, end);
            if (writeThread.isAlive() || enrichThread.isAlive() || journalThread.isAlive()) {
                LOG.warn("Recorder threads still busy at the close deadline; interrupting them");
                journalThread.interrupt();
                enrichThread.interrupt();
                writeThread.interrupt();
                enrichThread.join(500);
                writeThread.join(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // What no thread took any more: clicks offered after the journal thread ended go to the
        // journal for the next start; enriched clicks go there too; raw groups are there already.
        List<ClickEvent> late = new ArrayList<>();
        ClickEvent event;
        while ((event = intake.poll()) != null) {
            late.add(event);
        }
        if (!late.isEmpty()) {
            try {
                journal.appendEvents(late, false);
                inIntake.addAndGet(-late.size());
            } catch (RuntimeException ex) {
                LOG.error("Could not journal {} clicks at shutdown: {}", late.size(), ex.toString());
            }
        }
        Enriched e;
        while ((e = enriched.poll()) != null) {
            if (e != NO_MORE_CLICKS) {
                journalEnriched(e);
            }
        }
        Group g;
        while ((g = groups.poll()) != null) {
            if (g != NO_MORE_GROUPS) {
                release(new long[] {g.segment()}, false);
                queued.addAndGet(-g.events().size());
            }
        }
        journal.close();
        int notSafe = queued.get() + inIntake.get();
        if (notSafe > 0) {
            LOG.error("Recorder stopped with {} clicks neither stored nor journaled", notSafe);
        }
    }
}
