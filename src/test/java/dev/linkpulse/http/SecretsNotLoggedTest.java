package dev.linkpulse.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.support.Http;
import dev.linkpulse.support.LogCapture;
import dev.linkpulse.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No API key reaches a log line: neither from {@code Authorization} nor from {@code ?api_key=},
 * not even on the requests that do get logged (a store that is unavailable).
 */
class SecretsNotLoggedTest {

    @Test
    void loggedRequestsNameThePathButNeverTheKey() throws Exception {
        String secretInQuery = "lp_query_secret_must_not_be_logged_0001";
        try (TestServer server = TestServer.start(Map.of())) {
            String header = server.createKey("logged", "read,write,analytics", null);
            String logs;
            try (LogCapture capture = LogCapture.start(); Connection lock = server.openStoreConnection(); Statement st = lock.createStatement()) {
                // Hold the store's write lock so the creates below fail after the lock wait and get logged.
                lock.setAutoCommit(false);
                if (TestServer.onPostgres()) {
                    st.execute("LOCK TABLE short_urls IN EXCLUSIVE MODE");
                } else {
                    st.execute("INSERT INTO visitor_salts (day, salt) VALUES ('1999-01-02', x'00')");
                }
                String body = Http.json(Map.of("url", "https://example.com/logged"));
                Http.Response viaQuery = server.http().post("/api/v1/short-urls?api_key=" + TestServer.ADMIN_KEY
                        + "&other=" + secretInQuery, "application/json", body.getBytes(StandardCharsets.UTF_8));
                Http.Response viaHeader = server.http().postJson("/api/v1/short-urls", body, server.auth(header));
                assertThat(viaQuery.status()).isEqualTo(503);
                assertThat(viaHeader.status()).isEqualTo(503);
                assertThat(viaQuery.json().get("error").get("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
                lock.rollback();
                // Requests that fail authentication or validation are not logged at all, but try them too.
                server.http().get("/api/v1/short-urls?api_key=" + secretInQuery);
                server.http().get("/api/v1/short-urls", "Authorization", "Bearer " + secretInQuery);
                logs = capture.text();
            }
            assertThat(logs).as("the failures were logged, so the check below means something")
                    .contains("Store unavailable on POST /api/v1/short-urls");
            assertThat(logs).doesNotContain(TestServer.ADMIN_KEY).doesNotContain(header).doesNotContain(secretInQuery)
                    .doesNotContain("api_key");
        }
    }
}
