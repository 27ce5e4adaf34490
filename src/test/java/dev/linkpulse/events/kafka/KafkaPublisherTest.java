package dev.linkpulse.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka click stream against a real Apache Kafka broker (KRaft, in this JVM), with clicks driven
 * through the real server's redirects: every stored click arrives once or more, never none, through
 * a broker outage and a server restart; redirects and storage never wait for the broker.
 */
class KafkaPublisherTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String TOPIC = "linkpulse.clicks";
    static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";

    static {
        // The broker in this JVM logs a great deal at INFO; its warnings are enough here.
        System.setProperty("org.slf4j.simpleLogger.log.kafka", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.state.change.logger", "warn");
    }

    static KafkaClusterTestKit cluster;
    static TestServer server;
    static TopicReader topic;

    @BeforeAll
    static void start() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(false).setNumControllerNodes(1).setNumBrokerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .build();
        phase("start");
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
        }
        phase("broker ready");
        server = TestServer.start(Map.of(Setting.KAFKA_BOOTSTRAP_SERVERS, cluster.bootstrapServers()));
        phase("server started");
        topic = new TopicReader(cluster.bootstrapServers());
    }

    @AfterAll
    static void stop() throws Exception {
        if (topic != null) {
            topic.close();
        }
        if (server != null) {
            server.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Sends {@code n} redirects of {@code code} from 32 threads (16 visitors); every answer a 301, none slower than {@code slowest}. */
    static void clicks(String code, int n, Duration slowest) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
            List<Future<long[]>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String ip = "81.2.69." + (140 + i % 16);
                answers.add(pool.submit(() -> {
                    long t = System.nanoTime();
                    int status = server.http().get("/" + code, "User-Agent", UA, "X-Forwarded-For", ip).status();
                    return new long[] {status, System.nanoTime() - t};
                }));
            }
            long max = 0;
            for (Future<long[]> a : answers) {
                assertThat(a.get()[0]).isEqualTo(301);
                max = Math.max(max, a.get()[1]);
            }
            phase(n + " redirects of " + code + ", slowest " + max / 1_000_000 + " ms");
            assertThat(Duration.ofNanos(max)).as("slowest redirect").isLessThan(slowest);
        }
    }

    /** Every click id of a link in the store, read with one query (the click log's pages compute is_unique, slow for 10,000). */
    static Set<String> storedIds(String linkId) throws java.sql.SQLException {
        Set<String> ids = new HashSet<>();
        try (java.sql.Connection c = server.openStoreConnection();
                java.sql.PreparedStatement st = c.prepareStatement("SELECT id FROM clicks WHERE link_id = ?")) {
            st.setString(1, linkId);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    static long t0 = System.nanoTime();

    /** Where the time goes, in the test's output file (the suite's budget is tight). */
    static void phase(String what) {
        System.out.printf("[kafka test] %.1f s %s%n", (System.nanoTime() - t0) / 1e9, what);
    }

    static double metric(String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$").matcher(server.http().get("/metrics").body());
        assertThat(m.find()).as(name + " in /metrics").isTrue();
        return Double.parseDouble(m.group(2));
    }

    @Test
    void tenThousandClicksGiveTenThousandDistinctIdsOnTheTopicInTheClickLogsShape() throws Exception {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/kafka-10k", "custom_alias", "kafka-10k"));
        String linkId = link.get("id").asText();
        phase("10k: start");
        clicks("kafka-10k", 10_000, Duration.ofSeconds(30));
        phase("10k: redirects answered");
        server.awaitClicks(linkId, 10_000);
        phase("10k: stored");
        Set<String> stored = storedIds(linkId);
        assertThat(stored).hasSize(10_000);

        topic.await(Duration.ofSeconds(60), r -> r.ofLink(linkId).size() >= 10_000);
        phase("10k: on the topic");
        Map<String, JsonNode> published = topic.ofLink(linkId);
        assertThat(published.keySet()).isEqualTo(stored);
        // Keyed by link id, with the workspace, and otherwise exactly the click log's record.
        assertThat(topic.keys(linkId)).containsOnly(linkId);
        for (JsonNode logged : server.clickLog(linkId, "?limit=20").get("data")) {
            ObjectNode record = published.get(logged.get("id").asText()).deepCopy();
            assertThat(record.remove("workspace_id").asText()).isNotEmpty();
            assertThat(record).isEqualTo(logged);
        }
        TestServer.await(Duration.ofSeconds(20), () -> metric("linkpulse_kafka_publish_lag") == 0);
        assertThat(metric("linkpulse_kafka_published_total")).isGreaterThanOrEqualTo(10_000);
        JsonNode health = server.http().get("/health").json();
        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("kafka").get("state").asText()).isEqualTo("publishing");
        assertThat(health.get("kafka").get("topic").asText()).isEqualTo(TOPIC);
        assertThat(health.get("kafka").get("lag").asLong()).isZero();
        phase("10k: done");
    }

    /**
     * The broker stops midway: redirects and storage go on, the lag grows; the server even restarts
     * meanwhile. Once the broker is back every click arrives, from the durable position.
     */
    @Test
    void brokerStoppedMidwayLosesNoneAndNeverHoldsUpRedirectsOrStorage() throws Exception {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/kafka-outage", "custom_alias", "kafka-outage"));
        String linkId = link.get("id").asText();
        clicks("kafka-outage", 200, Duration.ofSeconds(10));
        int broker = cluster.brokers().keySet().iterator().next();
        String before = cluster.bootstrapServers();
        cluster.brokers().get(broker).shutdown();
        cluster.brokers().get(broker).awaitShutdown();
        phase("outage: broker stopped");
        try {
            // A redirect that waited for Kafka would take max.block.ms (5 s) or the delivery timeout (30 s); on a loaded machine the slowest took about 1 s.
            clicks("kafka-outage", 600, Duration.ofSeconds(4));
            server.awaitClicks(linkId, 800);
            TestServer.await(Duration.ofSeconds(10), () -> metric("linkpulse_kafka_publish_lag") >= 600);
            assertThat(server.http().get("/health").json().get("kafka").get("lag").asLong()).isGreaterThanOrEqualTo(600);
            // A graceful restart while the broker is away: what was not acknowledged is still owed.
            phase("outage: 600 stored while down");
            server.restart();
            phase("outage: server restarted");
            clicks("kafka-outage", 200, Duration.ofSeconds(4));
            server.awaitClicks(linkId, 1_000);
            assertThat(metric("linkpulse_kafka_publish_lag")).isGreaterThanOrEqualTo(800);
            // The new process finds no broker for its metadata (max.block.ms, 5 s): /health says so, and stays "ok".
            TestServer.await(Duration.ofSeconds(30), () -> server.http().get("/health").json().get("kafka").get("state").asText().equals("failing"));
            JsonNode health = server.http().get("/health").json();
            assertThat(health.get("status").asText()).isEqualTo("ok");
            assertThat(health.get("kafka").get("last_error").asText()).isNotEmpty();
            assertThat(metric("linkpulse_kafka_publish_failed_total")).isPositive();
            phase("outage: failing shown");
        } finally {
            cluster.restartBroker(broker, Map.of());
            phase("outage: broker back");
        }
        assertThat(cluster.bootstrapServers()).as("the broker is back where the server looks for it").isEqualTo(before);
        Set<String> stored = storedIds(linkId);
        assertThat(stored).hasSize(1_000);
        topic.await(Duration.ofSeconds(90), r -> r.ofLink(linkId).keySet().containsAll(stored));
        assertThat(topic.ofLink(linkId).keySet()).isEqualTo(stored);
        phase("outage: all on the topic");
        TestServer.await(Duration.ofSeconds(30), () -> metric("linkpulse_kafka_publish_lag") == 0);
    }

    static long kafkaThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("kafka-publisher") || t.getName().startsWith("kafka-producer-network-thread")).count();
    }

    @Test
    void withoutBootstrapServersNothingOfKafkaStarts() {
        long before = kafkaThreads();
        try (TestServer plain = TestServer.start()) {
            plain.createLink(Map.of("url", "https://example.com/plain", "custom_alias", "no-kafka"));
            assertThat(plain.http().get("/no-kafka", "User-Agent", UA).status()).isEqualTo(301);
            plain.awaitClicks(null, 1);
            JsonNode health = plain.http().get("/health").json();
            assertThat(health.has("kafka")).isFalse();
            assertThat(plain.http().get("/metrics").body()).doesNotContain("linkpulse_kafka");
            assertThat(kafkaThreads()).as("no publisher or producer thread of the plain server").isEqualTo(before);
        }
    }

    /** Reads the whole topic from the beginning on its own thread, keeping every record by click id. */
    static final class TopicReader implements AutoCloseable {
        private final Map<String, Map<String, JsonNode>> byLink = new ConcurrentHashMap<>();
        private final Map<String, Set<String>> keys = new ConcurrentHashMap<>();
        private volatile boolean running = true;
        private final Thread thread;

        TopicReader(String bootstrap) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
            thread = Thread.ofPlatform().daemon().name("test-topic-reader").start(() -> {
                try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
                    List<TopicPartition> parts = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        parts.add(new TopicPartition(TOPIC, i));
                    }
                    consumer.assign(parts);
                    consumer.seekToBeginning(parts);
                    while (running) {
                        try {
                            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                                JsonNode value = MAPPER.readTree(r.value());
                                String link = value.get("short_url_id").asText();
                                byLink.computeIfAbsent(link, k -> new ConcurrentHashMap<>()).put(value.get("id").asText(), value);
                                keys.computeIfAbsent(link, k -> ConcurrentHashMap.newKeySet()).add(r.key());
                            }
                        } catch (org.apache.kafka.common.errors.InterruptException e) {
                            return;
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }
            });
        }

        Map<String, JsonNode> ofLink(String linkId) {
            return Map.copyOf(byLink.getOrDefault(linkId, Map.of()));
        }

        Set<String> keys(String linkId) {
            return Set.copyOf(keys.getOrDefault(linkId, Set.of()));
        }

        void await(Duration timeout, java.util.function.Predicate<TopicReader> condition) {
            try {
                TestServer.await(timeout, () -> condition.test(this));
            } catch (AssertionError e) {
                throw new AssertionError("topic: " + byLink.entrySet().stream().map(x -> x.getKey() + "=" + x.getValue().size()).toList()
                        + " health: " + server.http().get("/health").body(), e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
