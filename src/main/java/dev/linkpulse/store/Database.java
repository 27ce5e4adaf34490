package dev.linkpulse.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The store: a pooled DataSource, migrated by Flyway, used through Jdbi. */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** Opens (creating if needed) the embedded SQLite store in {@code dataDir} and migrates it. */
    public static Database openSqlite(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dataDir, e);
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL in WAL mode is durable against process crashes; only a power loss may lose the last commits.
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.setBusyTimeout(2_000);
        sqlite.enforceForeignKeys(true);
        SQLiteDataSource sqliteSource = new SQLiteDataSource(sqlite);
        sqliteSource.setUrl("jdbc:sqlite:" + sqliteFile(dataDir));

        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqliteSource);
        hikari.setPoolName("linkpulse-sqlite");
        hikari.setMaximumPoolSize(8);
        hikari.setMinimumIdle(2);
        HikariDataSource pooled = new HikariDataSource(hikari);
        try {
            Flyway.configure()
                    .dataSource(pooled)
                    .locations("classpath:db/migration/sqlite")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pooled.close();
            throw e;
        }
        return new Database(pooled);
    }

    /** Where the SQLite file of a data directory lives. */
    public static Path sqliteFile(Path dataDir) {
        return dataDir.resolve("linkpulse.db");
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** True when the store answers a trivial query. */
    public boolean isReachable() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
