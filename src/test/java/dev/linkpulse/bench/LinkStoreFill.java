package dev.linkpulse.bench;

import dev.linkpulse.App;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.config.Config;
import dev.linkpulse.config.ConfigLoader;
import dev.linkpulse.config.Setting;
import dev.linkpulse.keys.KeyService;
import dev.linkpulse.links.LinkService;
import dev.linkpulse.links.NewShortUrl;
import dev.linkpulse.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fills a SQLite store with N links coded {@code l0000001} … for bench/links, which then serves
 * them with the real jar. Usage: LinkStoreFill DATA_DIR N KEY
 */
public final class LinkStoreFill {

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.DATA_DIR, dir.toString());
        Config config = ConfigLoader.load(Map.of(), flags);
        try (Database db = App.openStore(config); var changes = db.openChangeFeed()) {
            Clock clock = Clock.systemUTC();
            KeyService keys = new KeyService(db.jdbi(), clock);
            keys.ensureFirstKey(Optional.of(args[2]));
            LinkService links = new LinkService(db.jdbi(), new ClickStore(db.jdbi(), db.dialect()), changes, clock);
            String workspace = keys.workspaceId(Optional.empty());
            long start = System.nanoTime();
            for (int from = 1; from <= n; from += 10_000) {
                List<NewShortUrl> batch = new ArrayList<>();
                for (int i = from; i < from + 10_000 && i <= n; i++) {
                    batch.add(new NewShortUrl("https://example.com/landing/" + i, Optional.of("l%07d".formatted(i)), Optional.empty(),
                            Optional.empty(), true, true, true));
                }
                links.createAll(workspace, batch);
                System.err.printf("\r%,d of %,d links", Math.min(n, from + 9_999), n);
            }
            System.err.printf("%n%,d links in %.1f s%n", n, (System.nanoTime() - start) / 1e9);
        }
    }
}
