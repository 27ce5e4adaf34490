package dev.linkpulse.clicks.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.support.TestServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * The click writer has connections of its own: with every connection of the shared pool held (as
 * by long exports or analytics reads), redirects' clicks are still stored at once.
 */
class WriterConnectionTest {

    @Test
    void clicksAreStoredWhileTheSharedPoolIsExhausted() throws Exception {
        try (TestServer server = TestServer.start()) {
            var link = server.createLink(Map.of("url", "https://example.com/pool"));
            String code = link.get("short_code").asText();
            String id = link.get("id").asText();
            assertThat(server.http().get("/" + code).status()).isEqualTo(301); // the link is cached now
            server.awaitClicks(code, 1);

            List<Handle> held = new ArrayList<>();
            try {
                // Take every connection of the shared pool.
                int size = server.app().database().sharedPoolSize();
                for (int i = 0; i < size; i++) {
                    Handle h = server.app().database().jdbi().open();
                    h.getConnection().isValid(1); // checked out and alive
                    held.add(h);
                }
                assertThat(held).hasSizeGreaterThanOrEqualTo(8);
                for (int i = 0; i < 20; i++) {
                    assertThat(server.http().get("/" + code).status()).isEqualTo(301);
                }
                // Counted outside the server's pools, while every shared connection is still held.
                TestServer.await(Duration.ofSeconds(10), () -> stored(server, id) == 21);
            } finally {
                held.forEach(Handle::close);
            }
            server.awaitClicks(code, 21);
        }
    }

    private static long stored(TestServer server, String linkId) {
        try (Connection c = server.openStoreConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM clicks WHERE link_id = '" + linkId + "'")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return -1;
        }
    }
}
