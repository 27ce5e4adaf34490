package dev.linkpulse.domains;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.Ports;
import dev.linkpulse.support.Postgres;
import dev.linkpulse.support.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes on one PostgreSQL: a subdomain taken, a link on it changed, and the subdomain
 * deleted through one process reach the other's host registry and per-host link cache within a
 * second (LISTEN/NOTIFY).
 */
@EnabledIfSystemProperty(named = "linkpulse.test.store", matches = "postgresql",
        disabledReason = "several processes share a store only on PostgreSQL")
class DomainsSeveralProcessesTest {

    @Test
    void domainsAndTheirLinksStayCoherentAcrossProcesses(@TempDir Path work) throws Exception {
        String dbUrl = Postgres.shared().newDatabase();
        String base = "http://links.test:8080";
        try (TestServer a = TestServer.start(Map.of(Setting.DB_URL, dbUrl, Setting.DB_USER, Postgres.USER, Setting.BASE_URL, base))) {
            int portB = Ports.free();
            Process b = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    "dev.linkpulse.Main", "serve", "--port", String.valueOf(portB), "--data-dir", work.resolve("b").toString(),
                    "--db-url", dbUrl, "--db-user", Postgres.USER, "--base-url", base)
                    .redirectErrorStream(true).redirectOutput(work.resolve("b.log").toFile()).start();
            try {
                Http httpB = new Http(portB);
                TestServer.await(Duration.ofSeconds(30), () -> {
                    try {
                        return httpB.get("/health").status() == 200;
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
                a.createLink(Map.of("url", "https://standard.example/", "custom_alias", "xyz"));
                // B caches "xyz" on the standard domain for the host, which is no subdomain yet.
                assertThat(DomainsApiTest.get(portB, "multi.links.test", "/xyz")).containsExactly("301", "https://standard.example/");

                assertThat(a.http().postJson("/api/v1/domains/subdomains", Http.json(Map.of("subdomain", "multi")), a.admin()).status())
                        .isEqualTo(201);
                a.createLink(Map.of("url", "https://multi.example/one", "custom_alias", "xyz", "subdomain", "multi"));
                awaitOnB(portB, "multi.links.test", "/xyz", "301", "https://multi.example/one");
                assertThat(DomainsApiTest.get(portB, "links.test", "/xyz")).containsExactly("301", "https://standard.example/");

                // A change of the subdomain's link reaches B's cache for that host only.
                String id = a.http().get("/api/v1/short-urls?url_type=subdomain", a.admin()).json()
                        .get("data").get("shortUrls").get(0).get("id").asText();
                a.http().send("PATCH", "/api/v1/short-urls/" + id, Http.json(Map.of("url", "https://multi.example/two")), a.admin());
                awaitOnB(portB, "multi.links.test", "/xyz", "301", "https://multi.example/two");
                assertThat(DomainsApiTest.get(portB, "links.test", "/xyz")).containsExactly("301", "https://standard.example/");

                // Deleted with its links: on B the host is the standard domain again.
                assertThat(a.http().send("DELETE", "/api/v1/domains/subdomains/multi?force=true", null, a.admin()).status()).isEqualTo(200);
                awaitOnB(portB, "multi.links.test", "/xyz", "301", "https://standard.example/");
            } finally {
                b.destroy();
                b.waitFor();
            }
        }
    }

    private static void awaitOnB(int port, String host, String path, String... expected) {
        long start = System.nanoTime();
        TestServer.await(Duration.ofSeconds(1), () -> {
            try {
                return Arrays.equals(DomainsApiTest.get(port, host, path), expected);
            } catch (Exception e) {
                return false;
            }
        });
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);
    }
}
