package dev.linkpulse.clicks.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * With masking on (the default), no visitor's full IP reaches the disk: not the database file, its
 * write-ahead log, nor the journal, even while clicks wait there because the store is locked.
 */
class NoFullIpOnDiskTest {

    static final List<String> IPS = List.of("81.2.69.142", "2001:480:10::1", "2001:480:10:0:0:0:0:1", "175.16.199.7");

    @Test
    void noFullIpInTheDatabaseOrTheJournal() throws Exception {
        ClickRecorder.Settings tiny = new ClickRecorder.Settings(20, 10, Duration.ofMillis(20), Duration.ofSeconds(2));
        try (TestServer server = TestServer.start(Map.of(), Clock.systemUTC(), tiny)) {
            String code = server.createLink(Map.of("url", "https://example.com/private")).get("short_code").asText();
            for (String ip : IPS) {
                server.http().get("/" + code, "X-Forwarded-For", ip);
            }
            server.awaitClicks(code, IPS.size());
            try (Connection lock = server.lockStore()) {
                for (int i = 0; i < 60; i++) {
                    server.http().get("/" + code, "X-Forwarded-For", IPS.get(i % IPS.size()));
                }
                TestServer.await(Duration.ofSeconds(10), () -> server.http().get("/health").json().get("clicks_journaled").asLong() > 0);
                assertNoFullIp(server); // while clicks wait in the journal
                lock.rollback();
            }
            server.awaitClicks(code, IPS.size() + 60);
            server.awaitRecorderIdle();
            assertNoFullIp(server);
            // and the log does show what was kept of them
            assertThat(server.clickLog(code, "?limit=1").get("data").get(0).get("ip_address").asText()).contains("xxx");
        }
    }

    static void assertNoFullIp(TestServer server) throws Exception {
        StringBuilder disk = new StringBuilder();
        try (Stream<Path> files = Files.walk(server.dataDir())) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                disk.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        }
        if (TestServer.onPostgres()) {
            // PostgreSQL's files are not ours to read: every column of every click row instead.
            try (Connection c = server.openStoreConnection(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT COALESCE(string_agg(row_to_json(k)::text, ''), '') FROM clicks k")) {
                rs.next();
                disk.append(rs.getString(1));
            }
        }
        for (String ip : IPS) {
            assertThat(disk.indexOf(ip)).as(ip).isEqualTo(-1);
        }
        assertThat(disk.length()).isGreaterThan(1_000);
    }
}
