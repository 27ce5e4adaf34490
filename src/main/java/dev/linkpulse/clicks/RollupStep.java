package dev.linkpulse.clicks;

import dev.linkpulse.store.Dialect;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Counts stored clicks into the per-day rollups behind a watermark, in large steps: each step takes
 * the clicks after the watermark in storage order, adds them to the rollups and moves the watermark
 * past them in one transaction. The watermark row is locked first, so one step runs at a time across
 * every process sharing the store, and a step sees only committed clicks: writers commit in sequence
 * order, so what is visible is always a whole prefix of the sequence.
 */
public final class RollupStep {

    /** Clicks per step: large enough to share the pages written; the changes are gathered in memory. */
    static final int CLICKS_PER_STEP = 5_000;

    /** What one step did. */
    public record Progress(int counted, boolean caughtUp) {}

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final Rollups rollups;

    public RollupStep(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.rollups = new Rollups(dialect);
    }

    /** Counts up to {@code max} clicks after the watermark into the rollups. */
    public Progress run(int max) {
        return jdbi.inTransaction(h -> {
            // Writes first: takes SQLite's write lock at once, and PostgreSQL's lock on the watermark row.
            h.createUpdate("UPDATE rollup_watermark SET watermark = watermark WHERE id = 1").execute();
            long watermark = watermark(h);
            long last = lastStored(h);
            if (watermark >= last) {
                return new Progress(0, true);
            }
            List<Click> clicks = new java.util.ArrayList<>();
            long[] lastSeq = {watermark};
            h.createQuery("SELECT * FROM clicks WHERE seq > :after AND seq <= :last ORDER BY seq LIMIT :n")
                    .bind("after", watermark).bind("last", last).bind("n", max)
                    .map((rs, ctx) -> {
                        lastSeq[0] = rs.getLong("seq");
                        return ClickStore.CLICK.map(rs, ctx);
                    })
                    .forEach(clicks::add);
            boolean caughtUp = clicks.size() < max;
            long newWatermark = caughtUp ? last : lastSeq[0];
            Set<String> live = liveLinks(h, clicks);
            rollups.add(h.getConnection(), clicks.stream().filter(c -> live.contains(c.linkId())).toList());
            h.createUpdate("UPDATE rollup_watermark SET watermark = :w WHERE id = 1").bind("w", newWatermark).execute();
            return new Progress(clicks.size(), caughtUp);
        });
    }

    /**
     * Runs steps until the rollups count every click stored when it was called, or until {@code within}
     * has passed; true when they do.
     */
    public boolean catchUp(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        long target = jdbi.withHandle(RollupStep::lastStored);
        while (true) {
            long watermark = jdbi.withHandle(RollupStep::watermark);
            if (watermark >= target) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            run(CLICKS_PER_STEP);
        }
    }

    /** How many stored clicks the rollups do not count yet (an upper bound: the sequence has gaps). */
    public long lag() {
        return jdbi.withHandle(h -> lastStored(h) - watermark(h));
    }

    private static long watermark(Handle h) {
        return h.createQuery("SELECT watermark FROM rollup_watermark WHERE id = 1").mapTo(Long.class).one();
    }

    private static long lastStored(Handle h) {
        return h.createQuery("SELECT last FROM click_sequence WHERE id = 1").mapTo(Long.class).one();
    }

    /** The links of these clicks that still exist, held against deletion until the transaction ends. */
    private Set<String> liveLinks(Handle h, List<Click> clicks) {
        if (clicks.isEmpty()) {
            return Set.of();
        }
        Set<String> linkIds = new HashSet<>();
        clicks.forEach(c -> linkIds.add(c.linkId()));
        return new HashSet<>(h.createQuery("SELECT id FROM short_urls WHERE id IN (<ids>)" + dialect.lockRowsForShare())
                .bindList("ids", List.copyOf(linkIds))
                .mapTo(String.class)
                .list());
    }
}
