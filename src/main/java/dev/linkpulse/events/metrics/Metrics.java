package dev.linkpulse.events.metrics;

import dev.linkpulse.clicks.ingest.ClickRecorder;
import dev.linkpulse.events.webhooks.Webhooks;
import dev.linkpulse.links.Redirects;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Prometheus registry and what it measures. Nothing here runs on the redirect path: redirects
 * and offered clicks are plain adders in their owners, read by function counters when scraped; the
 * pipeline's counts come from the recorder's own statistics the same way.
 */
public final class Metrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<Webhooks.Outcome, Counter> webhookOutcomes = new EnumMap<>(Webhooks.Outcome.class);

    /**
     * @param rollupLag clicks stored but not yet counted into the rollups, when known
     */
    public Metrics(Redirects redirects, ClickRecorder recorder, Webhooks webhooks, Supplier<OptionalLong> rollupLag) {
        for (int status : Redirects.STATUSES) {
            FunctionCounter.builder("linkpulse.redirects", redirects, r -> r.answered(status))
                    .description("Answers to short-link requests, by HTTP status")
                    .tag("status", Integer.toString(status)).register(registry);
        }
        FunctionCounter.builder("linkpulse.clicks.offered", recorder, ClickRecorder::offered)
                .description("Clicks handed to the recorder by redirects").register(registry);
        FunctionCounter.builder("linkpulse.clicks.journaled", recorder, ClickRecorder::journaledTotal)
                .description("Clicks written to the local journal").register(registry);
        FunctionCounter.builder("linkpulse.clicks.stored", recorder, r -> r.stats().stored())
                .description("Clicks committed to the store").register(registry);
        FunctionCounter.builder("linkpulse.clicks.quarantined", recorder, r -> r.stats().quarantined())
                .description("Clicks the store rejected every time, set aside").register(registry);
        FunctionCounter.builder("linkpulse.clicks.overflowed", recorder, r -> r.stats().overflowed())
                .description("Clicks lost because memory and journal were full").register(registry);
        Gauge.builder("linkpulse.clicks.backlog", recorder, r -> r.stats().queued() + r.stats().journaled())
                .description("Clicks taken but not yet stored (in memory and in the journal)").register(registry);
        Gauge.builder("linkpulse.rollups.lag", rollupLag, s -> s.get().orElse(0))
                .description("Clicks stored but not yet counted into the rollups").strongReference(true).register(registry);
        Timer batch = Timer.builder("linkpulse.store.batch")
                .description("Time to commit one batch of clicks to the store")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        recorder.onBatchStored(nanos -> batch.record(nanos, TimeUnit.NANOSECONDS));

        for (Webhooks.Outcome o : Webhooks.Outcome.values()) {
            webhookOutcomes.put(o, Counter.builder("linkpulse.webhook.deliveries")
                    .description("Webhook delivery attempts and what came of them")
                    .tag("result", o.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
        }
        webhooks.onOutcome(o -> webhookOutcomes.get(o).increment());
        Gauge.builder("linkpulse.webhook.pending", webhooks, Webhooks::pendingDeliveries)
                .description("Webhook deliveries waiting to be sent").register(registry);

        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
