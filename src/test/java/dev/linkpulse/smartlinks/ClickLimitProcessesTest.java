package dev.linkpulse.smartlinks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.Ports;
import dev.linkpulse.support.Postgres;
import dev.linkpulse.support.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A click limit is exact with two server processes on one PostgreSQL, clicked at the same time:
 * exactly max_clicks human clicks reach the destination, the rest get 410, none beyond.
 */
@EnabledIfSystemProperty(named = "linkpulse.test.store", matches = "postgresql",
        disabledReason = "several processes share a store only on PostgreSQL")
class ClickLimitProcessesTest {

    @Test
    void twoProcessesTogetherLetExactlyMaxClicksThrough(@TempDir Path work) throws Exception {
        String dbUrl = Postgres.shared().newDatabase();
        try (TestServer a = TestServer.start(Map.of(Setting.DB_URL, dbUrl, Setting.DB_USER, Postgres.USER))) {
            int portB = Ports.free();
            Process b = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), "dev.linkpulse.Main", "serve",
                    "--port", String.valueOf(portB), "--data-dir", work.resolve("b").toString(),
                    "--db-url", dbUrl, "--db-user", Postgres.USER)
                    .redirectErrorStream(true).redirectOutput(work.resolve("b.log").toFile()).start();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                Http httpB = new Http(portB);
                TestServer.await(Duration.ofSeconds(60), () -> {
                    try {
                        return httpB.get("/health").status() == 200;
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
                int max = 50;
                String code = a.createLink(Map.of("url", "https://example.com/limited", "max_clicks", max)).get("short_code").asText();
                // Both processes must know the link as smart before the race: a HEAD is no click.
                assertThat(a.http().head("/" + code).status()).isEqualTo(302);
                assertThat(httpB.head("/" + code).status()).isEqualTo(302);

                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < 3 * max; i++) {
                    Http target = i % 2 == 0 ? a.http() : httpB;
                    answers.add(pool.submit(() -> target.get("/" + code, "User-Agent", ClickLimitTest.HUMAN).status()));
                }
                int through = 0;
                int gone = 0;
                for (Future<Integer> f : answers) {
                    int status = f.get();
                    if (status == 302) {
                        through++;
                    } else if (status == 410) {
                        gone++;
                    }
                }
                assertThat(through).isEqualTo(max);
                assertThat(gone).isEqualTo(2 * max);
                // Both processes now answer 410 for every further human click.
                assertThat(a.http().get("/" + code, "User-Agent", ClickLimitTest.HUMAN).status()).isEqualTo(410);
                assertThat(httpB.get("/" + code, "User-Agent", ClickLimitTest.HUMAN).status()).isEqualTo(410);
                a.awaitClicks(code, max);
            } finally {
                pool.shutdownNow();
                b.destroy();
                b.waitFor();
            }
        }
    }
}
