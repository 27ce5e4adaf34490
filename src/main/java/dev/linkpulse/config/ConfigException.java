package dev.linkpulse.config;

/** A setting that cannot be used; its message is one line naming the setting. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
