package dev.linkpulse.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkpulse.config.Config;
import dev.linkpulse.config.ConfigException;
import dev.linkpulse.config.ConfigLoader;
import dev.linkpulse.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Kafka settings: off unless bootstrap servers are set, checked at start, and the producer's guarantees kept whatever the file says. */
class KafkaSettingsTest {

    @Test
    void offWithoutBootstrapServers() {
        assertThat(ConfigLoader.load(Map.of(), Map.of()).kafka()).isEmpty();
        // A topic alone turns nothing on.
        assertThat(ConfigLoader.load(Map.of("LINKPULSE_KAFKA_TOPIC", "clicks"), Map.of()).kafka()).isEmpty();
    }

    @Test
    void bootstrapServersTurnItOnWithTheDefaultTopic() {
        Config c = ConfigLoader.load(Map.of("LINKPULSE_KAFKA_BOOTSTRAP_SERVERS", "kafka1:9092, kafka2:9093,[::1]:9094"), Map.of());
        assertThat(c.kafka()).contains(new Config.Kafka("kafka1:9092,kafka2:9093,[::1]:9094", "linkpulse.clicks", Optional.empty()));
        Config flags = ConfigLoader.load(Map.of("LINKPULSE_KAFKA_BOOTSTRAP_SERVERS", "a:1"),
                Map.of(Setting.KAFKA_BOOTSTRAP_SERVERS, "b:2", Setting.KAFKA_TOPIC, "team_a.clicks-v2"));
        assertThat(flags.kafka().orElseThrow().bootstrapServers()).isEqualTo("b:2");
        assertThat(flags.kafka().orElseThrow().topic()).isEqualTo("team_a.clicks-v2");
    }

    @ParameterizedTest
    @CsvSource({
            "KAFKA_BOOTSTRAP_SERVERS, kafka1, LINKPULSE_KAFKA_BOOTSTRAP_SERVERS (--kafka-bootstrap-servers)",
            "KAFKA_BOOTSTRAP_SERVERS, 'kafka1:9092,', LINKPULSE_KAFKA_BOOTSTRAP_SERVERS (--kafka-bootstrap-servers)",
            "KAFKA_BOOTSTRAP_SERVERS, 'PLAINTEXT://kafka1:9092', LINKPULSE_KAFKA_BOOTSTRAP_SERVERS (--kafka-bootstrap-servers)",
            "KAFKA_TOPIC, 'clicks/all', LINKPULSE_KAFKA_TOPIC (--kafka-topic)",
            "KAFKA_TOPIC, '..', LINKPULSE_KAFKA_TOPIC (--kafka-topic)",
            "KAFKA_PROPERTIES, /no/such/producer.properties, LINKPULSE_KAFKA_PROPERTIES (--kafka-properties)"})
    void anInvalidSettingIsOneLineNamingIt(Setting setting, String value, String label) {
        Map<Setting, String> flags = setting == Setting.KAFKA_BOOTSTRAP_SERVERS ? Map.of(setting, value)
                : Map.of(Setting.KAFKA_BOOTSTRAP_SERVERS, "kafka1:9092", setting, value);
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), flags))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid " + label)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void theFileAddsProducerSettingsButNeverWeakensAcknowledgement(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("producer.properties");
        Files.writeString(file, """
                security.protocol=SASL_SSL
                sasl.mechanism=PLAIN
                acks=1
                enable.idempotence=false
                bootstrap.servers=elsewhere:9092
                linger.ms=50
                """);
        Config c = ConfigLoader.load(Map.of(), Map.of(Setting.KAFKA_BOOTSTRAP_SERVERS, "kafka1:9092", Setting.KAFKA_PROPERTIES, file.toString()));
        Properties p = KafkaPublisher.producerSettings(c.kafka().orElseThrow());
        assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(p.getProperty("linger.ms")).isEqualTo("50");
        assertThat(p.getProperty("acks")).isEqualTo("all");
        assertThat(p.getProperty("enable.idempotence")).isEqualTo("true");
        assertThat(p.getProperty("bootstrap.servers")).isEqualTo("kafka1:9092");
        assertThat(p.getProperty("buffer.memory")).isEqualTo(Integer.toString(8 * 1024 * 1024));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"transactional.id=clicks-1|transactional.id", "max.in.flight.requests.per.connection=6|max.in.flight",
            "max.in.flight.requests.per.connection=lots|max.in.flight"})
    void aFileTheIdempotentPublisherCannotUseIsRefusedAtStart(String line, String named, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("producer.properties");
        Files.writeString(file, "linger.ms=50\n" + line + "\n");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(Setting.KAFKA_BOOTSTRAP_SERVERS, "kafka1:9092",
                Setting.KAFKA_PROPERTIES, file.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid LINKPULSE_KAFKA_PROPERTIES (--kafka-properties)")
                .hasMessageContaining(named);
        Files.writeString(file, "max.in.flight.requests.per.connection=5\n");
        assertThat(ConfigLoader.load(Map.of(), Map.of(Setting.KAFKA_BOOTSTRAP_SERVERS, "kafka1:9092",
                Setting.KAFKA_PROPERTIES, file.toString())).kafka()).isPresent();
    }
}
