package dev.linkpulse.config;

import dev.linkpulse.http.Cidr;
import dev.linkpulse.http.RateLimits;
import dev.linkpulse.store.Database;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds a {@link Config}: defaults, overridden by the environment, overridden by flags. */
public final class ConfigLoader {

    private ConfigLoader() {}

    /**
     * @param env   the process environment
     * @param flags values given on the command line, by setting; absent when not given
     */
    public static Config load(Map<String, String> env, Map<Setting, String> flags) {
        Map<Setting, String> raw = new java.util.EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            String value = flags.get(s);
            if (value == null) {
                value = env.get(s.env());
            }
            raw.put(s, value == null ? s.defaultValue() : value.strip());
        }
        return new Config(
                port(raw.get(Setting.PORT)),
                dataDir(raw.get(Setting.DATA_DIR)),
                baseUrl(raw.get(Setting.BASE_URL)),
                initialApiKey(raw.get(Setting.INITIAL_API_KEY)),
                trustedProxies(raw.get(Setting.TRUSTED_PROXIES)),
                geoDatabases(raw.get(Setting.GEO_DB)),
                RateLimits.parse(raw.get(Setting.RATE_LIMITS)).orElseThrow(() -> invalid(Setting.RATE_LIMITS,
                        raw.get(Setting.RATE_LIMITS), "class=N/unit pairs such as write=600/min,read=6000/min,analytics=3000/min")),
                postgres(raw.get(Setting.DB_URL), raw.get(Setting.DB_USER), raw.get(Setting.DB_PASSWORD)),
                retentionDays(raw.get(Setting.RETENTION_DAYS)),
                idleTimeout(raw.get(Setting.IDLE_TIMEOUT)),
                events(raw),
                dnsResolver(raw.get(Setting.DNS_RESOLVER)),
                kafka(raw));
    }

    // --- events (issue 18) ---
    private static Config.Events events(Map<Setting, String> raw) {
        String allow = raw.get(Setting.WEBHOOK_ALLOW_PRIVATE);
        if (!allow.equals("true") && !allow.equals("false")) {
            throw invalid(Setting.WEBHOOK_ALLOW_PRIVATE, allow, "true or false");
        }
        String retry = raw.get(Setting.WEBHOOK_RETRY);
        String[] parts = retry.split(",", -1);
        java.time.Duration[] d = new java.time.Duration[3];
        if (parts.length == 3) {
            for (int i = 0; i < 3; i++) {
                d[i] = duration(parts[i].strip());
            }
        }
        if (d[0] == null || d[1] == null || d[2] == null || d[0].isZero() || d[1].compareTo(d[0]) < 0
                || d[2].compareTo(java.time.Duration.ofDays(7)) > 0) {
            throw invalid(Setting.WEBHOOK_RETRY, retry,
                    "first wait, longest wait and how long to retry, such as 5s,2h,24h (units ms, s, m, h; at most 7 days)");
        }
        String token = raw.get(Setting.METRICS_TOKEN);
        return new Config.Events(allow.equals("true"), d[0], d[1], d[2], token.isEmpty() ? Optional.empty() : Optional.of(token));
    }

    /** "250ms", "5s", "2m", "24h"; null when it is none of those. */
    private static java.time.Duration duration(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h)").matcher(s);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> java.time.Duration.ofMillis(n);
            case "s" -> java.time.Duration.ofSeconds(n);
            case "m" -> java.time.Duration.ofMinutes(n);
            default -> java.time.Duration.ofHours(n);
        };
    }

    // --- Kafka click stream (issue 18) ---
    /** Present only with bootstrap servers: without them nothing Kafka-related starts. */
    private static Optional<Config.Kafka> kafka(Map<Setting, String> raw) {
        String servers = raw.get(Setting.KAFKA_BOOTSTRAP_SERVERS);
        if (servers.isEmpty()) {
            return Optional.empty();
        }
        for (String part : servers.split(",", -1)) {
            if (!part.strip().matches("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+):[0-9]{1,5}")) {
                throw invalid(Setting.KAFKA_BOOTSTRAP_SERVERS, servers, "host:port pairs separated by commas, such as kafka1:9092,kafka2:9092");
            }
        }
        String topic = raw.get(Setting.KAFKA_TOPIC);
        // Kafka's own rule for topic names; "." and ".." are refused by the broker too.
        if (!topic.matches("[A-Za-z0-9._-]{1,249}") || topic.equals(".") || topic.equals("..")) {
            throw invalid(Setting.KAFKA_TOPIC, topic, "a Kafka topic name: letters, digits, '.', '_' and '-', at most 249");
        }
        String file = raw.get(Setting.KAFKA_PROPERTIES);
        Optional<Path> properties = Optional.empty();
        if (!file.isEmpty()) {
            try {
                Path path = Path.of(file);
                if (Files.isReadable(path) && !Files.isDirectory(path)) {
                    properties = Optional.of(path);
                }
            } catch (InvalidPathException e) {
                // reported below
            }
            if (properties.isEmpty()) {
                throw invalid(Setting.KAFKA_PROPERTIES, file, "the path of a readable properties file of producer settings");
            }
            refuseUnsafeProducerSettings(properties.get(), file);
        }
        return Optional.of(new Config.Kafka(String.join(",", java.util.Arrays.stream(servers.split(",")).map(String::strip).toList()),
                topic, properties));
    }

    /**
     * Settings the publisher cannot work with, refused at start rather than failing every send: a
     * transactional producer refuses sends outside a transaction, and more than 5 requests in
     * flight is refused by the idempotent producer the publisher always uses.
     */
    private static void refuseUnsafeProducerSettings(Path path, String file) {
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newInputStream(path)) {
            p.load(in);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw invalid(Setting.KAFKA_PROPERTIES, file, "a readable properties file of producer settings (" + e.getMessage() + ")");
        }
        if (p.containsKey("transactional.id")) {
            throw invalid(Setting.KAFKA_PROPERTIES, file, "producer settings without transactional.id (the publisher does not use transactions)");
        }
        String inFlight = p.getProperty("max.in.flight.requests.per.connection");
        if (inFlight != null && !inFlight.strip().matches("[1-5]")) {
            throw invalid(Setting.KAFKA_PROPERTIES, file, "producer settings with max.in.flight.requests.per.connection from 1 to 5 "
                    + "(the idempotent producer allows no more)");
        }
    }

    /** The DNS server that verifies branded domains: empty for the system's resolvers, else dns://host:port. */
    private static String dnsResolver(String value) {
        if (value.isEmpty() || value.matches("dns://[A-Za-z0-9.\\[\\]:-]+(:[0-9]{1,5})?")) {
            return value;
        }
        throw invalid(Setting.DNS_RESOLVER, value, "empty (the system's resolvers) or dns://host:port, such as dns://127.0.0.1:53");
    }

    /** How long a connection may stay silent mid-request (slow or stalled clients) before it is closed. */
    private static java.time.Duration idleTimeout(String value) {
        try {
            int seconds = Integer.parseInt(value);
            if (seconds >= 1 && seconds <= 3_600) {
                return java.time.Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(Setting.IDLE_TIMEOUT, value, "a number of seconds from 1 to 3600");
    }

    /** Days raw clicks are kept; empty keeps them forever. */
    private static Optional<Integer> retentionDays(String value) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            int days = Integer.parseInt(value);
            if (days >= 1 && days <= 36_500) {
                return Optional.of(days);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(Setting.RETENTION_DAYS, value, "a number of days from 1 to 36500, or empty to keep clicks forever");
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(Setting.PORT, value, "a port number from 0 to 65535");
    }

    private static Path dataDir(String value) {
        if (value.isEmpty()) {
            throw invalid(Setting.DATA_DIR, value, "a directory path");
        }
        try {
            Path dir = Path.of(value);
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw invalid(Setting.DATA_DIR, value, "a directory, not a file");
            }
            return dir;
        } catch (InvalidPathException e) {
            throw invalid(Setting.DATA_DIR, value, "a directory path");
        }
    }

    private static String baseUrl(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (scheme != null && (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getQuery() == null && uri.getFragment() == null && uri.getUserInfo() == null) {
                String url = uri.toString();
                return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw invalid(Setting.BASE_URL, value, "an absolute http or https URL without query, such as https://lnk.example.com");
    }

    private static Optional<String> initialApiKey(String value) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        boolean printable = value.chars().allMatch(c -> c > 0x20 && c < 0x7f);
        if (!printable || value.length() < 16 || value.length() > 256) {
            // The value is a secret: never echo it.
            throw new ConfigException("Invalid " + Setting.INITIAL_API_KEY.label()
                    + ": expected 16 to 256 printable ASCII characters without spaces");
        }
        return Optional.of(value);
    }

    private static List<Cidr> trustedProxies(String value) {
        List<Cidr> out = new ArrayList<>();
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            out.add(Cidr.parse(part).orElseThrow(() ->
                    invalid(Setting.TRUSTED_PROXIES, part.strip(), "comma-separated CIDRs such as 10.0.0.0/8,::1/128")));
        }
        return out;
    }

    private static Optional<Database.PostgresSettings> postgres(String url, String user, String password) {
        if (url.isEmpty()) {
            if (!user.isEmpty() || !password.isEmpty()) {
                throw new ConfigException("Invalid " + Setting.DB_USER.label() + ": a database user is set but "
                        + Setting.DB_URL.label() + " is not");
            }
            return Optional.empty();
        }
        if (!url.startsWith("jdbc:postgresql://") || url.length() <= "jdbc:postgresql://".length()) {
            // The URL may carry a password: name the setting, not the value.
            throw new ConfigException("Invalid " + Setting.DB_URL.label()
                    + ": expected a PostgreSQL JDBC URL such as jdbc:postgresql://db.example.com:5432/linkpulse");
        }
        return Optional.of(new Database.PostgresSettings(url, user.isEmpty() ? null : user, password.isEmpty() ? null : password));
    }

    private static List<Path> geoDatabases(String value) {
        List<Path> out = new ArrayList<>();
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            Path path;
            try {
                path = Path.of(part.strip());
            } catch (InvalidPathException e) {
                throw invalid(Setting.GEO_DB, part.strip(), "paths of readable .mmdb files");
            }
            if (!Files.isReadable(path) || Files.isDirectory(path)) {
                throw invalid(Setting.GEO_DB, part.strip(), "paths of readable .mmdb files (this one cannot be read)");
            }
            out.add(path);
        }
        return out;
    }

    private static ConfigException invalid(Setting setting, String value, String expected) {
        return new ConfigException("Invalid " + setting.label() + ": '" + value + "', expected " + expected);
    }
}
