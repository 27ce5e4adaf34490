package dev.linkpulse.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.clicks.ingest.ClickRecorder;
import dev.linkpulse.config.Setting;
import dev.linkpulse.support.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stalled clients are cut off; a store that cannot be written and a journal that cannot be written show in /health. */
class HardeningTest {

    @Test
    void aClientThatStallsMidRequestIsDisconnected() throws Exception {
        try (TestServer server = TestServer.start(Map.of(Setting.IDLE_TIMEOUT, "1"))) {
            for (String partial : new String[] {
                    "GET /api/v1/short-urls HTTP/1.1\r\nHost: x\r\nX-Slow: ",   // headers never finished
                    "POST /api/v1/short-urls HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestServer.ADMIN_KEY
                            + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"url\""}) { // body never finished
                try (Socket socket = new Socket("127.0.0.1", server.port())) {
                    socket.setSoTimeout(10_000);
                    OutputStream out = socket.getOutputStream();
                    out.write(partial.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    long start = System.nanoTime();
                    InputStream in = socket.getInputStream();
                    byte[] buffer = new byte[4096];
                    while (in.read(buffer) >= 0) {
                        // drain whatever error answer comes, until the server closes
                    }
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    assertThat(took).as(partial).isLessThan(Duration.ofSeconds(5)).isGreaterThan(Duration.ofMillis(500));
                }
            }
            assertThat(server.http().get("/health").status()).isEqualTo(200);
        }
    }

    @Test
    void healthSaysDegradedWhileNeitherTheStoreNorTheJournalTakesClicksAndNothingIsLost() throws Exception {
        ClickRecorder.Settings tiny = new ClickRecorder.Settings(20, 10, Duration.ofMillis(20), Duration.ofSeconds(2));
        try (TestServer server = TestServer.start(Map.of(), Clock.systemUTC(), tiny)) {
            String code = server.createLink(Map.of("url", "https://example.com/full-disk")).get("short_code").asText();
            Path journal = server.dataDir().resolve("journal-0");
            Path aside = server.dataDir().resolve("journal-aside");
            int clicks = 80;
            try (Connection lock = server.lockStore()) {
                // A disk that refuses the journal: its directory replaced by a plain file.
                Files.move(journal, aside);
                Files.writeString(journal, "not a directory");
                for (int i = 0; i < clicks; i++) {
                    assertThat(server.http().get("/" + code).status()).isEqualTo(301);
                }
                TestServer.await(Duration.ofSeconds(15), () -> {
                    JsonNode h = server.http().get("/health").json();
                    return h.get("journal_failing").asBoolean() && h.get("status").asText().equals("degraded");
                });
                Files.delete(journal);
                Files.move(aside, journal);
                lock.rollback();
            }
            server.awaitClicks(code, clicks);
            server.awaitRecorderIdle();
            JsonNode h = server.http().get("/health").json();
            assertThat(h.get("status").asText()).isEqualTo("ok");
            assertThat(h.get("clicks_overflowed").asLong()).isZero();
        }
    }
}
