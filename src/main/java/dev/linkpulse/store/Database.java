package dev.linkpulse.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The store: a pooled DataSource, migrated by Flyway, used through Jdbi; SQLite or PostgreSQL.
 * The click writer has a small pool of its own ({@link #writerJdbi}), so requests, exports and
 * long analytics reads can take every shared connection without ever making clicks wait.
 */
public final class Database implements AutoCloseable {

    /** How long a writer waits for a lock before failing (and the recorder retrying). */
    public static final Duration LOCK_WAIT = Duration.ofSeconds(2);

    /** The writer's own connections: one storing clicks, one for visitor salts fetched meanwhile. */
    static final int WRITER_CONNECTIONS = 2;

    private final HikariDataSource dataSource;
    private final HikariDataSource writerSource;
    private final Jdbi jdbi;
    private final Jdbi writerJdbi;
    private final Dialect dialect;
    private final PostgresSettings postgres;
    private final WalCheckpoints checkpoints;

    /** {@code sqliteSource}: where the log's checkpoints get their own connection; null on PostgreSQL. */
    private Database(HikariDataSource dataSource, HikariDataSource writerSource, Dialect dialect, PostgresSettings postgres,
            DataSource sqliteSource) {
        this.dataSource = dataSource;
        this.writerSource = writerSource;
        this.jdbi = Jdbi.create(dataSource);
        this.writerJdbi = Jdbi.create(writerSource);
        this.checkpoints = sqliteSource == null ? null : new WalCheckpoints(sqliteSource);
        this.dialect = dialect;
        this.postgres = postgres;
    }

    /**
     * Where and how to reach a PostgreSQL server. {@code url} may itself carry a password
     * ({@code ?password=}, {@code user:pass@}): show {@link #displayUrl()}, never {@code url}.
     */
    public record PostgresSettings(String url, String user, String password) {
        /** The URL without any password, for start-up lines and logs. */
        public String displayUrl() {
            return JdbcUrls.redact(url);
        }

        @Override
        public String toString() {
            return "PostgresSettings[url=" + displayUrl() + ", user=" + user
                    + ", password=" + (password == null ? "(none)" : JdbcUrls.HIDDEN) + "]";
        }
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
        sqlite.setBusyTimeout((int) LOCK_WAIT.toMillis());
        // 8 MiB of page cache per connection (of up to eight): 64 MiB stored clicks no faster
        // (bench/ingest, docs/PERFORMANCE.md) and took about 170 MiB of resident memory under load; the
        // operating system caches the file's pages anyway.
        sqlite.setCacheSize(-8_192);
        sqlite.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, "10000");
        sqlite.enforceForeignKeys(true);
        // Nothing here reads generated keys; left on, the driver matches every INSERT it executes
        // against a regular expression and runs SELECT last_insert_rowid() after it: the click writer
        // executes one INSERT per click.
        sqlite.setGetGeneratedKeys(false);
        SQLiteDataSource sqliteSource = new SQLiteDataSource(sqlite);
        sqliteSource.setUrl("jdbc:sqlite:" + sqliteFile(dataDir));

        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqliteSource);
        hikari.setPoolName("linkpulse-sqlite");
        hikari.setMaximumPoolSize(8);
        hikari.setMinimumIdle(2);
        HikariConfig writer = new HikariConfig();
        writer.setDataSource(sqliteSource);
        writer.setPoolName("linkpulse-sqlite-writer");
        writer.setMaximumPoolSize(WRITER_CONNECTIONS);
        writer.setMinimumIdle(1);
        return migrate(hikari, writer, Dialect.SQLITE, null, sqliteSource);
    }

    /** Connects to PostgreSQL and migrates it. */
    public static Database openPostgres(PostgresSettings settings) {
        HikariConfig hikari = postgresPool(settings, "linkpulse-postgresql", 16, 2);
        HikariConfig writer = postgresPool(settings, "linkpulse-postgresql-writer", WRITER_CONNECTIONS, 1);
        return migrate(hikari, writer, Dialect.POSTGRESQL, settings, null);
    }

    private static HikariConfig postgresPool(PostgresSettings settings, String name, int size, int idle) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(settings.url());
        hikari.setUsername(settings.user());
        hikari.setPassword(settings.password());
        hikari.setPoolName(name);
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(idle);
        // Fail fast while the server is away: the recorder retries, redirects serve from the cache.
        hikari.setConnectionTimeout(3_000);
        hikari.setInitializationFailTimeout(10_000);
        hikari.setConnectionInitSql("SET lock_timeout = " + LOCK_WAIT.toMillis());
        // A batch of single-row INSERTs (the rollup step's upserts) goes as multi-row statements:
        // one statement for the server to plan and run per 128 rows instead of per row.
        hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        return hikari;
    }

    private static Database migrate(HikariConfig shared, HikariConfig writer, Dialect dialect, PostgresSettings postgres,
            DataSource sqliteSource) {
        HikariDataSource pooled = new HikariDataSource(shared);
        try {
            Flyway.configure()
                    .dataSource(pooled)
                    .locations("classpath:db/migration/" + (dialect == Dialect.SQLITE ? "sqlite" : "postgresql"))
                    .javaMigrations(new dev.linkpulse.clicks.rollups.RollupBackfill(dialect))
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pooled.close();
            throw e;
        }
        try {
            return new Database(pooled, new HikariDataSource(writer), dialect, postgres, sqliteSource);
        } catch (RuntimeException e) {
            pooled.close();
            throw e;
        }
    }

    /** Where the SQLite file of a data directory lives. */
    public static Path sqliteFile(Path dataDir) {
        return dataDir.resolve("linkpulse.db");
    }

    /** The shared pool: requests, exports, analytics, background jobs. */
    public Jdbi jdbi() {
        return jdbi;
    }

    /** How many connections the shared pool holds at most. */
    public int sharedPoolSize() {
        return dataSource.getMaximumPoolSize();
    }

    /** The click writer's own pool, which nothing else may use. */
    public Jdbi writerJdbi() {
        return writerJdbi;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Notifications between processes sharing this store (none are needed on SQLite). */
    public ChangeFeed openChangeFeed() {
        return dialect == Dialect.POSTGRESQL ? new PostgresChangeFeed(postgres, jdbi) : ChangeFeed.LOCAL;
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
        if (checkpoints != null) {
            checkpoints.close();
        }
        writerSource.close();
        dataSource.close();
    }
}
