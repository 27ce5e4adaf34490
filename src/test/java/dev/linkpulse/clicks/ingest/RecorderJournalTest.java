package dev.linkpulse.clicks.ingest;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickEvent;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.Utm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No click is dropped when memory is full or the store is down: every click is journaled first
 * (never a full IP on disk); beyond memory's capacity clicks wait there and are replayed once the
 * store answers; a stop with the store down leaves them for the next start; a segment goes only
 * when all its clicks are safe. A tiny queue (20 clicks) forces every path.
 */
class RecorderJournalTest {

    static final ClickRecorder.Settings TINY = new ClickRecorder.Settings(20, 10, Duration.ofMillis(20), Duration.ofSeconds(2));
    static final String IP = "81.2.69.142"; // GB, London in the test city database

    @Test
    void clicksBeyondTheQueueWhileTheStoreIsLockedAreJournaledThenAllStored() throws Exception {
        try (TestServer server = TestServer.start(Map.of(), Clock.systemUTC(), TINY)) {
            String code = server.createLink(Map.of("url", "https://example.com/busy")).get("short_code").asText();
            int clicks = 300;
            try (Connection lock = server.lockStore()) {
                for (int i = 0; i < clicks; i++) {
                    Http.Response r = server.http().get("/" + code, "X-Forwarded-For", IP, "User-Agent", "journal-test/" + (i % 7));
                    assertThat(r.status()).isEqualTo(301);
                }
                JsonNode health = server.http().get("/health").json();
                assertThat(health.get("clicks_overflowed").asLong()).isZero();
                TestServer.await(Duration.ofSeconds(10), () -> server.http().get("/health").json().get("clicks_journaled").asLong() > 0);
                assertNoFullIpIn(server.dataDir());
                lock.rollback();
            }
            server.awaitClicks(code, clicks);
            server.awaitRecorderIdle();
            JsonNode log = server.clickLog(code, "?limit=1000");
            Set<String> ids = new HashSet<>();
            log.get("data").forEach(c -> {
                ids.add(c.get("id").asText());
                // Journaled raw events were sealed with this process's key: their IP came back for geolocation.
                assertThat(c.get("country").asText()).isEqualTo("GB");
                assertThat(c.get("ip_address").asText()).isNotEqualTo(IP);
            });
            assertThat(ids).hasSize(clicks);
            assertThat(server.http().get("/health").json().get("clicks_overflowed").asLong()).isZero();
        }
    }

    @Test
    void aStopWithTheStoreDownLeavesEveryClickInTheJournalForTheNextStart() throws Exception {
        try (TestServer server = TestServer.start(Map.of(), Clock.systemUTC(), TINY)) {
            String code = server.createLink(Map.of("url", "https://example.com/stop")).get("short_code").asText();
            int clicks = 120;
            try (Connection lock = server.lockStore()) {
                for (int i = 0; i < clicks; i++) {
                    assertThat(server.http().get("/" + code, "X-Forwarded-For", IP).status()).isEqualTo(301);
                }
                server.stop(); // gives up on the store after its 2 s close timeout
                assertNoFullIpIn(server.dataDir());
                // Each click is in the journal; one may be there twice (raw, as it arrived, and enriched,
                // as the store refused it at close) when its segment also holds clicks never enriched.
                assertThat(journaledIds(server.dataDir())).hasSize(clicks);
                lock.rollback();
            }
            server.startAgain();
            server.awaitClicks(code, clicks);
            server.awaitRecorderIdle();
            assertThat(journaledLines(server.dataDir())).isZero();
            Set<String> ids = new HashSet<>();
            server.clickLog(code, "?limit=1000").get("data").forEach(c -> ids.add(c.get("id").asText()));
            assertThat(ids).hasSize(clicks);
        }
    }

