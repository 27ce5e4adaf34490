package dev.linkpulse.clicks.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.support.LogCapture;
import dev.linkpulse.support.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A real I/O error while the writer hands a replayed journal over: the journal's directory made
 * immutable ({@code chattr +i}, which even root cannot get past), so stored segments cannot be
 * deleted and new ones cannot be created. The writer must not end: it stores the replayed clicks
 * and new ones, logs the failure, retries with growing waits and health says the journal is
 * failing; once the disk takes writes again the segments go and health clears without another
 * click.
 */
class JournalHandOverFailureTest {

    @Test
    void anIoErrorHandingOverTheJournalIsRetriedAndShownWhileClicksStillGetStored() throws Exception {
        try (TestServer server = TestServer.start(Map.of(), Clock.systemUTC(), RecorderJournalTest.TINY)) {
            String code = server.createLink(Map.of("url", "https://example.com/handover")).get("short_code").asText();
            try (Connection lock = server.lockStore()) {
                for (int i = 0; i < 30; i++) {
                    assertThat(server.http().get("/" + code, "X-Forwarded-For", RecorderJournalTest.IP).status()).isEqualTo(301);
                }
                server.stop(); // the store refuses: every click stays in the journal
                lock.rollback();
            }
            Path journal = server.dataDir().resolve("journal-0");
            assertThat(segments(journal)).isPositive();
            assumeTrue(chattr("+i", journal), "chattr +i is not permitted here: cannot make the journal's disk refuse writes");
            try (LogCapture logs = LogCapture.start()) {
                server.startAgain();
                server.awaitClicks(code, 30); // replayed and stored although its segments cannot be deleted
                TestServer.await(Duration.ofSeconds(10), () -> server.http().get("/health").json().get("journal_failing").asBoolean());
                JsonNode health = server.http().get("/health").json();
                assertThat(health.get("status").asText()).isEqualTo("degraded");
                assertThat(health.get("storage_failing").asBoolean()).as("no pipeline thread ended").isFalse();
                assertThat(segments(journal)).as("the stored segments are still on disk").isPositive();

                assertThat(server.http().get("/" + code, "X-Forwarded-For", RecorderJournalTest.IP).status()).isEqualTo(301);
                server.awaitClicks(code, 31); // the writer still stores new clicks
                assertThat(logs.mostAttemptsLogged("Handing over the click journal failed"))
                        .as("logged at the first failure; waits that grow keep the retries this far from the 20th, "
                                + "which a loop without them would reach at once")
                        .isEqualTo(1);
            } finally {
                chattr("-i", journal);
            }
            // No new click: the retries alone delete the segments and clear health.
            TestServer.await(Duration.ofSeconds(15), () -> {
                JsonNode h = server.http().get("/health").json();
                return !h.get("journal_failing").asBoolean() && h.get("status").asText().equals("ok");
            });
            TestServer.await(Duration.ofSeconds(5), () -> segments(journal) == 0);
            server.awaitClicks(code, 31);
        }
    }

    private static long segments(Path journal) {
        try (Stream<Path> files = Files.list(journal)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".ndjson")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static boolean chattr(String flag, Path dir) {
        try {
            Process p = new ProcessBuilder("chattr", flag, dir.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
