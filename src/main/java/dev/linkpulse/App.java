package dev.linkpulse;

import dev.linkpulse.analytics.AnalyticsApi;
import dev.linkpulse.analytics.ClickDetailsApi;
import dev.linkpulse.analytics.ClickStream;
import dev.linkpulse.analytics.ClickStreamApi;
import dev.linkpulse.clicks.rollups.ClickAggregates;
import dev.linkpulse.clicks.ingest.ClickJournal;
import dev.linkpulse.clicks.ingest.ClickRecorder;
import dev.linkpulse.clicks.log.ClickRetention;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.clicks.rollups.RollupStep;
import dev.linkpulse.clicks.rollups.RollupWorker;
import dev.linkpulse.config.Config;
import dev.linkpulse.enrich.Enricher;
import dev.linkpulse.events.metrics.Metrics;
import dev.linkpulse.events.metrics.MetricsApi;
import dev.linkpulse.events.webhooks.Webhooks;
import dev.linkpulse.events.webhooks.WebhooksApi;
import dev.linkpulse.enrich.GeoLocator;
import dev.linkpulse.enrich.UserAgentClassifier;
import dev.linkpulse.enrich.VisitorHasher;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.ClientIp;
import dev.linkpulse.http.HealthApi;
import dev.linkpulse.http.HttpServer;
import dev.linkpulse.http.OpenApiRoute;
import dev.linkpulse.http.RateLimiter;
import dev.linkpulse.keys.KeyService;
import dev.linkpulse.keys.KeysApi;
import dev.linkpulse.links.BulkImportApi;
import dev.linkpulse.links.BulkShortener;
import dev.linkpulse.links.LinkService;
import dev.linkpulse.links.RedirectFastPath;
import dev.linkpulse.links.RedirectHandler;
import dev.linkpulse.dashboard.Dashboard;
import dev.linkpulse.links.Redirects;
import dev.linkpulse.links.ShortUrlApi;
import dev.linkpulse.mcp.McpApi;
import dev.linkpulse.smartlinks.AbTestApi;
import dev.linkpulse.smartlinks.ConversionStore;
import dev.linkpulse.smartlinks.ConversionsApi;
import dev.linkpulse.smartlinks.RulesApi;
import dev.linkpulse.smartlinks.SmartLinks;
import dev.linkpulse.smartlinks.SmartRedirect;
import dev.linkpulse.store.ChangeFeed;
import dev.linkpulse.store.Database;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds every part from a {@link Config}, starts them in order, and stops them in reverse. */
public final class App implements AutoCloseable {

    private final Database database;
    private final ChangeFeed changes;
    private final GeoLocator geo;
    private final ClickRecorder recorder;
    private final RollupWorker rollupWorker;
    private final Optional<ClickRetention> retention;
    private final ClickStream stream;
    private final HttpServer http;
    private final Optional<KeyService.CreatedKey> firstKey;
    private final Events events;
    private final LinkService links;

    /** What publishes events out (issue 18); parts are set as they are built, so a failed start closes what exists. */
    static final class Events implements AutoCloseable {
        volatile Webhooks webhooks;
        volatile Metrics metrics;
        volatile dev.linkpulse.events.kafka.KafkaPublisher kafka; // only with LINKPULSE_KAFKA_BOOTSTRAP_SERVERS

        void clicksStored() {
            Webhooks w = webhooks;
            if (w != null) {
                w.clicksStored();
            }
            dev.linkpulse.events.kafka.KafkaPublisher k = kafka;
            if (k != null) {
                k.clicksStored();
            }
        }

        @Override
        public void close() {
            if (webhooks != null) {
                webhooks.close();
            }
            if (kafka != null) {
                kafka.close();
            }
            if (metrics != null) {
                metrics.close();
            }
        }
    }

