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
        Events events,
        String dnsResolver,
        Optional<Kafka> kafka) {

    /**
     * The Kafka click stream (issue 18); absent when {@code LINKPULSE_KAFKA_BOOTSTRAP_SERVERS} is not set.
     *
     * @param bootstrapServers host:port pairs, comma-separated, as Kafka clients take them
     * @param topic            where every stored click is published
     * @param properties       a properties file of further producer settings (TLS, SASL); empty for none
     */
    public record Kafka(String bootstrapServers, String topic, Optional<Path> properties) {}

    /**
     * Events out (issue 18).
     *
     * @param webhookAllowPrivate deliver to private, loopback and link-local addresses too (tests, closed networks)
     * @param retryFirst          the wait before a failed delivery's first retry; each later wait doubles
     * @param retryMax            the longest wait between two attempts
     * @param retryFor            how long a delivery is retried before it is given up
     * @param metricsToken        the Bearer token {@code /metrics} asks for; empty leaves it open
     */
    public record Events(boolean webhookAllowPrivate, java.time.Duration retryFirst, java.time.Duration retryMax,
            java.time.Duration retryFor, Optional<String> metricsToken) {
        @Override
        public String toString() {
            return "Events[webhookAllowPrivate=" + webhookAllowPrivate + ", retry=" + retryFirst + ".." + retryMax + " for "
                    + retryFor + ", metricsToken=" + (metricsToken.isPresent() ? "(set)" : "(none)") + "]";
        }
    }

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
                + ", postgres=" + postgres + ", retentionDays=" + retentionDays + ", idleTimeout=" + idleTimeout + ", events=" + events
                + ", kafka=" + kafka
                + ", dnsResolver=" + (dnsResolver.isEmpty() ? "(system)" : dnsResolver) + "]";
    }
}
