package dev.linkpulse.events.kafka;

import dev.linkpulse.analytics.ClickRecordView;
import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.common.Backoff;
import dev.linkpulse.config.Config;
import dev.linkpulse.http.Json;
import dev.linkpulse.links.LinkService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka click stream (issue 18): every stored click, published to one topic as its click-log
 * record plus {@code workspace_id}, keyed by link id.
 *
 * <p>The same idea as the webhook fan-out: one thread follows the click log in storage order
 * ({@code clicks.seq}) from a durable position ({@code kafka_position}). Unlike the fan-out, whose
 * position moves in the same transaction that stores its deliveries, this position moves only after
 * the broker acknowledged every record of a batch (idempotent producer, {@code acks=all}); a batch
 * that fails is sent again from the position, so delivery is at least once and a restart or an
 * outage loses nothing. The log itself is the buffer: while the broker is down at most one batch
 * ({@link #BATCH} clicks) and the producer's bounded buffer are held in memory, redirects and storage
 * never wait for Kafka, and the lag grows in the store until the broker is back.
 *
 * <p>With several processes on one PostgreSQL store, one holds the topic's lease and publishes; the
 * others stand by and take over once it has run out.
 */
public final class KafkaPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

    static {
        // The Kafka client logs its whole configuration at INFO and two lines per reconnect attempt
        // while a broker is away; the publisher reports the outage itself (first failure, every 20th).
        // slf4j-simple reads these when a logger is made, so they hold for the producer made later;
        // -D settings of the operator win.
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** Clicks read, sent and acknowledged together; the most held in memory at once. */
    static final int BATCH = 1_000;
    /** Longer than one step can take (metadata wait 5 s + acknowledgements 40 s), so a slow step keeps its lease. */
    private static final long LEASE_MILLIS = 60_000;
    /** The lease is renewed once less than this is left, not on every step: on SQLite each write takes the one write lock. */
    private static final long RENEW_BELOW_MILLIS = 45_000;
    /** A process on standby tries for the lease this often, not on every stored batch. */
    private static final long STANDBY_RETRY_MILLIS = 5_000;
    /** How long a batch may wait for its acknowledgements before it counts as failed and is sent again (the producer gives up after 30 s). */
    private static final long ACK_WAIT_MILLIS = 40_000;

    /** What {@code /health} shows. */
    public enum State { STARTING, PUBLISHING, FAILING, STANDBY, STOPPED }

    private final ClickStore clicks;
    private final LinkService links;
    private final String baseUrl;
    private final String topic;
    private final KafkaPosition position;
    private final Properties producerSettings;
    private volatile Producer<String, byte[]> producer; // made on the publisher's thread: a broker that is not there yet never stops the start
    private final Semaphore wake = new Semaphore(0);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile State state = State.STARTING;
    private volatile String lastError;
    private volatile long knownPosition = -1;
    private volatile long knownEnd = -1;
    private volatile boolean running = true;
    private long leaseUntil; // publisher thread only
    private long standbyUntil; // publisher thread only
    private Thread thread;

    public KafkaPublisher(Jdbi jdbi, ClickStore clicks, LinkService links, String baseUrl, Config.Kafka settings) {
        this.clicks = clicks;
        this.links = links;
        this.baseUrl = baseUrl;
        this.topic = settings.topic();
        this.position = new KafkaPosition(jdbi, settings.topic(), "lp-" + UUID.randomUUID());
        this.producerSettings = producerSettings(settings);
    }

    /** The producer's settings: the file's first (TLS, SASL, tuning), then what at-least-once without duplicates in the log needs. */
    static Properties producerSettings(Config.Kafka settings) {
        Properties p = new Properties();
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // Bounded memory while the broker is away: the producer's buffer is capped, and send() waits
        // (on the publisher's own thread) at most max.block.ms for room or for metadata.
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(8 * 1024 * 1024));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "linkpulse");
        if (settings.properties().isPresent()) {
            try (InputStream in = Files.newInputStream(settings.properties().get())) {
                p.load(in);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + settings.properties().get() + ": " + e.getMessage(), e);
            }
        }
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return p;
    }

    public KafkaPublisher start() {
        thread = Thread.ofPlatform().daemon().name("kafka-publisher").start(this::loop);
        return this;
    }

    /** Clicks were stored: the publisher has work. Cheap, never blocks. */
    public void clicksStored() {
        wake.release();
    }

    public State state() {
        return state;
    }

    /** Records the broker acknowledged since this process started. */
    public long published() {
        return published.get();
    }

    /** Records whose sending failed (they are sent again from the position). */
    public long failed() {
        return failed.get();
    }

    /**
     * Clicks stored but not yet acknowledged by the broker, as sequence numbers between the position
     * and the end of the log (a replayed journal line that was already stored leaves a gap, so this
     * can overstate by those). Read from the store: right for any process, not only the lease holder.
     */
    public long lag() {
        try {
            long end = clicks.lastSeq();
            OptionalLong at = position.read();
            knownEnd = end;
            if (at.isPresent()) {
                knownPosition = at.getAsLong();
            }
            return at.isPresent() ? Math.max(0, end - at.getAsLong()) : 0;
        } catch (RuntimeException e) {
            // The store does not answer: the last figures known.
            return knownPosition < 0 ? 0 : Math.max(0, knownEnd - knownPosition);
        }
    }

    /** What {@code /health} shows under {@code kafka}. */
    public Map<String, Object> health() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        out.put("topic", topic);
        out.put("lag", lag());
        out.put("published", published.get());
        out.put("failed", failed.get());
        String error = lastError;
        if (error != null && state == State.FAILING) {
            out.put("last_error", error);
        }
        return out;
    }

    /** Registers the Kafka meters: publish lag and published/failed counters. */
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("linkpulse.kafka.publish.lag", this, KafkaPublisher::lag)
                .description("Clicks stored but not yet acknowledged by the Kafka broker").register(registry);
        FunctionCounter.builder("linkpulse.kafka.published", published, AtomicLong::get)
                .description("Click records the Kafka broker acknowledged").register(registry);
        FunctionCounter.builder("linkpulse.kafka.publish.failed", failed, AtomicLong::get)
                .description("Click records whose publishing failed (sent again from the durable position)").register(registry);
    }

    private void loop() {
        Backoff backoff = new Backoff();
        while (running) {
            try {
                boolean more = step();
                backoff.succeeded();
                if (!more) {
                    wake.tryAcquire(1, TimeUnit.SECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | ExecutionException | TimeoutException e) {
                if (!running) {
                    return;
                }
                state = State.FAILING;
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                // /health is public: it shows the kind of failure, the log has its text (broker names, auth details).
                lastError = cause.getClass().getSimpleName();
                if (backoff.failed()) {
                    LOG.warn("publishing clicks to Kafka topic {} failed ({} in a row), sending again from the stored position: {}",
                            topic, backoff.failures(), cause.toString());
                }
                sleep(backoff.delayMillis());
            }
        }
    }

    /** Publishes the next batch after the position; true when more clicks are waiting. */
    boolean step() throws InterruptedException, ExecutionException, TimeoutException {
        long now = System.currentTimeMillis();
        long end = clicks.lastSeq();
        OptionalLong claimed;
        if (leaseUntil - now < RENEW_BELOW_MILLIS) {
            if (now < standbyUntil) {
                return false;
            }
            claimed = position.claim(now, now + LEASE_MILLIS, end);
            if (claimed.isEmpty()) {
                state = State.STANDBY; // another process publishes this topic
                leaseUntil = 0;
                standbyUntil = now + STANDBY_RETRY_MILLIS;
                return false;
            }
            leaseUntil = now + LEASE_MILLIS;
        } else {
            claimed = position.read();
        }
        long from = claimed.orElseThrow();
        knownPosition = from;
        knownEnd = end;
        if (end <= from) {
            if (state != State.FAILING) {
                state = State.PUBLISHING;
            }
            return false;
        }
        List<ClickStore.Stored> batch = clicks.storedAfter(from, end, BATCH);
        long to = batch.size() < BATCH ? end : batch.get(batch.size() - 1).seq();
        List<ProducerRecord<String, byte[]>> records = records(batch);
        Producer<String, byte[]> p = producer();
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        try {
            for (ProducerRecord<String, byte[]> record : records) {
                Future<RecordMetadata> ack = p.send(record);
                acks.add(ack);
                if (ack.state() == Future.State.FAILED) {
                    // Failed at once (no metadata within max.block.ms, a record too large): the rest
                    // would each wait as long; the batch goes again from the position.
                    ack.get();
                }
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACK_WAIT_MILLIS);
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // The position stays: the whole batch goes again, acknowledged records too (at least once).
            long acked = acks.stream().filter(a -> a.state() == Future.State.SUCCESS).count();
            published.addAndGet(acked);
            failed.addAndGet(records.size() - acked);
            throw e;
        }
        published.addAndGet(records.size());
        if (!position.advance(from, to, System.currentTimeMillis())) {
            leaseUntil = 0; // lost the lease meanwhile: claim again (the batch may be published twice: at least once)
            return true;
        }
        knownPosition = to;
        state = State.PUBLISHING;
        lastError = null;
        return to < end;
    }

    private Producer<String, byte[]> producer() {
        Producer<String, byte[]> p = producer;
        if (p == null) {
            p = new KafkaProducer<>(producerSettings, new StringSerializer(), new ByteArraySerializer());
            producer = p;
            if (!running) { // close() ran meanwhile and saw no producer
                p.close(java.time.Duration.ZERO);
                throw new IllegalStateException("stopped");
            }
        }
        return p;
    }

    /** The batch as records: the click-log record (same JSON as the click log and webhooks) plus workspace_id, keyed by link id. */
    List<ProducerRecord<String, byte[]>> records(List<ClickStore.Stored> batch) {
        List<Click> page = batch.stream().map(ClickStore.Stored::click).toList();
        Map<String, String> codes = links.codesOf(page.stream().map(Click::linkId).distinct().toList());
        Set<String> firstOfDay = clicks.firstOfDay(page);
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(batch.size());
        for (Click c : page) {
            String code = codes.get(c.linkId());
            Map<String, Object> value = ClickRecordView.of(c, code, code == null ? null : baseUrl + "/" + code, firstOfDay.contains(c.id()));
            value.put("workspace_id", c.workspaceId());
            byte[] json;
            try {
                json = Json.MAPPER.writeValueAsBytes(value);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            out.add(new ProducerRecord<>(topic, c.linkId(), json));
        }
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops publishing; what was not acknowledged yet is sent again from the position by the next start. */
    @Override
    public void close() {
        running = false;
        wake.release(); // woken, not interrupted: an interrupt in the middle of a JDBC call can break the connection
        // Closing the producer first ends a send() or an acknowledgement the thread is waiting for.
        Producer<String, byte[]> p = producer;
        if (p != null) {
            p.close(java.time.Duration.ofSeconds(2)); // nothing is lost by not waiting: the position moves only after acknowledgement
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            position.release();
        } catch (RuntimeException e) {
            LOG.debug("kafka lease not released (it runs out by itself): {}", e.toString());
        }
        state = State.STOPPED;
    }
}
