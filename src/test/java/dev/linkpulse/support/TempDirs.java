package dev.linkpulse.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary directories the tests made, removed when done so runs do not fill the disk. */
public final class TempDirs {

    private TempDirs() {}

    /** Deletes a directory tree; tries again briefly while a process that is stopping still writes into it. */
    public static void delete(Path dir) {
        for (int attempt = 1; ; attempt++) {
            try {
                deleteOnce(dir);
                return;
            } catch (IOException e) {
                if (attempt == 5) {
                    throw new UncheckedIOException("cannot delete " + dir, e);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void deleteOnce(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) { // a file vanished under the walk
            throw e.getCause();
        }
    }
}
