package dev.linkpulse.bench;

import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.clicks.rollups.RollupStep;
import dev.linkpulse.demo.DemoData;
import dev.linkpulse.keys.KeyService;
import dev.linkpulse.links.LinkService;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Bytes on disk per stored click, for docs/SCALING.md: fills a new store with demo clicks (rows,
 * per-link counters and rollups, as the server writes them) and divides what the store takes by
 * the number of clicks. {@code StoreSizeBench <sqlite|postgresql> <clicks>}.
 */
public final class StoreSizeBench {

    public static void main(String[] args) throws Exception {
        String store = args.length > 0 ? args[0] : "sqlite";
        long clicks = args.length > 1 ? Long.parseLong(args[1]) : 200_000;
        Path dir = Files.createTempDirectory("store-size");
        Postgres pg = store.equals("postgresql") ? Postgres.startNew() : null;
        try (Database db = pg == null ? Database.openSqlite(dir)
                : Database.openPostgres(new Database.PostgresSettings(pg.newDatabase(), Postgres.USER, ""));
                var changes = db.openChangeFeed()) {
            Clock clock = Clock.systemUTC();
            KeyService keys = new KeyService(db.jdbi(), clock);
            keys.ensureFirstKey(Optional.of("lp_store_size_bench_key_0123456789abcdef"));
            String ws = keys.workspaceId(Optional.empty());
            ClickStore clickStore = new ClickStore(db.jdbi(), db.dialect());
            LinkService links = new LinkService(db.jdbi(), clickStore, changes, clock);
            DemoData.Result r = new DemoData(links, clickStore, new RollupStep(db.jdbi(), db.dialect()), clock, 42)
                    .generate(ws, 100, clicks, 90, 0.3, System.err);
            if (pg == null) {
                db.jdbi().useHandle(h -> h.execute("PRAGMA wal_checkpoint(TRUNCATE)"));
                long bytes = 0;
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        bytes += Files.isRegularFile(p) ? Files.size(p) : 0;
                    }
                }
                System.out.printf("sqlite: %,d clicks, %,d bytes in the data directory, %.0f bytes per click%n", r.clicks(), bytes,
                        (double) bytes / r.clicks());
            } else {
                db.jdbi().useHandle(h -> h.execute("VACUUM ANALYZE"));
                long clicksTable = db.jdbi().withHandle(h -> h.createQuery("SELECT pg_total_relation_size('clicks')").mapTo(Long.class).one());
                long all = db.jdbi().withHandle(h -> h.createQuery("SELECT pg_database_size(current_database())").mapTo(Long.class).one());
                long empty = db.jdbi().withHandle(h -> h.createQuery("SELECT pg_database_size('template1')").mapTo(Long.class).one());
                System.out.printf("postgresql: %,d clicks, clicks table with indexes %,d bytes (%.0f per click), "
                        + "database %,d bytes above an empty one (%.0f per click)%n", r.clicks(), clicksTable,
                        (double) clicksTable / r.clicks(), all - empty, (double) (all - empty) / r.clicks());
            }
        } finally {
            if (pg != null) {
                pg.close();
            }
            dev.linkpulse.support.TempDirs.delete(dir);
        }
    }
}
