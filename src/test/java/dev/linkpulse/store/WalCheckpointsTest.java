package dev.linkpulse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.linkpulse.support.TempDirs;
import dev.linkpulse.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** SQLite's write-ahead log is copied into the database file by a thread of the store's own, not by the writer's commits. */
class WalCheckpointsTest {

    private static final String THREAD = "sqlite-checkpoints";

    @Test
    void committedPagesReachTheDatabaseFileWithoutAnyConnectionCheckpointingAndTheThreadEndsWithTheStore() throws Exception {
        assumeFalse(TestServer.onPostgres(), "SQLite's log; the PostgreSQL run has nothing of it");
        Path dir = Files.createTempDirectory("linkpulse-wal");
        Set<Thread> before = checkpointThreads();
        Set<Thread> started;
        try {
            try (Database db = Database.openSqlite(dir)) {
                started = checkpointThreads();
                started.removeAll(before);
                assertThat(started).as("the store's own checkpoint thread").hasSize(1);
                // Below this many pages in the log no connection copies it; the probe must stay under it.
                int automatic = db.jdbi().withHandle(h -> h.createQuery("PRAGMA wal_autocheckpoint").mapTo(Integer.class).one());
                assertThat(automatic).isEqualTo(10_000);
                Path file = Database.sqliteFile(dir);
                db.jdbi().useHandle(h -> h.execute("CREATE TABLE wal_probe (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"));
                // The schema's pages may still be on their way to the file: together far less than the probe's.
                long sizeBefore = size(file);

                // About 2.7 MB in one commit (rows of about 1 KB, three to a 4 KiB page): some 700
                // pages, far below the 10,000 at which a connection would copy the log itself, so
                // only the store's thread can move them.
                db.writerJdbi().useTransaction(h -> {
                    var batch = h.prepareBatch("INSERT INTO wal_probe (body) VALUES (:body)");
                    for (int i = 0; i < 2_000; i++) {
                        batch.bind("body", Integer.toString(i).repeat(1_024 / Integer.toString(i).length() + 1)).add();
                    }
                    batch.execute();
                });
                assertThat(size(Path.of(file + "-wal"))).as("the commit went to the log").isGreaterThan(2_000_000L);

                TestServer.await(Duration.ofSeconds(5), () -> size(file) >= sizeBefore + 2_000_000L);
                // What the file holds is the committed data, readable by a new connection as ever.
                int rows = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM wal_probe").mapTo(Integer.class).one());
                assertThat(rows).isEqualTo(2_000);
            }
            assertThat(started).as("closing the store ends its checkpoint thread").noneMatch(Thread::isAlive);
        } finally {
            TempDirs.delete(dir);
        }
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static Set<Thread> checkpointThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(THREAD) && t.isAlive())
                .collect(Collectors.toCollection(HashSet::new));
    }
}
