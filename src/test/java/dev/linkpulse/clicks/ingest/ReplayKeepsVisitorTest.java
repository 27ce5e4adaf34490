package dev.linkpulse.clicks.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A click replayed from the journal after a crash keeps its visitor identity. The same visitors
 * click one link while the store takes clicks at once, and another while the store is locked;
 * the process then "crashes": its journal, as it was on disk while the clicks waited (raw, each
 * IP either sealed with a key that dies with the process or replaced by what it gives), is all a
 * new process (a new key) finds. Replayed, every visitor has the same hash, country and masked IP
 * as on the first link, and uniques and returning visitors agree.
 */
class ReplayKeepsVisitorTest {

    static final String[] IPS = {"81.2.69.142", "81.2.69.160", "81.2.69.192", "81.2.69.143", "81.2.69.144", "81.2.69.145"};
    static final String[] AGENTS = {"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0", "Mozilla/5.0 (Macintosh) Safari/605.1.15"};
    static final int CLICKS_EACH = 3;

    @Test
    void uniquesAndReturningVisitorsAreTheSameStoredAtOnceOrReplayedAfterACrash() throws Exception {
        try (TestServer server = TestServer.start(Map.of(), Clock.systemUTC(), RecorderJournalTest.TINY)) {
            String direct = server.createLink(Map.of("url", "https://example.com/direct")).get("short_code").asText();
            JsonNode replayedLink = server.createLink(Map.of("url", "https://example.com/replayed"));
            String replayed = replayedLink.get("short_code").asText();
            String replayedId = replayedLink.get("id").asText();
            int total = IPS.length * CLICKS_EACH;
            click(server, direct);
            server.awaitClicks(direct, total);

            Path journal = server.dataDir().resolve("journal-0");
            Path atCrash = server.dataDir().resolve("journal-at-crash");
            try (Connection lock = server.lockStore()) {
                click(server, replayed);
                // What a kill -9 leaves: the journal as it is while the clicks wait for the store.
                TestServer.await(java.time.Duration.ofSeconds(10), () -> journaledOf(journal, replayedId) == total);
                copy(journal, atCrash);
                try (Stream<Path> files = Files.list(atCrash)) {
                    for (Path p : files.toList()) {
                        // The store was locked, yet every click got its hash at once: the salt was at hand.
                        assertThat(Files.readString(p)).doesNotContain("sealedIp").contains("visitorHash");
                    }
                }
                server.stop();
                lock.rollback();
            }
            clear(journal);
            copy(atCrash, journal);
            clear(atCrash);
            Files.delete(atCrash);
            RecorderJournalTest.assertNoFullIpIn(server.dataDir());

            server.startAgain(); // a new process, a new sealing key
            server.awaitClicks(replayed, total);
            server.awaitRecorderIdle();

            Map<String, String> directVisitors = visitors(server, direct);
            Map<String, String> replayedVisitors = visitors(server, replayed);
            assertThat(directVisitors).hasSize(IPS.length);
            assertThat(replayedVisitors).as("per visitor: hash, country, masked IP").isEqualTo(directVisitors);

            JsonNode a = core(server, direct);
            JsonNode b = core(server, replayed);
            assertThat(a.get("unique_clicks").asLong()).isEqualTo(IPS.length);
            assertThat(b.get("unique_clicks").asLong()).isEqualTo(a.get("unique_clicks").asLong());
            assertThat(b.get("total_clicks").asLong()).isEqualTo(a.get("total_clicks").asLong()).isEqualTo(total);
            assertThat(a.get("returning_visitors").asLong()).isEqualTo(IPS.length);
            for (String figure : new String[] {"returning_visitors", "new_visitors", "unique_clicks", "total_clicks"}) {
                assertThat(b.get(figure)).as(figure).isEqualTo(a.get(figure));
            }
        }
    }

    private static void click(TestServer server, String code) {
        for (int round = 0; round < CLICKS_EACH; round++) {
            for (int v = 0; v < IPS.length; v++) {
                assertThat(server.http().get("/" + code, "X-Forwarded-For", IPS[v], "User-Agent", AGENTS[v % AGENTS.length]).status())
                        .isEqualTo(301);
            }
        }
    }

    /** visitor (ip index by user agent + hash) → "hash country masked-ip", from the store. */
    private static Map<String, String> visitors(TestServer server, String code) {
        try (Database db = server.openStore()) {
            Map<String, String> out = new HashMap<>();
            db.jdbi().useHandle(h -> h.createQuery("SELECT c.visitor_hash, c.country, c.ip_address, c.user_agent FROM clicks c "
                            + "JOIN short_urls s ON s.id = c.link_id WHERE s.short_code = :code")
                    .bind("code", code)
                    .map((rs, ctx) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4))
                    .forEach(row -> out.put(row, row)));
            return out;
        }
    }

    private static JsonNode core(TestServer server, String code) {
        JsonNode data = server.http().get("/api/v1/analytics/analytics/" + code, server.admin()).json().get("data");
        assertThat(data).as("core analytics of " + code).isNotNull();
        return data;
    }

    /** Distinct click ids of a link in the journal's segments. */
    private static long journaledOf(Path journal, String linkId) {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.Set<String> ids = new java.util.HashSet<>();
        try (Stream<Path> files = Files.list(journal)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".ndjson")).toList()) {
                for (String line : Files.readAllLines(p)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode entry = mapper.readTree(line);
                    JsonNode c = entry.has("click") ? entry.get("click") : entry.get("event");
                    if (linkId.equals(c.get("linkId").asText())) {
                        ids.add(c.get("id").asText());
                    }
                }
            }
        } catch (IOException e) {
            return 0; // a line being written
        }
        return ids.size();
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".ndjson")).toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }

    private static void clear(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".ndjson")).toList()) {
                Files.delete(p);
            }
        }
    }
}