    private App(Database database, ChangeFeed changes, GeoLocator geo, ClickRecorder recorder, RollupWorker rollupWorker,
            ClickStream stream, HttpServer http, Optional<KeyService.CreatedKey> firstKey, Optional<ClickRetention> retention,
            Events events, LinkService links) {
        this.events = events;
        this.links = links;
        this.rollupWorker = rollupWorker;
        this.retention = retention;
        this.stream = stream;
        this.database = database;
        this.changes = changes;
        this.geo = geo;
        this.recorder = recorder;
        this.http = http;
        this.firstKey = firstKey;
    }

    public static App start(Config config) {
        return start(config, Clock.systemUTC(), ClickRecorder.Settings.DEFAULT);
    }

    public static App start(Config config, Clock clock, ClickRecorder.Settings recorderSettings) {
        ClassWarmup.start();
        UserAgentClassifier userAgents = UserAgentClassifier.notBuilt(); // built once the server listens
        Database database = openStore(config);
        ChangeFeed changes = database.openChangeFeed();
        GeoLocator geo = null;
        ClickRecorder recorder = null;
        RollupWorker rollupWorker = null;
        Events events = new Events(); // --- events (issue 18): filled in once links exist ---
        try {
            geo = GeoLocator.open(config.geoDatabases());
            KeyService keys = new KeyService(database.jdbi(), clock);
            Optional<KeyService.CreatedKey> firstKey = keys.ensureFirstKey(config.initialApiKey());

            ClickStore clickStore = new ClickStore(database.jdbi(), database.dialect());
            RollupStep rollupStep = new RollupStep(database.jdbi(), database.dialect());
            ClickRecorder[] storing = new ClickRecorder[1]; // the recorder wakes the worker, the worker asks the recorder
            rollupWorker = new RollupWorker(rollupStep, () -> storing[0] != null && storing[0].behind());
            RollupWorker rollups = rollupWorker;
            ClickAggregates aggregates = new ClickAggregates(database.jdbi(), database.dialect(), rollups::awaitCaughtUp);
            ClickStream stream = new ClickStream(changes);
            // One journal per port: several processes may share a data directory.
            ClickJournal journal = ClickJournal.inDataDir(config.dataDir(), String.valueOf(config.port()));
            // The writer's own connections: exports and long reads can take the whole shared pool.
            VisitorHasher visitors = new VisitorHasher(database.writerJdbi(), clock);
            visitors.prepare(); // the store answers now: the journal thread finds today's and tomorrow's salts at hand
            recorder = new ClickRecorder(new dev.linkpulse.qr.QrScans(new Enricher(geo, userAgents, visitors), database.writerJdbi()),
                    new ClickStore(database.writerJdbi(), database.dialect()), journal, recorderSettings, workspaces -> {
                        stream.stored(workspaces);
                        rollups.wake();
                        events.clicksStored();
                    });
            storing[0] = recorder;
            dev.linkpulse.domains.DomainService domains = new dev.linkpulse.domains.DomainService(database.jdbi(), config.baseUrl(),
                    config.dnsResolver(), changes, clock);
            LinkService links = new LinkService(database.jdbi(), clickStore, changes, clock,
                    dev.linkpulse.campaigns.CampaignService.directory(database.jdbi()), domains);
            links.onDelete(journal::purgeLink);
            // --- events (issue 18) ---
            Webhooks webhooks = new Webhooks(database.jdbi(), clickStore, links, clock, config.events(), config.baseUrl()).start();
            events.webhooks = webhooks;
            links.onCreate(webhooks::linkCreated);
            config.kafka().ifPresent(k -> events.kafka = new dev.linkpulse.events.kafka.KafkaPublisher(database.jdbi(), clickStore, links,
                    config.baseUrl(), k).start());
            ClientIp clientIp = new ClientIp(config.trustedProxies());
            Auth auth = new Auth(keys, new RateLimiter(config.rateLimits(), clock), clientIp);
            ClickRecorder rec = recorder;
            GeoLocator geoRef = geo;
            // Retention starts after the server listens; health reads it once it exists.
            java.util.concurrent.atomic.AtomicReference<Optional<ClickRetention>> retentionRef =
                    new java.util.concurrent.atomic.AtomicReference<>(Optional.empty());
            Redirects redirects = new Redirects(links, recorder, clientIp, clock);
            // --- smart links (issue 17): rules and click limits; only links marked smart reach them ---
            SmartLinks smartLinks = new SmartLinks(database.jdbi(), links, changes, config.baseUrl(), clock);
            SmartRedirect smartRedirect = new SmartRedirect(smartLinks, redirects, userAgents, geo, visitors);
            redirects.smartLinks(smartRedirect);
            events.metrics = new Metrics(redirects, recorder, webhooks, rollups::lag); // --- events (issue 18) ---
            if (events.kafka != null) {
                events.kafka.bindTo(events.metrics.registry());
            }
            ShortUrlApi shortUrlApi = new ShortUrlApi(links, clickStore, auth, config.baseUrl(), clock).extend(smartLinks.linkFields())
                    .qrImages(dev.linkpulse.qr.QrRenderer::dataUrl);
            ConversionStore conversions = new ConversionStore(database.jdbi(), database.dialect());
            AnalyticsApi analyticsApi = new AnalyticsApi(links, aggregates, conversions, auth, clock);
            dev.linkpulse.qr.QrService qrService = new dev.linkpulse.qr.QrService(database.jdbi(), links, clickStore,
                    smartLinks.linkFields(), config.baseUrl(), clock);
            webhooks.qrCodes((workspace, id) -> qrService.find(workspace, id).isPresent());
            HttpServer http = new HttpServer(config.port(), config.idleTimeout(), auth, database::isReachable, new RedirectFastPath(redirects), List.of(
                    new HealthApi(database::isReachable, () -> withKafka(health(rec, rollups, retentionRef.get(), userAgents, geoRef), events.kafka)),
                    new OpenApiRoute(auth),
                    shortUrlApi,
                    new BulkImportApi(new BulkShortener(links, config.baseUrl(), clock), auth),
                    new KeysApi(keys, auth, clock),
                    new ClickDetailsApi(links, clickStore, conversions, auth, clock, config.baseUrl()),
                    analyticsApi,
                    new ClickStreamApi(links, clickStore, stream, auth, config.baseUrl()),
                    new McpApi(auth, "0.1.0"), // MCP (issue 19): jmpy's tools over this REST API, in-process
                    // QR codes (issue 15): image work bounded to one render per core, off the redirect path.
                    new dev.linkpulse.qr.QrApi(qrService, links, auth, dev.linkpulse.qr.RenderGate.perCore(), clock)
                            .onCreate((code, shown) -> webhooks.qrCreated(code.workspaceId(), code.id(), shown)),
                    new dev.linkpulse.qr.QrAnalyticsApi(analyticsApi, aggregates, clickStore, qrService, auth), // QR scans (issue 15)
                    // Smart links (issue 17): rules, password form, A/B tests, conversions.
                    new RulesApi(smartLinks, links, auth),
                    smartRedirect, // POST /{code}: a protected link's password form
                    new AbTestApi(database.jdbi(), links, smartLinks, auth, config.baseUrl(), clock),
                    new ConversionsApi(conversions, auth, clock),
                    // Events (issue 18): webhooks and Prometheus metrics.
                    new WebhooksApi(webhooks, links, auth),
                    new MetricsApi(events.metrics, config.events().metricsToken()),
                    // Campaigns, tags and domains (issue 16).
                    new dev.linkpulse.campaigns.CampaignsApi(new dev.linkpulse.campaigns.CampaignService(database.jdbi(), links, clock),
                            shortUrlApi, analyticsApi, auth),
                    new dev.linkpulse.domains.DomainsApi(domains, links, auth),
                    new Dashboard(),
                    new RedirectHandler(redirects)))
                    .start();
            userAgents.build();
            Optional<ClickRetention> retention = config.retentionDays().map(days -> new ClickRetention(database.jdbi(), clock, days,
                    config.kafka().map(dev.linkpulse.config.Config.Kafka::topic)));
            retentionRef.set(retention);
            return new App(database, changes, geo, recorder, rollupWorker, stream, http, firstKey, retention, events, links);
        } catch (RuntimeException e) {
            if (recorder != null) {
                recorder.close();
            }
            if (rollupWorker != null) {
                rollupWorker.close();
            }
            events.close();
            changes.close();
            if (geo != null) {
                geo.close();
            }
            database.close();
            throw e;
        }
    }

