package dev.linkpulse.events.webhooks;

import dev.linkpulse.analytics.ClickRecordView;
import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.common.Backoff;
import dev.linkpulse.common.Timestamps;
import dev.linkpulse.config.Config;
import dev.linkpulse.http.Json;
import dev.linkpulse.links.LinkService;
import dev.linkpulse.links.ShortUrl;
import dev.linkpulse.links.ShortUrlView;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhooks (spec §6.7): subscriptions, and the two workers that deliver them.
 *
 * <p>The fan-out worker follows the click log in storage order from a durable position and turns
 * each click into one delivery per matching subscription, in the same transaction that moves the
 * position: a click is never turned into deliveries twice, and a restart loses none. The sender
 * sends due deliveries with at most {@link #MAX_IN_FLIGHT} connections open at once, retries failed
 * ones with doubling waits until their retry window ends, and disables a subscription whose
 * deliveries have failed for {@link #DISABLE_AFTER}. Neither runs on the redirect path: the
 * recorder only wakes the fan-out after a batch is stored.
 */
public final class Webhooks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

    public static final String LINK_CREATED = "link.created";
    public static final String LINK_CLICKED = "link.clicked";
    public static final String LINK_CLICKED_UNIQUE = "link.clicked.unique";
    public static final String QR_CREATED = "qr.created";
    /** A stored click that is a tracked QR code's scan (issue 15). */
    public static final String QR_SCANNED = "qr.scanned";
    /** Every event name of the contract, in its order. */
    public static final List<String> EVENTS = List.of(LINK_CREATED, LINK_CLICKED, LINK_CLICKED_UNIQUE, QR_CREATED, QR_SCANNED);

    static final int MAX_IN_FLIGHT = 16;
    static final Duration DISABLE_AFTER = Duration.ofDays(3);
    private static final int CLICKS_PER_STEP = 500;
    private static final int DUE_PER_POLL = 200;
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 10_000;
    /** A claimed attempt is due again after this if its sender died in the middle of it. */
    private static final long LEASE_MILLIS = CONNECT_TIMEOUT_MS + READ_TIMEOUT_MS + 5_000;

    /** Outcomes counted by {@code linkpulse_webhook_deliveries_total}. */
    public enum Outcome { DELIVERED, FAILED_ATTEMPT, GAVE_UP, REFUSED, SUBSCRIPTION_DISABLED }

    private final WebhookStore store;
    private final ClickStore clicks;
    private final LinkService links;
    private final Clock clock;
    private final Config.Events settings;
    private final TargetGuard guard;
    private final String baseUrl;
    private final WebhookPoster poster = new WebhookPoster(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final Semaphore fanOutWake = new Semaphore(0);
    private final Semaphore senderWake = new Semaphore(0);
    private volatile Consumer<Outcome> outcomes = o -> { };
    private volatile boolean running = true;
    private static final long IDLE_ADVANCE_NANOS = 2_000_000_000L;
    private long idleAdvancedAt = System.nanoTime() - IDLE_ADVANCE_NANOS; // fan-out thread only
    private Thread fanOut;
    private Thread sender;

    public Webhooks(Jdbi jdbi, ClickStore clicks, LinkService links, Clock clock, Config.Events settings, String baseUrl) {
        this.store = new WebhookStore(jdbi);
        this.clicks = clicks;
        this.links = links;
        this.clock = clock;
        this.settings = settings;
        this.guard = new TargetGuard(settings.webhookAllowPrivate());
        this.baseUrl = baseUrl;
    }

    public Webhooks start() {
        fanOut = Thread.ofPlatform().daemon().name("webhook-fan-out").start(this::fanOutLoop);
        sender = Thread.ofPlatform().daemon().name("webhook-sender").start(this::senderLoop);
        return this;
    }

    /** Where outcomes of delivery attempts are counted (metrics). */
    public void onOutcome(Consumer<Outcome> listener) {
        this.outcomes = listener;
    }

    TargetGuard guard() {
        return guard;
    }

    WebhookStore store() {
        return store;
    }

    Clock clock() {
        return clock;
    }

    long retryUntil(long from) {
        return from + settings.retryFor().toMillis();
    }

    /** Clicks were stored: the fan-out has work. Cheap, never blocks. */
    public void clicksStored() {
        fanOutWake.release();
    }

    /** Deliveries waiting to be sent, for metrics; -1 when the store does not answer. */
    public long pendingDeliveries() {
        try {
            return store.pendingCount();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    // ---- events ----

    /** A link was created: one delivery per enabled link.created subscription of its workspace. */
    public void linkCreated(ShortUrl link) {
        try {
            List<Subscription> subs = store.enabledFor(link.workspaceId(), LINK_CREATED);
            if (subs.isEmpty()) {
                return;
            }
            String eventId = eventId(LINK_CREATED, link.id());
            Map<String, Object> data = ShortUrlView.of(link, baseUrl, 0);
            long now = clock.millis();
            store.enqueue(subs.stream().map(s -> delivery(s, LINK_CREATED, eventId, data, now)).toList());
            senderWake.release();
        } catch (RuntimeException e) {
            // The link exists; a store that fails here loses this one event, and says so.
            LOG.warn("link.created for {} could not be queued for webhooks: {}", link.id(), e.toString());
        }
    }

    // --- QR codes (issue 15) ---
    private volatile java.util.function.BiPredicate<String, String> qrCodes = (workspace, id) -> false;

    /** How a subscription's qr_code_id is checked: true when the workspace has that QR code. */
    public void qrCodes(java.util.function.BiPredicate<String, String> exists) {
        this.qrCodes = exists;
    }

    boolean qrCodeExists(String workspaceId, String qrCodeId) {
        return qrCodes.test(workspaceId, qrCodeId);
    }

    /** A QR code was created: one delivery per enabled qr.created subscription of its workspace; {@code data} is the QR object. */
    public void qrCreated(String workspaceId, String qrCodeId, Map<String, Object> data) {
        try {
            List<Subscription> subs = store.enabledFor(workspaceId, QR_CREATED);
            if (subs.isEmpty()) {
                return;
            }
            String eventId = eventId(QR_CREATED, qrCodeId);
            long now = clock.millis();
            store.enqueue(subs.stream().map(s -> delivery(s, QR_CREATED, eventId, data, now)).toList());
            senderWake.release();
        } catch (RuntimeException e) {
            LOG.warn("qr.created for {} could not be queued for webhooks: {}", qrCodeId, e.toString());
        }
    }

    private Delivery delivery(Subscription s, String event, String eventId, Map<String, Object> data, long now) {
        String id = "msg_" + UUID.nameUUIDFromBytes((s.id() + "|" + eventId).getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event_id", eventId);
        body.put("event", event);
        body.put("subscription_id", s.id());
        body.put("timestamp", Timestamps.format(now));
        body.put("data", data);
        String payload;
        try {
            payload = Json.MAPPER.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new Delivery(id, s.id(), s.workspaceId(), event, payload, Delivery.PENDING, 0, now, now, retryUntil(now),
                null, null, null, null);
    }

    /** The same event has the same id for every subscription and every attempt. */
    private static String eventId(String event, String subjectId) {
        return "evt_" + UUID.nameUUIDFromBytes((event + "|" + subjectId).getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }

    // ---- fan-out: clicks to deliveries ----

    private void fanOutLoop() {
        Backoff backoff = new Backoff();
        while (running) {
            try {
                FanOut step = fanOutStep();
                backoff.succeeded();
                if (step == FanOut.NOBODY_LISTENS) {
                    // Stored batches wake this thread many times a second under load; with no click
                    // subscription each wake would still cost three queries (2 µs CPU a redirect,
                    // measured). So look again only after a second, whatever was stored meanwhile.
                    long until = System.nanoTime() + NOBODY_LISTENS_RECHECK_NANOS;
                    for (long left; running && (left = until - System.nanoTime()) > 0; ) {
                        fanOutWake.tryAcquire(left, TimeUnit.NANOSECONDS);
                    }
                    fanOutWake.drainPermits();
                } else if (step == FanOut.DONE) {
                    fanOutWake.tryAcquire(1, TimeUnit.SECONDS);
                    fanOutWake.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (backoff.failed()) {
                    LOG.warn("webhook fan-out failed ({} in a row), retrying: {}", backoff.failures(), e.toString());
                }
                sleep(backoff.delayMillis());
            }
        }
    }

    /** What a fan-out step found: more clicks waiting, none, or no subscription to clicks at all. */
    enum FanOut { MORE, DONE, NOBODY_LISTENS }

    private static final long NOBODY_LISTENS_RECHECK_NANOS = 1_000_000_000L;

    /** Turns the next clicks into deliveries. */
    FanOut fanOutStep() {
        long from = store.position();
        long last = clicks.lastSeq();
        if (last <= from) {
            return FanOut.DONE;
        }
        List<Subscription> subs = store.enabledFor(List.of(LINK_CLICKED, LINK_CLICKED_UNIQUE, QR_SCANNED));
        if (subs.isEmpty()) {
            // Nobody listens: nothing to read. The position still moves, at most every 2 s, so that a
            // new subscription starts near the end of the log without a write per stored batch (on
            // SQLite every write waits for the one writer lock the click writer needs).
            if (System.nanoTime() - idleAdvancedAt > IDLE_ADVANCE_NANOS) {
                store.advance(from, last, List.of());
                idleAdvancedAt = System.nanoTime();
            }
            return FanOut.NOBODY_LISTENS;
        }
        List<ClickStore.Stored> batch = clicks.storedAfter(from, last, CLICKS_PER_STEP);
        long to = batch.size() < CLICKS_PER_STEP ? last : batch.get(batch.size() - 1).seq();
        Map<String, List<Subscription>> byWorkspace = new HashMap<>();
        subs.forEach(s -> byWorkspace.computeIfAbsent(s.workspaceId(), k -> new ArrayList<>()).add(s));
        Map<String, String> codes = links.codesOf(batch.stream().map(s -> s.click().linkId()).distinct().toList());
        // is_unique as the click log shows it (first by click time), for the whole batch at once (one
        // lookup statement, not one per link and day); the unique event itself is decided in storage
        // order below, so each visitor, link and day gets one.
        java.util.Set<String> firstOfDay = clicks.firstOfDay(batch.stream().map(ClickStore.Stored::click)
                .filter(c -> byWorkspace.containsKey(c.workspaceId())).toList());
        long now = clock.millis();
        List<Delivery> out = new ArrayList<>();
        for (ClickStore.Stored stored : batch) {
            Click c = stored.click();
            List<Subscription> candidates = byWorkspace.getOrDefault(c.workspaceId(), List.of());
            Boolean unique = null;
            Map<String, Object> data = null;
            for (Subscription s : candidates) {
                if (!matches(s, c)) {
                    continue;
                }
                if (s.eventType().equals(LINK_CLICKED_UNIQUE)) {
                    if (unique == null) {
                        unique = clicks.firstOfVisitorThatDay(stored);
                    }
                    if (!unique) {
                        continue;
                    }
                }
                if (data == null) {
                    String code = codes.get(c.linkId());
                    data = ClickRecordView.of(c, code, code == null ? null : baseUrl + "/" + code, firstOfDay.contains(c.id()));
                }
                Map<String, Object> eventData = data;
                if (s.eventType().equals(LINK_CLICKED_UNIQUE)) {
                    eventData = new LinkedHashMap<>(data);
                    eventData.put("is_unique", true);
                }
                out.add(delivery(s, s.eventType(), eventId(s.eventType(), c.id()), eventData, now));
            }
        }
        if (store.advance(from, to, out) && !out.isEmpty()) {
            senderWake.release();
        }
        return to < last ? FanOut.MORE : FanOut.DONE;
    }

    static boolean matches(Subscription s, Click c) {
        if (s.linkId() != null && !s.linkId().equals(c.linkId())) {
            return false;
        }
        if ((s.eventType().equals(QR_SCANNED) && !c.fromQrScan()) || (s.qrCodeId() != null && !s.qrCodeId().equals(c.qrCodeId()))) {
            return false; // qr.scanned and a qr_code_id (issue 15) take scans only
        }
        for (Map.Entry<String, List<String>> f : s.filters().entrySet()) {
            String value = SubscriptionRequest.clickField(c, f.getKey());
            if (value == null || !f.getValue().contains(value)) {
                return false;
            }
        }
        return true;
    }

    // ---- sender ----

    private void senderLoop() {
        Backoff backoff = new Backoff();
        while (running) {
            try {
                int sent = sendDue();
                backoff.succeeded();
                if (sent == 0) {
                    senderWake.tryAcquire(250, TimeUnit.MILLISECONDS);
                    senderWake.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (backoff.failed()) {
                    LOG.warn("webhook sender failed ({} in a row), retrying: {}", backoff.failures(), e.toString());
                }
                sleep(backoff.delayMillis());
            }
        }
    }

    private int sendDue() throws InterruptedException {
        long now = clock.millis();
        List<Delivery> due = store.due(now, DUE_PER_POLL);
        int started = 0;
        for (Delivery d : due) {
            if (!running) {
                break;
            }
            if (!store.claim(d, now + LEASE_MILLIS)) {
                continue; // another process took it
            }
            inFlight.acquire(); // the cap: a burst waits here, it does not open more connections
            started++;
            Thread.ofVirtual().name("webhook-delivery").start(() -> {
                try {
                    attempt(d);
                } catch (RuntimeException e) {
                    LOG.warn("webhook delivery {} could not be recorded: {}", d.id(), e.toString());
                } finally {
                    inFlight.release();
                }
            });
        }
        return started;
    }

    private void attempt(Delivery d) {
        Optional<Subscription> found = store.find(d.subscriptionId());
        if (found.isEmpty() || found.get().disabled()) {
            return; // deleted meanwhile (its deliveries went with it) or disabled: retry now brings it back
        }
        Subscription s = found.get();
        WebhookPoster.Result result;
        try {
            TargetGuard.Target target = guard.check(s.targetUrl()); // DNS again: what it says now is what we connect to
            long timestamp = clock.millis() / 1000;
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("webhook-id", d.id());
            headers.put("webhook-timestamp", Long.toString(timestamp));
            headers.put("webhook-signature", WebhookSignature.sign(s.secret(), d.id(), timestamp, d.payload()));
            result = poster.post(target, headers, d.payload());
        } catch (TargetGuard.Refused e) {
            outcomes.accept(Outcome.REFUSED);
            result = new WebhookPoster.Result(0, "refused: " + e.getMessage());
        }
        long now = clock.millis();
        if (result.delivered()) {
            store.delivered(d, now, result.status());
            outcomes.accept(Outcome.DELIVERED);
            return;
        }
        Optional<Long> next = nextAttempt(d.attempts() + 1, now, d.retryUntil());
        store.attemptFailed(d, now, result.status() == 0 ? null : result.status(), result.error(), next);
        outcomes.accept(next.isPresent() ? Outcome.FAILED_ATTEMPT : Outcome.GAVE_UP);
        if (store.disableIfFailingSince(s.id(), now - DISABLE_AFTER.toMillis(), now,
                "disabled after its deliveries failed for 3 days without a success; retry to enable it again")) {
            outcomes.accept(Outcome.SUBSCRIPTION_DISABLED);
            LOG.warn("webhook subscription {} disabled: deliveries failed for 3 days", s.id());
        }
    }

    /** When to try again after the n-th failed attempt: doubling waits, never past the retry window; empty to give up. */
    Optional<Long> nextAttempt(int failedAttempts, long now, long retryUntil) {
        if (now >= retryUntil) {
            return Optional.empty();
        }
        long first = settings.retryFirst().toMillis();
        long wait = Math.min(settings.retryMax().toMillis(), first << Math.min(failedAttempts - 1, 30));
        return Optional.of(Math.min(now + wait, retryUntil));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops both workers; attempts in flight end within their timeouts and are recorded, or are retried after the lease. */
    @Override
    public void close() {
        running = false;
        // Woken, not interrupted: an interrupt in the middle of a JDBC call can break the connection.
        fanOutWake.release();
        senderWake.release();
        for (Thread t : new Thread[] {fanOut, sender}) {
            if (t != null) {
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try {
            // Let attempts in flight record their answer before the store closes.
            if (inFlight.tryAcquire(MAX_IN_FLIGHT, 5, TimeUnit.SECONDS)) {
                inFlight.release(MAX_IN_FLIGHT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
