package dev.linkpulse.store;

import java.util.function.Consumer;

/**
 * Tells the other processes on the same store that something changed (PostgreSQL LISTEN/NOTIFY),
 * so they can drop what they cached.
 */
public interface ChangeFeed extends AutoCloseable {

    /** Announces a change on {@code channel}; every process, this one included, receives it. */
    void publish(String channel, String payload);

    /**
     * Calls {@code onChange} with each payload published on {@code channel}, and {@code onGap}
     * whenever notifications may have been missed (after the connection to the store was lost).
     */
    void subscribe(String channel, Consumer<String> onChange, Runnable onGap);

    @Override
    void close();

    /** One process alone: nobody else to tell. */
    ChangeFeed LOCAL = new ChangeFeed() {
        @Override
        public void publish(String channel, String payload) {}

        @Override
        public void subscribe(String channel, Consumer<String> onChange, Runnable onGap) {}

        @Override
        public void close() {}
    };
}
