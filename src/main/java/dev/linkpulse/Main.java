package dev.linkpulse;

import dev.linkpulse.config.Config;
import dev.linkpulse.config.ConfigException;
import dev.linkpulse.config.ConfigLoader;
import dev.linkpulse.config.Setting;
import dev.linkpulse.keys.KeyService;
import dev.linkpulse.keys.Permission;
import dev.linkpulse.store.Database;
import java.time.Clock;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The command line: {@code serve} (the default) and {@code keys create}. */
@Command(name = "linkpulse", mixinStandardHelpOptions = true, version = "Linkpulse 0.1.0",
        description = "Self-hosted link shortener with click analytics.",
        subcommands = {Main.Serve.class, Main.Keys.class, Main.DemoDataCommand.class})
public final class Main implements Callable<Integer> {

    /** The longest a stop (SIGTERM) may take; the recorder gives up on the store well before. */
    static final java.time.Duration SHUTDOWN_LIMIT = java.time.Duration.ofSeconds(29);

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        System.exit(cli.execute(args.length == 0 ? new String[] {"serve"} : args));
    }

    @Override
    public Integer call() {
        return new CommandLine(new Serve()).execute();
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Start the server. Each flag overrides its environment variable.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--port", paramLabel = "PORT", description = "LINKPULSE_PORT (default 8080)")
        String port;
        @Option(names = "--data-dir", paramLabel = "DIR", description = "LINKPULSE_DATA_DIR (default ./data)")
        String dataDir;
        @Option(names = "--base-url", paramLabel = "URL", description = "LINKPULSE_BASE_URL (default http://localhost:8080)")
        String baseUrl;
        @Option(names = "--initial-api-key", paramLabel = "KEY", description = "LINKPULSE_INITIAL_API_KEY")
        String initialApiKey;
        @Option(names = "--trusted-proxies", paramLabel = "CIDRS", description = "LINKPULSE_TRUSTED_PROXIES (default loopback)")
        String trustedProxies;
        @Option(names = "--geo-db", paramLabel = "FILES", description = "LINKPULSE_GEO_DB: .mmdb files, most detailed first")
        String geoDb;
        @Option(names = "--rate-limits", paramLabel = "LIMITS",
                description = "LINKPULSE_RATE_LIMITS, e.g. write=600/min,read=6000/min,analytics=3000/min")
        String rateLimits;
        @Option(names = "--db-url", paramLabel = "JDBC_URL", description = "LINKPULSE_DB_URL: jdbc:postgresql://host:5432/db (default: SQLite in the data directory)")
        String dbUrl;
        @Option(names = "--db-user", paramLabel = "USER", description = "LINKPULSE_DB_USER")
        String dbUser;
        @Option(names = "--db-password", paramLabel = "PASSWORD", description = "LINKPULSE_DB_PASSWORD (prefer the variable: flags show in process lists)")
        String dbPassword;
        @Option(names = "--retention-days", paramLabel = "DAYS",
                description = "LINKPULSE_RETENTION_DAYS: delete raw clicks older than DAYS (default: keep forever); totals and daily aggregates stay")
        String retentionDays;
        @Option(names = "--idle-timeout", paramLabel = "SECONDS",
                description = "LINKPULSE_IDLE_TIMEOUT: close a connection silent this long mid-request (default 30)")
        String idleTimeout;
        // --- events (issue 18) ---
        @Option(names = "--webhook-allow-private", paramLabel = "true|false",
                description = "LINKPULSE_WEBHOOK_ALLOW_PRIVATE: let webhooks reach private, loopback and link-local addresses (default false)")
        String webhookAllowPrivate;
        @Option(names = "--webhook-retry", paramLabel = "FIRST,MAX,FOR",
                description = "LINKPULSE_WEBHOOK_RETRY: first wait, longest wait and how long to retry a delivery (default 5s,2h,24h)")
        String webhookRetry;
        @Option(names = "--metrics-token", paramLabel = "TOKEN",
                description = "LINKPULSE_METRICS_TOKEN: Bearer token /metrics asks for (default: open)")
        String metricsToken;

        @Option(names = "--dns-resolver", paramLabel = "URL",
                description = "LINKPULSE_DNS_RESOLVER: DNS server verifying branded domains, dns://host:port (default: the system's)")
        String dnsResolver;

        // --- Kafka click stream (issue 18) ---
        @Option(names = "--kafka-bootstrap-servers", paramLabel = "HOST:PORT,...",
                description = "LINKPULSE_KAFKA_BOOTSTRAP_SERVERS: publish every stored click to Kafka (default: off)")
        String kafkaBootstrapServers;
        @Option(names = "--kafka-topic", paramLabel = "TOPIC",
                description = "LINKPULSE_KAFKA_TOPIC: the topic clicks are published to (default linkpulse.clicks)")
        String kafkaTopic;
        @Option(names = "--kafka-properties", paramLabel = "FILE",
                description = "LINKPULSE_KAFKA_PROPERTIES: a properties file of further producer settings, such as TLS or SASL")
        String kafkaProperties;

        @Override
        public Integer call() throws InterruptedException {
            Map<Setting, String> flags = new EnumMap<>(Setting.class);
            putIfGiven(flags, Setting.PORT, port);
            putIfGiven(flags, Setting.DATA_DIR, dataDir);
            putIfGiven(flags, Setting.BASE_URL, baseUrl);
            putIfGiven(flags, Setting.INITIAL_API_KEY, initialApiKey);
            putIfGiven(flags, Setting.TRUSTED_PROXIES, trustedProxies);
            putIfGiven(flags, Setting.GEO_DB, geoDb);
            putIfGiven(flags, Setting.RATE_LIMITS, rateLimits);
            putIfGiven(flags, Setting.DB_URL, dbUrl);
            putIfGiven(flags, Setting.DB_USER, dbUser);
            putIfGiven(flags, Setting.RETENTION_DAYS, retentionDays);
            putIfGiven(flags, Setting.IDLE_TIMEOUT, idleTimeout);
            putIfGiven(flags, Setting.WEBHOOK_ALLOW_PRIVATE, webhookAllowPrivate);
            putIfGiven(flags, Setting.WEBHOOK_RETRY, webhookRetry);
            putIfGiven(flags, Setting.METRICS_TOKEN, metricsToken);
            putIfGiven(flags, Setting.DNS_RESOLVER, dnsResolver);
            putIfGiven(flags, Setting.KAFKA_BOOTSTRAP_SERVERS, kafkaBootstrapServers);
            putIfGiven(flags, Setting.KAFKA_TOPIC, kafkaTopic);
            putIfGiven(flags, Setting.KAFKA_PROPERTIES, kafkaProperties);
            putIfGiven(flags, Setting.DB_PASSWORD, dbPassword);
            Config config;
            try {
                config = ConfigLoader.load(System.getenv(), flags);
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            App app = App.start(config);
            app.firstKey().ifPresent(k -> announceFirstKey(k, config));
            String store = config.postgres().map(p -> "PostgreSQL at " + p.displayUrl())
                    .orElse("SQLite in " + config.dataDir().toAbsolutePath());
            System.out.println("Linkpulse listening on port " + app.port() + ", store: " + store
                    + ", short links on " + config.baseUrl());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                // SIGTERM ends within 30 s whatever hangs: every click is in the journal before it is
                // stored, so ending here loses nothing the next start does not replay.
                Thread watchdog = Thread.ofPlatform().daemon().name("shutdown-watchdog").start(() -> {
                    try {
                        Thread.sleep(SHUTDOWN_LIMIT.toMillis());
                    } catch (InterruptedException done) {
                        return;
                    }
                    System.err.println("Stopping took longer than " + SHUTDOWN_LIMIT.toSeconds()
                            + " s: halting; clicks not yet stored are replayed from the journal at the next start");
                    Runtime.getRuntime().halt(1);
                });
                app.close();
                watchdog.interrupt();
                stopped.countDown();
            }, "shutdown"));
            stopped.await();
            return 0;
        }

        private static void putIfGiven(Map<Setting, String> flags, Setting setting, String value) {
            if (value != null) {
                flags.put(setting, value);
            }
        }
    }

    @Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage API keys.",
            subcommands = {Keys.Create.class})
    static final class Keys {

        @Command(name = "create", mixinStandardHelpOptions = true,
                description = "Create an API key and print it (last line). It is shown only once.")
        static final class Create implements Callable<Integer> {
            @Option(names = "--name", required = true, description = "A name to recognise the key by")
            String name;
            @Option(names = "--permissions", required = true, split = ",",
                    description = "Comma-separated: read, write, delete, analytics, admin")
            String[] permissions;
            @Option(names = "--workspace", description = "Workspace id or name; a new name creates it (default: the first workspace)")
            String workspace;
            @Mixin
            StoreOptions store;

            @Override
            public Integer call() {
                Set<Permission> perms = EnumSet.noneOf(Permission.class);
                for (String p : permissions) {
                    Optional<Permission> parsed = Permission.parse(p.strip());
                    if (parsed.isEmpty()) {
                        System.err.println("Unknown permission '" + p + "': use read, write, delete, analytics, admin");
                        return 2;
                    }
                    perms.add(parsed.get());
                }
                if (name.isBlank() || name.length() > 255) {
                    System.err.println("--name must be 1 to 255 characters");
                    return 2;
                }
                Config config;
                try {
                    config = store.config();
                } catch (ConfigException e) {
                    System.err.println(e.getMessage());
                    return 2;
                }
                try (Database db = App.openStore(config)) {
                    KeyService.CreatedKey created = new KeyService(db.jdbi(), Clock.systemUTC())
                            .create(name.strip(), perms, Optional.ofNullable(workspace).map(String::strip), Optional.empty());
                    System.out.println("Created key '" + created.key().name() + "' (id " + created.key().id()
                            + ", workspace " + created.key().workspaceId() + "). It is shown only now:");
                    System.out.println(created.secret());
                }
                return 0;
            }
        }
    }

    @Command(name = "demo-data", mixinStandardHelpOptions = true,
            description = "Fill the store with realistic demo clicks (new links, already enriched clicks).")
    static final class DemoDataCommand implements Callable<Integer> {
        @Option(names = "--links", required = true, description = "How many links to create (1-100000)")
        int links;
        @Option(names = "--clicks", required = true, description = "How many clicks to create in all")
        long clicks;
        @Option(names = "--days", defaultValue = "90", description = "Spread clicks over the last D days (default 90)")
        int days;
        @Option(names = "--top-link-share", defaultValue = "0",
                description = "Share of all clicks the first link gets, 0-0.99 (default 0: a Zipf-like spread)")
        double topLinkShare;
        @Option(names = "--workspace", description = "Workspace id or name (default: the first workspace)")
        String workspace;
        @Option(names = "--seed", defaultValue = "1", description = "Random seed, for repeatable data")
        long seed;
        @Mixin
        StoreOptions store;

        @Override
        public Integer call() throws InterruptedException {
            if (links < 1 || links > 100_000 || clicks < 0 || clicks > 1_000_000_000L || days < 1 || days > 3_650
                    || topLinkShare < 0 || topLinkShare >= 1) {
                System.err.println("Out of range: --links 1-100000, --clicks 0-1000000000, --days 1-3650, --top-link-share 0-0.99");
                return 2;
            }
            Config config;
            try {
                config = store.config();
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            Clock clock = Clock.systemUTC();
            try (Database db = App.openStore(config); var changes = db.openChangeFeed()) {
                KeyService keys = new KeyService(db.jdbi(), clock);
                keys.ensureFirstKey(config.initialApiKey()).ifPresent(k -> announceFirstKey(k, config));
                String workspaceId = keys.workspaceId(Optional.ofNullable(workspace));
                var clickStore = new dev.linkpulse.clicks.log.ClickStore(db.jdbi(), db.dialect());
                var linkService = new dev.linkpulse.links.LinkService(db.jdbi(), clickStore, changes, clock);
                var rollups = new dev.linkpulse.clicks.rollups.RollupStep(db.jdbi(), db.dialect());
                var result = new dev.linkpulse.demo.DemoData(linkService, clickStore, rollups, clock, seed)
                        .generate(workspaceId, links, clicks, days, topLinkShare, System.err);
                System.out.printf("Created %d links and %,d clicks in %.1f s (%,.0f clicks/s), counted into the rollups in %.1f s more%n",
                        result.links().size(), result.clicks(), result.seconds(), result.clicks() / Math.max(result.seconds(), 1e-3),
                        result.rollupSeconds());
            }
            return 0;
        }
    }

    /**
     * Says that the first admin key exists. Only a generated key is printed (once, now): a key the
     * operator gave in LINKPULSE_INITIAL_API_KEY is theirs already, and printing it would copy a
     * secret into terminals and log collectors.
     */
    static void announceFirstKey(KeyService.CreatedKey key, Config config) {
        if (config.initialApiKey().isPresent()) {
            System.out.println("Created the first admin API key from " + Setting.INITIAL_API_KEY.label()
                    + " (id " + key.key().id() + ")");
        } else {
            System.out.println("Created the first admin API key (shown only now, store it safely): " + key.secret());
        }
    }

    /** Which store a command works on: the same settings as {@code serve}, flags over environment. */
    static final class StoreOptions {
        @Option(names = "--data-dir", description = "LINKPULSE_DATA_DIR (default ./data)")
        String dataDir;
        @Option(names = "--db-url", description = "LINKPULSE_DB_URL (PostgreSQL; the password comes from LINKPULSE_DB_PASSWORD)")
        String dbUrl;
        @Option(names = "--db-user", description = "LINKPULSE_DB_USER")
        String dbUser;

        Config config() {
            Map<Setting, String> flags = new EnumMap<>(Setting.class);
            if (dataDir != null) {
                flags.put(Setting.DATA_DIR, dataDir);
            }
            if (dbUrl != null) {
                flags.put(Setting.DB_URL, dbUrl);
            }
            if (dbUser != null) {
                flags.put(Setting.DB_USER, dbUser);
            }
            return ConfigLoader.load(System.getenv(), flags);
        }
    }
}