    /** What /health reports of the click pipeline; package-private for HealthReportTest. */
    static HealthApi.Report health(ClickRecorder recorder, RollupWorker rollups, Optional<ClickRetention> retention,
            UserAgentClassifier userAgents, GeoLocator geo) {
        ClickRecorder.Stats stats = recorder.stats();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clicks_queued", stats.queued());
        out.put("clicks_stored", stats.stored());
        out.put("clicks_overflowed", stats.overflowed());
        out.put("clicks_journaled", stats.journaled());
        out.put("clicks_quarantined", stats.quarantined());
        out.put("storage_failing", stats.storageFailing());
        out.put("journal_failing", stats.journalFailing());
        out.put("enricher_failing", stats.enricherFailing());
        out.put("geolocation_failing", geo.failing());
        out.put("rollups_failing", rollups.failing());
        rollups.lag().ifPresent(lag -> out.put("clicks_not_counted", lag));
        out.put("clicks_left_out_of_rollups", rollups.skipped());
        boolean retentionFailing = retention.map(ClickRetention::failing).orElse(false);
        out.put("retention_failing", retentionFailing);
        out.put("user_agent_parser_ready", userAgents.isReady());
        return new HealthApi.Report(stats.storageFailing() || stats.journalFailing() || stats.enricherFailing() || geo.failing()
                || rollups.failing() || retentionFailing, out);
    }

