package dev.linkpulse.support;

import dev.linkpulse.clicks.rollups.RollupBackfill;
import dev.linkpulse.config.Setting;
import dev.linkpulse.store.Database;
import dev.linkpulse.store.Dialect;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * A store as an earlier version left it: migrated only up to {@code version}, on the store the suite
 * runs on (a new PostgreSQL database, or SQLite in {@code dir}), for upgrade tests to fill with old
 * rows and then start today's server on ({@link #settings}).
 */
public record OldStore(Map<Setting, String> settings, String url, String user) {

    public static OldStore migratedTo(String version, Path dir) {
        Map<Setting, String> settings = new HashMap<>(Map.of(Setting.DATA_DIR, dir.toString()));
        String url;
        String user = null;
        if (TestServer.onPostgres()) {
            url = Postgres.shared().newDatabase();
            user = Postgres.USER;
            settings.put(Setting.DB_URL, url);
            settings.put(Setting.DB_USER, user);
        } else {
            url = "jdbc:sqlite:" + Database.sqliteFile(dir);
        }
        Flyway.configure().dataSource(url, user, null)
                .locations("classpath:db/migration/" + (TestServer.onPostgres() ? "postgresql" : "sqlite"))
                .javaMigrations(new RollupBackfill(TestServer.onPostgres() ? Dialect.POSTGRESQL : Dialect.SQLITE))
                .target(version).load().migrate();
        return new OldStore(settings, url, user);
    }
}
