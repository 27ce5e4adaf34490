package dev.linkpulse.config;

import dev.linkpulse.http.Cidr;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything the server is built from.
 *
 * @param geoDatabases MMDB files, most detailed first; empty means the bundled country database
 */
public record Config(
        int port,
        Path dataDir,
        String baseUrl,
        Optional<String> initialApiKey,
        List<Cidr> trustedProxies,
        List<Path> geoDatabases) {

    public Config {
        trustedProxies = List.copyOf(trustedProxies);
        geoDatabases = List.copyOf(geoDatabases);
    }

    public Config withPort(int newPort) {
        return new Config(newPort, dataDir, baseUrl, initialApiKey, trustedProxies, geoDatabases);
    }
}
