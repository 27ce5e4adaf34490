package dev.linkpulse.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTEN/NOTIFY on a dedicated connection, watched by one thread. When the connection is lost, it
 * reconnects with backoff and reports a gap to every subscriber, since notifications sent
 * meanwhile are gone.
 */
final class PostgresChangeFeed implements ChangeFeed {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeFeed.class);
    private static final int POLL_MILLIS = 250;

    private record Subscriber(Consumer<String> onChange, Runnable onGap) {}

    private final Database.PostgresSettings settings;
    private final Jdbi jdbi;
    private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
    private final Thread listener;
    private volatile boolean running = true;
    private volatile boolean resubscribe;

    PostgresChangeFeed(Database.PostgresSettings settings, Jdbi jdbi) {
        this.settings = settings;
        this.jdbi = jdbi;
        this.listener = Thread.ofPlatform().name("change-feed").daemon().start(this::listen);
    }

    @Override
    public void publish(String channel, String payload) {
        try {
            jdbi.useHandle(h -> h.createQuery("SELECT pg_notify(:channel, :payload)")
                    .bind("channel", channel).bind("payload", payload).mapTo(String.class).findFirst());
        } catch (RuntimeException e) {
            // The change itself is committed; other processes recover through the gap they will see.
            LOG.warn("Could not notify other processes of a change on {}: {}", channel, e.toString());
        }
    }

    @Override
    public void subscribe(String channel, Consumer<String> onChange, Runnable onGap) {
        subscribers.put(channel, new Subscriber(onChange, onGap));
        resubscribe = true;
    }

    private void listen() {
        int failures = 0;
        boolean lost = false;
        while (running) {
            try (Connection connection = DriverManager.getConnection(settings.url(), settings.user(), settings.password())) {
                listenAll(connection);
                if (lost) {
                    subscribers.values().forEach(s -> s.onGap().run());
                    LOG.info("Change feed reconnected");
                    lost = false;
                }
                failures = 0;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    if (resubscribe) {
                        listenAll(connection);
                    }
                    PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification n : notifications) {
                        Subscriber s = subscribers.get(n.getName());
                        if (s != null) {
                            s.onChange().accept(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                lost = true;
                if (failures++ % 20 == 0) {
                    LOG.warn("Change feed lost its connection, reconnecting: {}", e.toString());
                }
                sleep(Math.min(2_000, 100L << Math.min(failures, 5)));
            }
        }
    }

    private void listenAll(Connection connection) throws SQLException {
        resubscribe = false;
        try (Statement st = connection.createStatement()) {
            for (String channel : subscribers.keySet()) {
                st.execute("LISTEN " + quoteIdentifier(channel));
            }
        }
    }

    private static String quoteIdentifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        listener.interrupt();
        try {
            listener.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
