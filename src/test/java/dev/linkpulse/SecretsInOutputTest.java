package dev.linkpulse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.config.Config;
import dev.linkpulse.config.ConfigLoader;
import dev.linkpulse.store.JdbcUrls;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.Ports;
import dev.linkpulse.support.Postgres;
import dev.linkpulse.support.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the server and the command line print holds no secret but a generated key, once: the
 * server and {@code demo-data} run as real processes and everything they write (stdout and
 * stderr, logs included) is read back.
 */
class SecretsInOutputTest {

    static final String GIVEN_KEY = "lp_given_by_the_operator_0123456789";
    static final Pattern GENERATED_KEY = Pattern.compile("lp_[0-9A-Za-z]{43}");

    /** A process's whole output and exit code. */
    record Run(String output, int exit) {}

    @Test
    void aKeyGivenInTheEnvironmentIsNeverPrintedButWorks(@TempDir Path work) throws Exception {
        int port = Ports.free();
        String out = serve(work, port, Map.of("LINKPULSE_INITIAL_API_KEY", GIVEN_KEY), http ->
                assertThat(http.get("/api/v1/api-keys", "Authorization", "Bearer " + GIVEN_KEY).status()).isEqualTo(200));
        assertThat(out).contains("Created the first admin API key from LINKPULSE_INITIAL_API_KEY")
                .contains("Linkpulse listening on port " + port)
                .doesNotContain(GIVEN_KEY).doesNotContain(GIVEN_KEY.substring(0, 8));
    }

    @Test
    void aGeneratedFirstKeyIsPrintedExactlyOnceAndWorks(@TempDir Path work) throws Exception {
        int port = Ports.free();
        List<String> keys = new ArrayList<>();
        String out = serve(work, port, Map.of(), http -> {
            keys.addAll(generatedKeys(readLog(work)));
            assertThat(keys).hasSize(1);
            assertThat(http.get("/api/v1/api-keys", "Authorization", "Bearer " + keys.get(0)).status()).isEqualTo(200);
        });
        assertThat(generatedKeys(out)).containsExactlyElementsOf(keys);
        assertThat(out.split(Pattern.quote(keys.get(0)), -1)).as("the key appears once").hasSize(2);
        // A second start on the same store creates no key and prints none.
        String again = serve(work, Ports.free(), Map.of(), http -> {});
        assertThat(again).doesNotContain(keys.get(0)).doesNotContain("Created the first admin API key");
    }

    @Test
    void demoDataDoesNotPrintAKeyGivenInTheEnvironment(@TempDir Path work) throws Exception {
        Run run = run(work, Map.of("LINKPULSE_INITIAL_API_KEY", GIVEN_KEY, "LINKPULSE_DATA_DIR", work.resolve("data").toString()),
                "demo-data", "--links", "1", "--clicks", "10", "--days", "1");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("Created the first admin API key from LINKPULSE_INITIAL_API_KEY")
                .contains("Created 1 links").doesNotContain(GIVEN_KEY);
    }

    @Test
    void postgresPasswordsInTheUrlOrTheEnvironmentAreNeverPrinted(@TempDir Path work) throws Exception {
        // The embedded server trusts local connections: the passwords are sent nowhere, only carried.
        String url = Postgres.shared().newDatabase() + "?user=" + Postgres.USER + "&password=url-secret-1&ApplicationName=linkpulse";
        int port = Ports.free();
        String out = serve(work, port, Map.of("LINKPULSE_DB_URL", url, "LINKPULSE_DB_PASSWORD", "env-secret-2",
                "LINKPULSE_DB_USER", Postgres.USER), http ->
                assertThat(http.get("/health").status()).isEqualTo(200));
        assertThat(out).contains("store: PostgreSQL at jdbc:postgresql://").contains("password=***")
                .doesNotContain("url-secret-1").doesNotContain("env-secret-2");
    }

    @Test
    void configPostgresSettingsAndCreatedKeysNeverShowASecretInToString() {
        Config config = ConfigLoader.load(Map.of(
                "LINKPULSE_INITIAL_API_KEY", GIVEN_KEY,
                "LINKPULSE_DB_URL", "jdbc:postgresql://alice:pw-in-userinfo@db.example:5432/lp?sslpassword=ssl-secret&PASSWORD=upper-secret;password=semi-secret",
                "LINKPULSE_DB_USER", "alice",
                "LINKPULSE_DB_PASSWORD", "env-secret"), Map.of());
        String shown = config.toString() + config.postgres().orElseThrow() + config.postgres().orElseThrow().displayUrl();
        assertThat(shown).doesNotContain(GIVEN_KEY).doesNotContain("pw-in-userinfo").doesNotContain("ssl-secret")
                .doesNotContain("upper-secret").doesNotContain("semi-secret").doesNotContain("env-secret")
                .contains("initialApiKey=(set)").contains("db.example:5432/lp").contains("user=alice");
        dev.linkpulse.keys.KeyService.CreatedKey created = new dev.linkpulse.keys.KeyService.CreatedKey(
                new dev.linkpulse.keys.ApiKey("id-1", "ws", "admin", "id-1", java.util.Set.of(), 0, null, null), GIVEN_KEY);
        assertThat(created.toString()).doesNotContain(GIVEN_KEY).contains("id-1");
        assertThat(JdbcUrls.redact("jdbc:postgresql://db/lp?user=u&password=p%26q&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/lp?user=u&password=***&ssl=true");
        assertThat(JdbcUrls.redact("jdbc:postgresql://u:p@db/lp")).isEqualTo("jdbc:postgresql://u:***@db/lp");
        assertThat(JdbcUrls.redact("jdbc:postgresql://db:5432/lp?user=u")).isEqualTo("jdbc:postgresql://db:5432/lp?user=u");
    }

    interface WhileUp {
        void check(Http http) throws Exception;
    }

    /** Starts {@code serve} as a process, runs {@code check} once /health answers, stops it with SIGTERM; returns its output. */
    static String serve(Path work, int port, Map<String, String> env, WhileUp check) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("LINKPULSE_PORT", String.valueOf(port));
        all.put("LINKPULSE_DATA_DIR", work.resolve("data").toString());
        Process server = start(work, all, "serve");
        try {
            Http http = new Http(port);
            TestServer.await(Duration.ofSeconds(60), () -> {
                try {
                    return http.get("/health").status() == 200;
                } catch (RuntimeException e) {
                    return !server.isAlive();
                }
            });
            assertThat(server.isAlive()).as(readLog(work)).isTrue();
            // The start-up lines come after the port is bound: wait for the last one.
            TestServer.await(Duration.ofSeconds(10), () -> readLog(work).contains("Linkpulse listening"));
            check.check(http);
        } finally {
            server.destroy();
            server.waitFor();
        }
        return readLog(work);
    }

    static Run run(Path work, Map<String, String> env, String... args) throws Exception {
        Process p = start(work, env, args);
        int exit = p.waitFor();
        return new Run(readLog(work), exit);
    }

    private static Process start(Path work, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "dev.linkpulse.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("out.log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LINKPULSE_"));
        pb.environment().putAll(env);
        return pb.start();
    }

    static String readLog(Path work) {
        try {
            return Files.readString(work.resolve("out.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static List<String> generatedKeys(String output) {
        List<String> out = new ArrayList<>();
        Matcher m = GENERATED_KEY.matcher(output);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
