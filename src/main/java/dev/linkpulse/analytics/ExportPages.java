package dev.linkpulse.analytics;

import dev.linkpulse.clicks.Click;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An export's pages, each read one ahead while the page before is written: the store's work (the
 * rows and their {@code is_unique}, three quarters of an export's time on SQLite) overlaps the
 * JSON's. One page is read ahead at most, and no read outlives the export: whatever ends it (the
 * last page, the client going away, a failure), the read under way is waited for first, so an
 * export's place among a workspace's few is given back only once it reads nothing more.
 *
 * <p>The read runs on a platform thread, not a virtual one: a page read on SQLite is native code,
 * which would hold a carrier thread of the virtual threads that serve redirects for its whole length.
 */
final class ExportPages {

    private ExportPages() {}

    /** A page, its clicks that are their visitor's first of the day, and where the next page starts (empty after the last). */
    record Page<C>(List<Click> rows, Set<String> unique, Optional<C> next) {}

    /** Reads and writes every page: {@code read} is given where a page starts (empty for the first). */
    static <C> void write(Function<Optional<C>, Page<C>> read, Consumer<Page<C>> write) {
        ReadAhead<Page<C>> ahead = new ReadAhead<>(() -> read.apply(Optional.empty()));
        try {
            while (ahead != null) {
                Page<C> page = ahead.get();
                ahead = page.next().map(next -> new ReadAhead<>(() -> read.apply(Optional.of(next)))).orElse(null);
                write.accept(page);
            }
        } finally {
            if (ahead != null) {
                ahead.finish();
            }
        }
    }

    /** One read on a thread of its own. */
    private static final class ReadAhead<T> {
        private final FutureTask<T> task;
        private final Thread thread;

        ReadAhead(Callable<T> read) {
            task = new FutureTask<>(read);
            thread = Thread.ofPlatform().daemon().name("export-read-ahead").start(task);
        }

        T get() {
            try {
                return task.get();
            } catch (InterruptedException e) {
                // The server is stopping: the response ends here, as when the client goes away.
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new InterruptedIOException("interrupted while an export page was read"));
            } catch (ExecutionException e) {
                // The read's own exception, so a store failure is answered as one; the export's
                // frames ride along, as the read's thread has none of them.
                Throwable cause = e.getCause();
                cause.addSuppressed(new Exception("awaited by an export"));
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }

        /** Waits for a read whose page will not be written: interrupting JDBC could break its connection. */
        void finish() {
            boolean interrupted = Thread.interrupted();
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
