package dev.linkpulse.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.App;
import dev.linkpulse.Main;
import dev.linkpulse.clicks.ingest.ClickRecorder;
import dev.linkpulse.config.ConfigLoader;
import dev.linkpulse.config.Setting;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The first admin key, keys made on the command line, and how they are stored. */
class KeysTest {

    @Test
    void theFirstStartCreatesAnAdminKeyOnceAndItWorks(@TempDir Path dir) {
        var config = ConfigLoader.load(Map.of(), Map.of(Setting.PORT, "0", Setting.DATA_DIR, dir.toString()));
        String secret;
        try (App app = App.start(config, Clock.systemUTC(), ClickRecorder.Settings.DEFAULT)) {
            secret = app.firstKey().orElseThrow().secret();
            assertThat(secret).startsWith("lp_").hasSize(46);
            assertThat(app.firstKey().get().key().permissions()).containsExactlyInAnyOrder(Permission.values());
            Http.Response r = new Http(app.port()).get("/api/v1/analytics/click-details", "Authorization", "Bearer " + secret);
            assertThat(r.status()).isEqualTo(200);
        }
        try (App again = App.start(config, Clock.systemUTC(), ClickRecorder.Settings.DEFAULT)) {
            assertThat(again.firstKey()).isEmpty();
            assertThat(new Http(again.port()).get("/api/v1/analytics/click-details?api_key=" + secret).status()).isEqualTo(200);
        }
    }

    @Test
    void onlyHashesAreStored(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(Map.of(Setting.DATA_DIR, dir.toString()))) {
            String made = server.createKey("ci", "read", null);
            server.createLink(Map.of("url", "https://example.com"));
            assertThat(made).startsWith("lp_");
            String stored;
            if (TestServer.onPostgres()) {
                // PostgreSQL's files are not ours to read: read every column of every key row instead.
                try (var c = server.openStoreConnection(); var st = c.createStatement();
                        var rs = st.executeQuery("SELECT string_agg(row_to_json(k)::text, '') FROM api_keys k")) {
                    rs.next();
                    stored = rs.getString(1);
                }
                assertThat(stored).contains(KeyService.hash(made));
            } else {
                // The raw database file and its write-ahead log, byte by byte.
                byte[] db = Files.readAllBytes(Database.sqliteFile(dir));
                Path walFile = Path.of(Database.sqliteFile(dir) + "-wal");
                byte[] wal = Files.exists(walFile) ? Files.readAllBytes(walFile) : new byte[0];
                stored = new String(db, java.nio.charset.StandardCharsets.ISO_8859_1)
                        + new String(wal, java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            for (String secret : List.of(TestServer.ADMIN_KEY, made)) {
                assertThat(stored).doesNotContain(secret);
            }
        }
    }

    @Test
    void theCommandLinePrintsTheKeyLastAndScopesItToAWorkspace() {
        try (TestServer server = TestServer.start()) {
            String sameWorkspace = server.createKey("analyst", "analytics", null);
            String otherWorkspace = server.createKey("partner", "read,write,analytics", "partner-co");
            server.createLink(Map.of("url", "https://example.com/mine", "custom_alias", "mine"));
            assertThat(server.http().get("/api/v1/analytics/click-details/mine", server.auth(sameWorkspace)).status()).isEqualTo(200);
            assertThat(server.http().get("/api/v1/analytics/click-details/mine", server.auth(otherWorkspace)).status()).isEqualTo(404);
            // Naming the workspace again reuses it.
            String partnerTwo = server.createKey("partner-2", "read", "partner-co");
            Http.Response created = server.http().postJson("/api/v1/short-urls",
                    Http.json(Map.of("url", "https://example.com/p", "custom_alias", "partner-link")), server.auth(otherWorkspace));
            assertThat(created.status()).isEqualTo(201);
            assertThat(server.http().get("/api/v1/short-urls/partner-link", server.auth(partnerTwo)).status()).isEqualTo(200);
            assertThat(server.http().get("/api/v1/short-urls/partner-link", server.admin()).status()).isEqualTo(404);
        }
    }

    @Test
    void theCommandLineRefusesUnknownPermissions(@TempDir Path dir) {
        int exit = new CommandLine(new Main()).execute("keys", "create", "--name", "x", "--permissions", "read,root",
                "--data-dir", dir.toString());
        assertThat(exit).isEqualTo(2);
    }
}