    @Test
    void deletingALinkErasesItsJournaledClicks(@org.junit.jupiter.api.io.TempDir Path dir) {
        ClickJournal journal = new ClickJournal(dir);
        ClickIds ids = new ClickIds();
        Utm none = new Utm(null, null, null, null, null);
        ClickEvent a = new ClickEvent(ids.next(1_000).toString(), 1_000, "link-a", "ws", "https://a", IP, "ua", null, none);
        ClickEvent b = new ClickEvent(ids.next(2_000).toString(), 2_000, "link-b", "ws", "https://b", IP, "ua", null, none);
        journal.appendEvents(List.of(a, b), false);
        journal.appendClicks(List.of(Click.unenriched(a), Click.unenriched(b)));
        assertThat(journal.pending()).isEqualTo(4);
        journal.purgeLink("link-a");
        assertThat(journal.pending()).isEqualTo(2);
        ClickJournal.Segment s = journal.takeOldest().orElseThrow();
        assertThat(s.events()).extracting(ClickEvent::linkId).containsExactly("link-b");
        assertThat(s.events().get(0).clientIp()).isEqualTo(IP); // same process: the sealed IP opens
        assertThat(s.clicks()).extracting(Click::linkId).containsExactly("link-b");
        assertThat(journal.pending()).as("pending until the recorder holds them").isEqualTo(2);
        assertThat(s.file()).exists();
        journal.handedOver(s.number(), true);
        assertThat(journal.pending()).isZero();
        assertThat(s.file()).doesNotExist();
        assertThat(journal.takeOldest()).isEmpty();
    }

    @Test
    void aSegmentIsDeletedOnlyWhenEveryGroupInItIsSafe(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        ClickJournal journal = new ClickJournal(dir);
        ClickIds ids = new ClickIds();
        Utm none = new Utm(null, null, null, null, null);
        long first = journal.appendEvents(List.of(new ClickEvent(ids.next(1).toString(), 1, "l", "ws", "https://a", IP, "ua", null, none)), true);
        long second = journal.appendEvents(List.of(new ClickEvent(ids.next(2).toString(), 2, "l", "ws", "https://a", IP, "ua", null, none)), true);
        assertThat(second).isEqualTo(first);
        assertThat(journal.pending()).as("kept in memory: nothing waits on disk only").isZero();
        assertThat(journal.takeOldest()).as("nothing to replay while memory holds the groups").isEmpty();
        journal.release(first, true);
        assertThat(journaledLines(dir)).isEqualTo(2);
        journal.release(second, false); // not stored at close: the segment stays for the next process
        assertThat(journaledLines(dir)).isEqualTo(2);
        assertThat(journal.pending()).isEqualTo(2);
        journal.close();
        ClickJournal next = new ClickJournal(dir);
        assertThat(next.pending()).isEqualTo(2);
        ClickJournal.Segment s = next.takeOldest().orElseThrow();
        assertThat(s.events()).hasSize(2);
        next.hold(s.number()); // its events go back into memory as one group
        next.handedOver(s.number(), true);
        assertThat(next.pending()).isZero();
        assertThat(journaledLines(dir)).isEqualTo(2);
        next.release(s.number(), true); // the group is stored
        assertThat(journaledLines(dir)).isZero();
    }

    @Test
    void aLineTornByACrashIsSkippedAndAnotherProcessCannotOpenSealedIps(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        ClickJournal first = new ClickJournal(dir);
        ClickEvent e = new ClickEvent(new ClickIds().next(5).toString(), 5, "link", "ws", "https://x", IP, "ua", null,
                new Utm(null, null, null, null, null));
        first.appendEvents(List.of(e), true);
        first.close();
        try (Stream<Path> files = Files.list(dir)) {
            Path segment = files.findFirst().orElseThrow();
            Files.writeString(segment, "{\"event\":{\"id\":\"torn", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        }
        ClickJournal next = new ClickJournal(dir); // a new process: a new key
        ClickJournal.Segment s = next.takeOldest().orElseThrow();
        assertThat(s.events()).hasSize(1);
        assertThat(s.events().get(0).id()).isEqualTo(e.id());
        assertThat(s.events().get(0).clientIp()).isNull();
    }

    static void assertNoFullIpIn(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path p : files.filter(Files::isRegularFile).filter(p -> p.toString().contains("journal")).toList()) {
                assertThat(Files.readString(p, StandardCharsets.ISO_8859_1)).as(p.toString()).doesNotContain(IP);
            }
        }
    }

    static Set<String> journaledIds(Path dataDir) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        Set<String> ids = new HashSet<>();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".ndjson")).toList()) {
                for (String line : Files.readAllLines(p)) {
                    JsonNode entry = mapper.readTree(line);
                    ids.add((entry.has("click") ? entry.get("click") : entry.get("event")).get("id").asText());
                }
            }
        }
        return ids;
    }

    static long journaledLines(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            long n = 0;
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".ndjson")).toList()) {
                n += Files.readAllLines(p).stream().filter(l -> !l.isBlank()).count();
            }
            return n;
        }
    }
}
