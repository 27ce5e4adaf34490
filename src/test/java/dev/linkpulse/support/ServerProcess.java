package dev.linkpulse.support;

import dev.linkpulse.config.Setting;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real server in a process of its own (this test classpath, `serve` on a free port, the suite's
 * store), for tests that kill it or send it signals; its output goes to {@code server.log} in
 * {@code work}. {@link #store} names the same store for a {@link TestServer} started after it.
 */
public record ServerProcess(Process process, Http http, Path dataDir, Map<Setting, String> store, Optional<String> postgresUrl) {

    public static ServerProcess start(Path work) throws IOException {
        Path dataDir = work.resolve("data");
        int port = Ports.free();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.linkpulse.Main", "serve",
                "--port", String.valueOf(port), "--data-dir", dataDir.toString(), "--initial-api-key", TestServer.ADMIN_KEY));
        Map<Setting, String> store = new EnumMap<>(Setting.class);
        store.put(Setting.DATA_DIR, dataDir.toString());
        String url = null;
        if (TestServer.onPostgres()) {
            url = Postgres.shared().newDatabase();
            command.addAll(List.of("--db-url", url, "--db-user", Postgres.USER));
            store.put(Setting.DB_URL, url);
            store.put(Setting.DB_USER, Postgres.USER);
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile()).start();
        return new ServerProcess(process, new Http(port), dataDir, store, Optional.ofNullable(url));
    }

    /** Waits until {@code GET /health} answers 200. */
    public void awaitHealthy(Duration within) {
        TestServer.await(within, () -> {
            try {
                return http.get("/health").status() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }
}
