package dev.linkpulse.config;

import dev.linkpulse.http.Cidr;
import dev.linkpulse.http.RateLimits;
import dev.linkpulse.store.Database;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything the server is built from.
 *
 * @param geoDatabases MMDB files, most detailed first; empty means the bundled country database
 * @param rateLimits   requests allowed per key and endpoint class
 * @param postgres     the PostgreSQL server to use; empty means the embedded SQLite store in dataDir
 */
public record Config(
        int port,
        Path dataDir,
        String baseUrl,
        Optional<String> initialApiKey,
        List<Cidr> trustedProxies,
        List<Path> geoDatabases,
        RateLimits rateLimits,
        Optional<Database.PostgresSettings> postgres,
        Optional<Integer> retentionDays,
        java.time.Duration idleTimeout,
        String dnsResolver) {

    public Config {
        trustedProxies = List.copyOf(trustedProxies);
        geoDatabases = List.copyOf(geoDatabases);
    }

    /** Every setting but the secrets: the initial API key shows only whether it is set, PostgreSQL hides its passwords. */
    @Override
    public String toString() {
        return "Config[port=" + port + ", dataDir=" + dataDir + ", baseUrl=" + baseUrl
                + ", initialApiKey=" + (initialApiKey.isPresent() ? "(set)" : "(none)")
                + ", trustedProxies=" + trustedProxies + ", geoDatabases=" + geoDatabases + ", rateLimits=" + rateLimits
                + ", postgres=" + postgres + ", retentionDays=" + retentionDays + ", idleTimeout=" + idleTimeout
                + ", dnsResolver=" + (dnsResolver.isEmpty() ? "(system)" : dnsResolver) + "]";
    }
}
