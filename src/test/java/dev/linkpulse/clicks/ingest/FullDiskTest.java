package dev.linkpulse.clicks.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.config.Setting;
import dev.linkpulse.support.TempDirs;
import dev.linkpulse.support.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A full disk: the data directory on a 16 MiB tmpfs, filled up. Every redirect is still answered,
 * health says the journal is failing, and once space comes back every click is stored exactly once
 * and health clears by itself, without another click. On SQLite the store is on the full disk too
 * (its writes fail as well; the clicks wait in memory); on PostgreSQL only the journal is, and the
 * clicks go on to the store from memory meanwhile.
 */
class FullDiskTest {

    static final int CLICKS = 300;

    @Test
    void redirectsAreAnsweredAndEveryClickIsStoredOnceWhenSpaceComesBack() throws Exception {
        Path mount = Files.createTempDirectory("linkpulse-full-disk");
        String refused = run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString());
        assumeTrue(refused == null, "mounting a tmpfs is not permitted here (" + refused + "): cannot fill a disk for this test");
        Path filler = mount.resolve("filler");
        try {
            try (TestServer server = TestServer.start(Map.of(Setting.DATA_DIR, mount.toString()))) {
                JsonNode link = server.createLink(Map.of("url", "https://example.com/full"));
                String code = link.get("short_code").asText();
                assertThat(server.http().get("/" + code).status()).isEqualTo(301); // cached: redirects need no store
                server.awaitClicks(code, 1);

                try (Filler full = new Filler(filler)) {
                    for (int i = 0; i < CLICKS; i++) {
                        assertThat(server.http().get("/" + code, "X-Forwarded-For", "81.2.69.142", "User-Agent", "full/" + i).status())
                                .isEqualTo(301);
                    }
                    TestServer.await(Duration.ofSeconds(10), () -> server.http().get("/health").json().get("journal_failing").asBoolean());
                    assertThat(server.http().get("/health").json().get("clicks_overflowed").asLong()).isZero();
                } // space comes back; no click follows
                server.awaitClicks(code, CLICKS + 1);
                TestServer.await(Duration.ofSeconds(15), () -> {
                    JsonNode h = server.http().get("/health").json();
                    return !h.get("journal_failing").asBoolean() && !h.get("storage_failing").asBoolean()
                            && h.get("status").asText().equals("ok");
                });
                server.awaitRecorderIdle();
                String id = link.get("id").asText();
                var counts = server.app().database().jdbi().withHandle(h -> h.createQuery(
                                "SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM clicks WHERE link_id = :id")
                        .bind("id", id).mapToMap().one());
                assertThat(((Number) counts.get("n")).longValue()).as("rows").isEqualTo(CLICKS + 1);
                assertThat(((Number) counts.get("d")).longValue()).as("distinct ids").isEqualTo(CLICKS + 1);
                assertThat(server.http().get("/health").json().get("clicks_overflowed").asLong()).isZero();
            }
        } finally {
            run("umount", "-l", mount.toString());
            TempDirs.delete(mount);
        }
    }

    /**
     * Fills the disk and keeps it full: whatever space frees up (a stored journal segment deleted)
     * is taken again at once, as another program on a full disk would.
     */
    static final class Filler implements AutoCloseable {
        private final Path file;
        private final Thread thread;
        private final java.util.concurrent.CountDownLatch full = new java.util.concurrent.CountDownLatch(1);
        private volatile boolean running = true;

        Filler(Path file) throws InterruptedException {
            this.file = file;
            this.thread = Thread.ofPlatform().daemon().start(this::fill);
            assertThat(full.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("the disk filled up").isTrue();
        }

        private void fill() {
            byte[] page = new byte[4096];
            try (OutputStream out = Files.newOutputStream(file)) {
                while (running) {
                    try {
                        out.write(page);
                        out.flush();
                    } catch (IOException noSpace) {
                        full.countDown();
                        Thread.sleep(1);
                    }
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws Exception {
            running = false;
            thread.join(5_000);
            Files.delete(file);
        }
    }

    /** Runs a command; null when it worked, else what it said. */
    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes());
            return p.waitFor() == 0 ? null : said.strip() + " (exit " + p.exitValue() + ")";
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }
}
