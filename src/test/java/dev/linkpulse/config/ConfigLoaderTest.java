package dev.linkpulse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    @Test
    void defaultsWhenNothingIsSet() {
        Config c = ConfigLoader.load(Map.of(), Map.of());
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(c.baseUrl()).isEqualTo("http://localhost:8080");
        assertThat(c.initialApiKey()).isEmpty();
        assertThat(c.trustedProxies()).hasSize(2);
        assertThat(c.geoDatabases()).isEmpty();
    }

    @Test
    void flagsOverrideTheEnvironment() {
        Config c = ConfigLoader.load(
                Map.of("LINKPULSE_PORT", "9000", "LINKPULSE_BASE_URL", "https://env.example/"),
                Map.of(Setting.PORT, "9100"));
        assertThat(c.port()).isEqualTo(9100);
        assertThat(c.baseUrl()).isEqualTo("https://env.example");
    }

    @ParameterizedTest
    @CsvSource({
            "PORT, abc, LINKPULSE_PORT (--port)",
            "PORT, 70000, LINKPULSE_PORT (--port)",
            "BASE_URL, ftp://x, LINKPULSE_BASE_URL (--base-url)",
            "BASE_URL, 'https://x.example/?q=1', LINKPULSE_BASE_URL (--base-url)",
            "TRUSTED_PROXIES, '10.0.0.0/8,not-a-cidr', LINKPULSE_TRUSTED_PROXIES (--trusted-proxies)",
            "GEO_DB, /no/such/file.mmdb, LINKPULSE_GEO_DB (--geo-db)",
            "INITIAL_API_KEY, short, LINKPULSE_INITIAL_API_KEY (--initial-api-key)",
            "DATA_DIR, pom.xml, LINKPULSE_DATA_DIR (--data-dir)"})
    void anInvalidSettingIsOneLineNamingIt(Setting setting, String value, String label) {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(setting, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid " + label)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void anInvalidInitialKeyIsNeverEchoed() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("LINKPULSE_INITIAL_API_KEY", "sec ret"), Map.of()))
                .hasMessageNotContaining("sec ret");
    }
}
