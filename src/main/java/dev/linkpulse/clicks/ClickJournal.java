package dev.linkpulse.clicks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Where clicks wait on disk when memory is full or the store is behind or down: append-only
 * segment files of JSON lines in one directory, each append forced to disk before it returns.
 * Stored clicks are enriched (their IP already masked); raw events, taken before enrichment, carry
 * their IP sealed with a key that lives only in this process's memory, so no full IP is ever
 * written. A raw event replayed by a later process cannot open its IP and is recorded without it.
 *
 * <p>Replays are idempotent: the store skips click ids it already holds. Used by the recorder's
 * threads; every method is synchronized.
 */
public final class ClickJournal {

    /** Entries per segment: a replay reads one segment at a time. */
    static final int SEGMENT_ENTRIES = 20_000;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One line of a segment: an enriched click, or a raw event with its IP sealed. */
    record Entry(Click click, ClickEvent event, String sealedIp, String keyId) {}

    /** A closed segment handed out for replay; {@link #done} deletes it once its clicks are safe. */
    public record Segment(Path file, List<Click> clicks, List<ClickEvent> events) {}

    private final Path dir;
    private final SecretKey key;
    private final String keyId;
    private FileChannel active;
    private Path activePath;
    private int activeEntries;
    private long sequence;
    private long pending;

    public ClickJournal(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, RANDOM);
            this.key = generator.generateKey();
            byte[] id = new byte[8];
            RANDOM.nextBytes(id);
            this.keyId = HexFormat.of().formatHex(id);
            for (Path p : segments()) {
                sequence = Math.max(sequence, sequenceOf(p));
                try (Stream<String> lines = Files.lines(p)) {
                    pending += lines.filter(l -> !l.isBlank()).count();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the click journal in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Entries on disk not yet handed out for replay, or handed out and not yet done. */
    public synchronized long pending() {
        return pending;
    }

    public synchronized void appendClicks(List<Click> clicks) {
        List<Entry> entries = new ArrayList<>(clicks.size());
        clicks.forEach(c -> entries.add(new Entry(c, null, null, null)));
        append(entries);
    }

    public synchronized void appendEvents(List<ClickEvent> events) {
        List<Entry> entries = new ArrayList<>(events.size());
        for (ClickEvent e : events) {
            ClickEvent withoutIp = new ClickEvent(e.id(), e.clickedAt(), e.linkId(), e.workspaceId(), e.destination(), null,
                    e.userAgent(), e.referrer(), e.utm());
            entries.add(new Entry(null, withoutIp, e.clientIp() == null ? null : seal(e.clientIp()), keyId));
        }
        append(entries);
    }

    private void append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            byte[] text = lines(entries);
            if (active == null || activeEntries >= SEGMENT_ENTRIES) {
                rotate();
            }
            writeFully(active, text);
            activeEntries += entries.size();
            pending += entries.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the click journal in " + dir, e);
        }
    }

    private void rotate() throws IOException {
        closeActive();
        activePath = dir.resolve("segment-%012d.ndjson".formatted(++sequence));
        active = FileChannel.open(activePath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        activeEntries = 0;
    }

    private void closeActive() throws IOException {
        if (active != null) {
            active.close();
            active = null;
            activePath = null;
        }
    }

    /** The oldest segment (closing the one being written if it is the only one), or empty. */
    public synchronized Optional<Segment> takeOldest() {
        try {
            List<Path> all = segments();
            if (all.isEmpty()) {
                return Optional.empty();
            }
            Path oldest = all.get(0);
            if (oldest.equals(activePath)) {
                closeActive();
            }
            List<Click> clicks = new ArrayList<>();
            List<ClickEvent> events = new ArrayList<>();
            for (Entry e : read(oldest)) {
                if (e.click() != null) {
                    clicks.add(e.click());
                } else if (e.event() != null) {
                    events.add(unseal(e));
                }
            }
            return Optional.of(new Segment(oldest, clicks, events));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the click journal in " + dir, e);
        }
    }

    /** Deletes a replayed segment: its clicks are stored or back in the recorder's hands. */
    public synchronized void done(Segment segment) {
        try {
            if (Files.deleteIfExists(segment.file())) {
                pending -= segment.clicks().size() + segment.events().size();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + segment.file(), e);
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
                }
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                pending -= entries.size() - kept.size();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot purge the click journal in " + dir, e);
        }
    }

    public synchronized void close() {
        try {
            closeActive();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes every byte and forces it to disk before returning. */
    private static void writeFully(FileChannel channel, byte[] data) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(data);
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(false);
    }

    /** Entries as JSON lines, UTF-8. */
    private static byte[] lines(List<Entry> entries) throws IOException {
        StringBuilder text = new StringBuilder(entries.size() * 600);
        for (Entry e : entries) {
            text.append(JSON.writeValueAsString(e)).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("segment-\\d{12}\\.ndjson")).sorted().toList();
        }
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

    private String seal(String ip) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(ip.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The event with its IP back, when this process sealed it; without an IP otherwise. */
    private ClickEvent unseal(Entry e) {
        ClickEvent ev = e.event();
        String ip = null;
        if (e.sealedIp() != null && keyId.equals(e.keyId())) {
            try {
                byte[] all = Base64.getDecoder().decode(e.sealedIp());
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
                ip = new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
            } catch (GeneralSecurityException | IllegalArgumentException ex) {
                ip = null;
            }
        }
        return new ClickEvent(ev.id(), ev.clickedAt(), ev.linkId(), ev.workspaceId(), ev.destination(), ip,
                ev.userAgent(), ev.referrer(), ev.utm());
    }
}
