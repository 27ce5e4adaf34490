package dev.linkpulse.clicks.ingest;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickEvent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The recorder's write-ahead log: append-only segment files of JSON lines in one directory. An
 * append is written before it returns (so it outlives the process) and forced to disk within
 * {@link #SYNC_INTERVAL_NANOS} by a background thread (so it outlives the machine). Every click is
 * appended raw as soon as it arrives, its IP sealed with a key that lives only in this process's
 * memory (so no full IP is ever written; a raw event replayed by a later process cannot open its
 * IP and is recorded without it). Enriched clicks (IP already masked) are appended when the store
 * does not take them at shutdown.
 *
 * <p>Each append of raw events is a group the recorder either keeps in memory (and later
 * {@link #release releases}, once stored) or leaves here to be replayed. A segment is deleted when
 * every group in it is released; one left by an earlier process, or holding groups that only live
 * here, is handed out by {@link #takeOldest} for replay. Replays are idempotent: the store skips
 * click ids it already holds. Used by the recorder's threads; every method is synchronized.
 */
public final class ClickJournal {

    /** Entries per segment: a replay reads one segment at a time. */
    static final int SEGMENT_ENTRIES = 20_000;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addMixIn(ClickEvent.class, WithoutFullIp.class)
            .build();

    /**
     * A raw event's line never holds its full IP, whatever the event carries: the IP is sealed
     * beside it ({@link Entry#sealedIp}). Read as before: no line ever held one.
     */
    @JsonIgnoreProperties(value = "clientIp", allowSetters = true)
    private interface WithoutFullIp {}
    /** Writes entries as JSON lines; a sequence writer serializes every entry of an append with one context. */
    private static final ObjectWriter LINES = JSON.writerFor(Entry.class).withRootValueSeparator("\n");

    /** One line of a segment: an enriched click, or a raw event with its IP sealed. */
    record Entry(Click click, ClickEvent event, String sealedIp, String keyId) {}

    /** Returned for groups that could not be written: nothing to release. */
    public static final long NOT_JOURNALED = -1;

    /** A segment handed out for replay; {@link #release} it once its clicks are safe. */
    public record Segment(long number, Path file, List<Click> clicks, List<ClickEvent> events) {}

    private static final String LOCK_FILE = ".lock";
    /** How often written entries are forced to disk: what a machine crash (not a process crash) may lose. */
    static final long SYNC_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Path dir;
    private final FileChannel lockChannel;
    private final IpSealer sealer = new IpSealer();
    private FileChannel active;
    private Path activePath;
    private int activeEntries;
    private long sequence;
    private boolean dirty;
    private volatile boolean closed;
    private final SegmentLedger ledger = new SegmentLedger();
    /** The text of the append being written, reused from append to append (see {@link #lines}). */
    private LineBuffer buffer = new LineBuffer();

    /** A journal of its own in {@code dir}, locked against other processes. */
    public ClickJournal(Path dir) {
        this(dir, false);
    }

    /**
     * The journal {@code journal-<name>} in a data directory that several processes may share. It
     * first takes over the journals of processes that ended without emptying theirs (a crash, or a
     * stop with the store down), so their clicks are replayed here: a journal whose lock nobody
     * holds belongs to no running process.
     */
    public static ClickJournal inDataDir(Path dataDir, String name) {
        return new ClickJournal(dataDir.resolve("journal-" + name), true);
    }

    private ClickJournal(Path dir, boolean adoptOrphans) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            this.lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (tryLock(lockChannel) == null) {
                lockChannel.close();
                throw new IllegalStateException("the click journal " + dir + " is in use by another process");
            }
            for (Path p : segments()) {
                sequence = Math.max(sequence, sequenceOf(p));
            }
            if (adoptOrphans) {
                adoptOrphans();
            }
            for (Path p : segments()) { // left by an earlier process: replay them
                try (Stream<String> lines = Files.lines(p)) {
                    ledger.found(sequenceOf(p), (int) lines.filter(l -> !l.isBlank()).count());
                }
            }
            Thread.ofPlatform().name("click-journal-sync").daemon().start(this::syncLoop);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the click journal in " + dir, e);
        }
    }

    /** Moves the segments of every unlocked sibling journal into this one and removes it. */
    private void adoptOrphans() throws IOException {
        List<Path> siblings;
        try (Stream<Path> dirs = Files.list(dir.getParent())) {
            siblings = dirs.filter(Files::isDirectory)
                    .filter(d -> d.getFileName().toString().startsWith("journal-") && !d.equals(dir)).sorted().toList();
        }
        for (Path other : siblings) {
            try (FileChannel channel = FileChannel.open(other.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                if (tryLock(channel) == null) {
                    continue; // a running process owns it
                }
                List<Path> orphans;
                try (Stream<Path> files = Files.list(other)) {
                    orphans = files.filter(ClickJournal::isSegment).sorted().toList();
                }
                for (Path segment : orphans) {
                    Files.move(segment, pathOf(++sequence), StandardCopyOption.ATOMIC_MOVE);
                }
                Files.delete(other.resolve(LOCK_FILE));
            }
            try {
                Files.delete(other);
            } catch (DirectoryNotEmptyException stray) {
                // a file we do not know stays where it is
            }
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldHere) {
            return null;
        }
    }

    /** The journal's directory. */
    public Path dir() {
        return dir;
    }

    /** Entries that live only on disk: in segments waiting for replay (not in the recorder's memory). */
    public synchronized long pending() {
        return ledger.pending();
    }

    /** Appends enriched clicks the store did not take; they wait here for replay. */
    public synchronized void appendClicks(List<Click> clicks) {
        List<Entry> entries = new ArrayList<>(clicks.size());
        clicks.forEach(c -> entries.add(new Entry(c, null, null, null)));
        long segment = append(entries);
        if (segment != NOT_JOURNALED) {
            ledger.needsReplay(segment);
        }
    }

    /**
     * Appends raw events as one group and returns its segment, to {@link #release} once the group is
     * safe. With {@code kept} false the recorder does not keep them in memory: they wait here for replay.
     */
    public synchronized long appendEvents(List<ClickEvent> events, boolean kept) {
        List<Entry> entries = new ArrayList<>(events.size());
        for (ClickEvent e : events) {
            // What the IP gives is written instead of the IP when it is complete (visitor hash
            // included): then any process replays the click with the same identity. Otherwise the IP
            // is sealed, and only this process can use it.
            boolean derived = e.derived() != null && e.derived().visitorHash() != null;
            String sealed = e.clientIp() == null || derived ? null : sealer.seal(e.clientIp());
            entries.add(new Entry(null, e, sealed, sealed == null ? null : sealer.keyId()));
        }
        long segment = append(entries);
        if (segment != NOT_JOURNALED) {
            if (kept) {
                ledger.hold(segment);
            } else {
                ledger.needsReplay(segment);
            }
        }
        return segment;
    }

    /** Holds a segment handed out for replay once more, for a group of its events going back into memory. */
    public synchronized void hold(long segment) {
        ledger.hold(segment);
    }

    /**
     * A segment handed out by {@link #takeOldest} is in the recorder's hands now (its clicks stored,
     * its events counted in memory and each group {@link #hold held}); {@code safe} false when
     * storing its clicks failed at shutdown and it must be replayed again.
     */
    public synchronized void handedOver(long segment, boolean safe) {
        if (ledger.handedOver(segment, safe)) {
            delete(segment);
        }
    }

    /**
     * One group of a segment is done with: {@code safe} when its
     * clicks are stored or journaled again, false when they were not and must be replayed from here.
     */
    public synchronized void release(long segment, boolean safe) {
        if (ledger.release(segment, safe)) {
            delete(segment);
        }
    }

    /**
     * Deletes a segment every click of which is safe. When the disk refuses, the segment stays
     * known as settled (never replayed, never counted as pending) and {@link #deleteSettled} tries
     * again; a later process that finds it replays it harmlessly (click ids are idempotent).
     */
    private void delete(long segment) {
        try {
            if (segment == sequence && active != null) {
                closeActive(false);
            }
            Files.deleteIfExists(pathOf(segment));
            ledger.forget(segment);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete journal segment " + segment, e);
        }
    }

    /** Retries deleting the segments whose clicks are all safe; throws while the disk still refuses. */
    public synchronized void deleteSettled() {
        for (long segment : ledger.settled()) {
            if (!(segment == sequence && active != null)) {
                delete(segment);
            }
        }
    }

    /**
     * Checks that the journal's directory takes writes again (a small file written, forced and
     * deleted), so a recorder can say so without waiting for the next click.
     */
    public synchronized void probe() {
        Path probe = dir.resolve(".probe");
        try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            writeFully(channel, ByteBuffer.wrap(new byte[] {'\n'}));
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("the click journal in " + dir + " still refuses writes", e);
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // the next probe truncates it
            }
        }
    }

    /** Appends and forces the entries; returns their segment. */
    private long append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return NOT_JOURNALED;
        }
        try {
            ByteBuffer text = lines(entries);
            if (active == null || activeEntries >= SEGMENT_ENTRIES) {
                rotate();
            }
            try {
                writeFully(active, text);
            } finally {
                releaseLargeBuffer();
            }
            dirty = true;
            activeEntries += entries.size();
            ledger.appended(sequence, entries.size());
            return sequence;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the click journal in " + dir, e);
        }
    }

    private void rotate() throws IOException {
        closeActive();
        activePath = pathOf(++sequence);
        active = FileChannel.open(activePath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        activeEntries = 0;
        ledger.opened(sequence);
    }

    private Path pathOf(long segment) {
        return dir.resolve("segment-%012d.ndjson".formatted(segment));
    }

    /** Closes the segment being written, forcing it to disk unless it is about to be deleted. */
    private void closeActive() throws IOException {
        closeActive(true);
    }

    private void closeActive(boolean force) throws IOException {
        if (active != null) {
            if (force && dirty) {
                active.force(false);
            }
            dirty = false;
            active.close();
            active = null;
            activePath = null;
        }
    }

    /**
     * The oldest segment waiting for replay that nothing in memory still needs (closing it if it is
     * the one being written), or empty. It stays on disk, held, until {@link #release}d.
     */
    public synchronized Optional<Segment> takeOldest() {
        try {
            for (Path p : segments()) {
                long number = sequenceOf(p);
                if (!ledger.replayable(number)) {
                    continue;
                }
                if (p.equals(activePath)) {
                    closeActive();
                }
                List<Click> clicks = new ArrayList<>();
                List<ClickEvent> events = new ArrayList<>();
                for (Entry e : read(p)) {
                    if (e.click() != null) {
                        clicks.add(e.click());
                    } else if (e.event() != null) {
                        events.add(unseal(e));
                    }
                }
                ledger.takenForReplay(number, clicks.size() + events.size());
                return Optional.of(new Segment(number, p, clicks, events));
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the click journal in " + dir, e);
        }
    }

    /** Erases every journaled click of a deleted link (segments are rewritten without them). */
    public synchronized void purgeLink(String linkId) {
        try {
            closeActive();
            for (Path p : segments()) {
                List<Entry> entries = read(p);
                List<Entry> kept = entries.stream()
                        .filter(e -> !linkId.equals(e.click() != null ? e.click().linkId() : e.event().linkId()))
                        .toList();
                if (kept.size() == entries.size()) {
                    continue;
                }
                Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
                try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
                    writeFully(out, lines(kept));
                    releaseLargeBuffer();
                    out.force(false);
                }
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                ledger.purged(sequenceOf(p), entries.size() - kept.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot purge the click journal in " + dir, e);
        }
    }

    public synchronized void close() {
        closed = true;
        try {
            closeActive();
            lockChannel.close(); // releases the lock
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes every byte: once this returns, the data outlives the process (not yet the machine). */
    private static void writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /**
     * Forces what was written to the segment being written to disk. Outside the lock, so a slow
     * disk never holds up appends: a killed process loses nothing written, and this bounds what a
     * crash of the machine can lose.
     */
    void sync() {
        FileChannel channel;
        synchronized (this) {
            if (!dirty || active == null) {
                return;
            }
            channel = active;
            dirty = false;
        }
        try {
            channel.force(false);
        } catch (ClosedChannelException closed) {
            // rotated or deleted meanwhile: a rotated segment was forced as it closed
        } catch (IOException e) {
            synchronized (this) {
                dirty = true;
            }
            throw new UncheckedIOException("cannot force the click journal in " + dir, e);
        }
    }

    private void syncLoop() {
        while (!closed) {
            try {
                sync();
            } catch (UncheckedIOException e) {
                // the next append reports a failing disk; keep trying
            }
            LockSupport.parkNanos(SYNC_INTERVAL_NANOS);
        }
    }

    /**
     * Entries as JSON lines, UTF-8, each ended by a newline. The text is written into the journal's
     * buffer and returned as a view of it, valid until the next call: appends come one at a time
     * (every caller holds the lock), so each click's line costs no array of its own.
     */
    private ByteBuffer lines(List<Entry> entries) throws IOException {
        buffer.reset();
        try (SequenceWriter json = LINES.writeValues(buffer)) {
            for (Entry e : entries) {
                json.write(e);
            }
        }
        buffer.write('\n');
        return buffer.contents();
    }

    /** After an unusually large append (a shutdown's clicks, a purge), the buffer is not kept at that size. */
    private void releaseLargeBuffer() {
        if (buffer.capacity() > LineBuffer.LARGEST_KEPT) {
            buffer = new LineBuffer();
        }
    }

    /** A byte array stream whose contents are read without a copy. */
    private static final class LineBuffer extends ByteArrayOutputStream {
        /** Bytes: a group of a few thousand clicks fits. */
        static final int LARGEST_KEPT = 4 << 20;

        LineBuffer() {
            super(64 << 10);
        }

        ByteBuffer contents() {
            return ByteBuffer.wrap(buf, 0, count);
        }

        int capacity() {
            return buf.length;
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(ClickJournal::isSegment).sorted().toList();
        }
    }

    private static boolean isSegment(Path p) {
        return p.getFileName().toString().matches("segment-\\d{12}\\.ndjson");
    }

    private static long sequenceOf(Path p) {
        String name = p.getFileName().toString();
        return Long.parseLong(name.substring("segment-".length(), name.length() - ".ndjson".length()));
    }

    /** The entries of a segment; a line cut short by a crash mid-write is skipped. */
    private static List<Entry> read(Path p) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(JSON.readValue(line, Entry.class));
                } catch (IOException torn) {
                    // Only the last append can be torn, and it was never acknowledged as stored.
                }
            }
        }
        return out;
    }

    /** The event with its IP back, when this process sealed it; without an IP otherwise. */
    private ClickEvent unseal(Entry e) {
        return e.event().withIp(sealer.unseal(e.sealedIp(), e.keyId()).orElse(null));
    }
}
