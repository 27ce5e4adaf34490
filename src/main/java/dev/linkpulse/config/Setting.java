package dev.linkpulse.config;

/** The settings of {@code serve}: each an environment variable and a flag of the same meaning. */
public enum Setting {
    PORT("LINKPULSE_PORT", "--port", "8080"),
    DATA_DIR("LINKPULSE_DATA_DIR", "--data-dir", "./data"),
    BASE_URL("LINKPULSE_BASE_URL", "--base-url", "http://localhost:8080"),
    INITIAL_API_KEY("LINKPULSE_INITIAL_API_KEY", "--initial-api-key", ""),
    TRUSTED_PROXIES("LINKPULSE_TRUSTED_PROXIES", "--trusted-proxies", "127.0.0.0/8,::1/128"),
    GEO_DB("LINKPULSE_GEO_DB", "--geo-db", ""),
    RATE_LIMITS("LINKPULSE_RATE_LIMITS", "--rate-limits", ""),
    DB_URL("LINKPULSE_DB_URL", "--db-url", ""),
    DB_USER("LINKPULSE_DB_USER", "--db-user", ""),
    DB_PASSWORD("LINKPULSE_DB_PASSWORD", "--db-password", ""),
    RETENTION_DAYS("LINKPULSE_RETENTION_DAYS", "--retention-days", ""),
    IDLE_TIMEOUT("LINKPULSE_IDLE_TIMEOUT", "--idle-timeout", "30"),
    // --- events (issue 18) ---
    WEBHOOK_ALLOW_PRIVATE("LINKPULSE_WEBHOOK_ALLOW_PRIVATE", "--webhook-allow-private", "false"),
    WEBHOOK_RETRY("LINKPULSE_WEBHOOK_RETRY", "--webhook-retry", "5s,2h,24h"),
    METRICS_TOKEN("LINKPULSE_METRICS_TOKEN", "--metrics-token", ""),
    // --- domains (issue 16) ---
    DNS_RESOLVER("LINKPULSE_DNS_RESOLVER", "--dns-resolver", ""),
    // --- Kafka click stream (issue 18) ---
    KAFKA_BOOTSTRAP_SERVERS("LINKPULSE_KAFKA_BOOTSTRAP_SERVERS", "--kafka-bootstrap-servers", ""),
    KAFKA_TOPIC("LINKPULSE_KAFKA_TOPIC", "--kafka-topic", "linkpulse.clicks"),
    KAFKA_PROPERTIES("LINKPULSE_KAFKA_PROPERTIES", "--kafka-properties", "");

    private final String env;
    private final String flag;
    private final String defaultValue;

    Setting(String env, String flag, String defaultValue) {
        this.env = env;
        this.flag = flag;
        this.defaultValue = defaultValue;
    }

    public String env() {
        return env;
    }

    public String flag() {
        return flag;
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** How an error message names this setting. */
    public String label() {
        return env + " (" + flag + ")";
    }
}