    /** The Kafka publisher's state under {@code kafka} when it is on; an outage of the broker does not degrade the server. */
    private static HealthApi.Report withKafka(HealthApi.Report report, dev.linkpulse.events.kafka.KafkaPublisher kafka) {
        if (kafka == null) {
            return report;
        }
        Map<String, Object> details = new LinkedHashMap<>(report.details());
        details.put("kafka", kafka.health());
        return new HealthApi.Report(report.degraded(), details);
    }

    public int port() {
        return http.port();
    }

    /** The click recorder, for tests that need to hand it clicks the redirect never makes. */
    public ClickRecorder recorder() {
        return recorder;
    }

    /** The links, for tests that need to see what a request waits for. */
    public LinkService links() {
        return links;
    }

    /** The store, for tests that need to reach behind the server. */
    public Database database() {
        return database;
    }

    /** Every route the server registered, as "METHOD /path". */
    public List<String> endpoints() {
        return http.endpoints();
    }

    /** The admin key created on this start, when the store had none. */
    public Optional<KeyService.CreatedKey> firstKey() {
        return firstKey;
    }

    /**
     * Stops taking requests, stores every queued click it can (the rest stays in the journal), then
     * closes the store; each part is bounded (the recorder about 25 s with the default settings,
     * webhook deliveries in flight up to 15 s), and Main's watchdog halts the process at 29 s
     * whatever is left, so SIGTERM ends within 30 s.
     */
    @Override
    public void close() {
        retention.ifPresent(ClickRetention::close);
        rollupWorker.stop(); // its work waits behind the watermark; it must not hold the stop up
        stream.close();
        http.close();
        recorder.close();
        events.close(); // after the recorder: its last batch is turned into deliveries on the next start
        rollupWorker.close();
        changes.close();
        geo.close();
        database.close();
    }

    /** The store the configuration names: PostgreSQL when a URL is set, else SQLite in the data directory. */
    public static Database openStore(Config config) {
        return config.postgres().map(Database::openPostgres).orElseGet(() -> Database.openSqlite(config.dataDir()));
    }
}
