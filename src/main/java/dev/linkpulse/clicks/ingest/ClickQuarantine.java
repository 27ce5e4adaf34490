package dev.linkpulse.clicks.ingest;

import dev.linkpulse.clicks.Click;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a click the store keeps rejecting goes, so it no longer blocks the clicks behind it: one
 * JSON line per click in a file of the data directory, with the error, for an operator to read
 * (and, once the cause is fixed, to load again). Its IP is masked like any stored click's.
 */
public final class ClickQuarantine {

    /** One line of the file. */
    public record Entry(String quarantinedAt, String error, Click click) {}

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private final AtomicLong count = new AtomicLong();

    public ClickQuarantine(Path file) {
        this.file = file;
    }

    /** The quarantine next to a journal's directory: {@code quarantine-<journal name>.ndjson}. */
    public static ClickQuarantine besides(Path journalDir) {
        return new ClickQuarantine(journalDir.resolveSibling("quarantine-" + journalDir.getFileName() + ".ndjson"));
    }

    public Path file() {
        return file;
    }

    /** Clicks set aside by this process. */
    public long count() {
        return count.get();
    }

    /** The error and its causes, innermost last: the store's own words are what an operator needs. */
    static String describe(Throwable error) {
        StringBuilder out = new StringBuilder(String.valueOf(error));
        for (Throwable t = error == null ? null : error.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            out.append("; caused by ").append(t);
        }
        return out.toString();
    }

    /** Appends the click and forces it to disk; throws when the disk refuses (the caller keeps the click and retries). */
    public synchronized void add(Click click, Throwable error) {
        try {
            byte[] line = (JSON.writeValueAsString(new Entry(Instant.now().toString(), describe(error), click)) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            Files.createDirectories(file.getParent());
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer bytes = ByteBuffer.wrap(line);
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(false);
            }
            count.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the click quarantine " + file, e);
        }
    }
}
