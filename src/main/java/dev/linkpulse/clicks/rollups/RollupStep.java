package dev.linkpulse.clicks.rollups;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;

import dev.linkpulse.store.Dialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Counts stored clicks into the per-day rollups behind a watermark, in large steps: each step takes
 * the clicks after the watermark in storage order and adds them to the rollups, moving the watermark
 * past them in the same transaction. Steps of every process sharing the store take turns on the
 * watermark row, and a step sees only committed clicks: writers commit in sequence order, so what
 * is visible is always a whole prefix of the sequence.
 */
public final class RollupStep {

    /** Clicks per step: large enough to share the pages written; the changes are gathered in memory. */
    static final int CLICKS_PER_STEP = 5_000;

    /** What one step did. */
    public record Progress(int counted, boolean caughtUp) {}

    private final Jdbi jdbi;
    private final Rollups rollups;
    /**
     * SQLite only: on PostgreSQL a step's visitors are looked up in one join, which skipping saved
     * nothing measurable, and instances sharing the store would make it forget at every step.
     */
    private final KnownVisitors known;

    public RollupStep(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.rollups = new Rollups(dialect);
        this.known = dialect == Dialect.SQLITE ? new KnownVisitors() : null;
    }

    /** Where the rollups stand: how far they count, the deletions seen, the last click stored. */
    private record Position(long watermark, long generation, long lastStored) {}

    /**
     * Counts up to {@code max} clicks after the watermark into the rollups. The reading and the
     * arithmetic happen before the write lock is taken (on SQLite it is the only write lock, which
     * the click writer needs too); the changes are written only if no other step and no link
     * deletion moved the watermark row in between, else the step starts again.
     */
    public Progress run(int max) {
        while (true) {
            Position at = jdbi.withHandle(h -> h.createQuery(
                            "SELECT watermark, generation, (SELECT last FROM click_sequence WHERE id = 1) FROM rollup_watermark WHERE id = 1")
                    .map((rs, ctx) -> new Position(rs.getLong(1), rs.getLong(2), rs.getLong(3))).one());
            if (at.watermark() >= at.lastStored()) {
                return new Progress(0, true);
            }
            if (known != null) {
                known.startingAt(at.watermark(), at.generation());
            }
            List<Click> clicks = new ArrayList<>(Math.min(max, 10_000));
            long[] lastSeq = {at.watermark()};
            Rollups.Changes changes = jdbi.withHandle(h -> {
                h.createQuery("SELECT " + COUNTED_COLUMNS + " FROM clicks WHERE seq > :after AND seq <= :last ORDER BY seq LIMIT :n")
                        .bind("after", at.watermark()).bind("last", at.lastStored()).bind("n", max)
                        .map((rs, ctx) -> {
                            lastSeq[0] = rs.getLong(1);
                            return counted(rs);
                        })
                        .forEach(clicks::add);
                try {
                    return rollups.plan(h.getConnection(), clicks, known);
                } catch (SQLException e) {
                    throw new UnableToExecuteStatementException("planning a rollup step failed", e, null);
                }
            });
            boolean caughtUp = clicks.size() < max;
            long next = caughtUp ? at.lastStored() : lastSeq[0];
            boolean written;
            try {
                written = write(at, next, changes);
            } catch (RuntimeException | Error e) {
                if (known != null) {
                    known.forget(); // the write may have happened, or failed on a row it took for absent
                }
                throw e;
            }
            if (written) {
                if (known != null) {
                    known.written(changes.inserted(), next, at.generation());
                }
                return new Progress(clicks.size(), caughtUp);
            }
        }
    }

    /** Writes a planned step if the watermark row is still where it was read; false if it moved. */
    private boolean write(Position at, long next, Rollups.Changes changes) {
        return jdbi.inTransaction(h -> {
            rollups.waitForAStepsWrite(h); // another process's step may be writing
            int moved = h.createUpdate("UPDATE rollup_watermark SET watermark = :next "
                            + "WHERE id = 1 AND watermark = :watermark AND generation = :generation")
                    .bind("next", next).bind("watermark", at.watermark()).bind("generation", at.generation()).execute();
            if (moved == 0) {
                return false;
            }
            try {
                Rollups.write(h.getConnection(), changes);
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException("writing a rollup step failed", e, null);
            }
            return true;
        });
    }

    /** The columns the rollups count by; the rest of a row (id, destination, IP, user agent) is never read here. */
    private static final String COUNTED_COLUMNS = "seq, link_id, workspace_id, clicked_at, referrer, referrer_domain, source, "
            + "country, region, city, device_type, browser, os, traffic_class, visitor_hash, "
            + "utm_source, utm_medium, utm_campaign, utm_term, utm_content";

    /** A row of {@link #COUNTED_COLUMNS} as a click, with what the rollups do not use left null. */
    private static Click counted(ResultSet rs) throws SQLException {
        return new Click(null, rs.getString(2), rs.getString(3), rs.getLong(4), null, null, null, rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12),
                rs.getString(13), TrafficClass.fromLabel(rs.getString(14)), rs.getString(15),
                new Utm(rs.getString(16), rs.getString(17), rs.getString(18), rs.getString(19), rs.getString(20)));
    }

    /**
     * Moves the watermark past the first click after it without counting it, and returns that
     * click's id: the way out for a click that makes every step fail the same way, so it no longer
     * holds back the clicks behind it. Empty when no click waits or another step moved first.
     * The click stays in the log; only the rollups leave it out.
     */
    public Optional<String> skipNext() {
        Position at = jdbi.withHandle(h -> h.createQuery(
                        "SELECT watermark, generation, (SELECT last FROM click_sequence WHERE id = 1) FROM rollup_watermark WHERE id = 1")
                .map((rs, ctx) -> new Position(rs.getLong(1), rs.getLong(2), rs.getLong(3))).one());
        record Next(String id, long seq) {}
        Optional<Next> next = jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, seq FROM clicks WHERE seq > :after AND seq <= :last ORDER BY seq LIMIT 1")
                .bind("after", at.watermark()).bind("last", at.lastStored())
                .map((rs, ctx) -> new Next(rs.getString(1), rs.getLong(2))).findOne());
        if (next.isEmpty()) {
            return Optional.empty();
        }
        int moved = jdbi.inTransaction(h -> {
            rollups.waitForAStepsWrite(h);
            return h.createUpdate("UPDATE rollup_watermark SET watermark = :next "
                            + "WHERE id = 1 AND watermark = :watermark AND generation = :generation")
                    .bind("next", next.get().seq()).bind("watermark", at.watermark()).bind("generation", at.generation()).execute();
        });
        return moved == 1 ? Optional.of(next.get().id()) : Optional.empty();
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

    /** True when the rollups count every click stored: one query, for questions that check before each answer. */
    public boolean caughtUp() {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT watermark >= (SELECT last FROM click_sequence WHERE id = 1) FROM rollup_watermark WHERE id = 1")
                .mapTo(Boolean.class).one());
    }

    /** How far the rollups count, in storage sequence. */
    public long watermark() {
        return jdbi.withHandle(RollupStep::watermark);
    }

    /** The last storage sequence number handed out (some are gaps). */
    public long lastStored() {
        return jdbi.withHandle(RollupStep::lastStored);
    }

    private static long watermark(Handle h) {
        return h.createQuery("SELECT watermark FROM rollup_watermark WHERE id = 1").mapTo(Long.class).one();
    }

    private static long lastStored(Handle h) {
        return h.createQuery("SELECT last FROM click_sequence WHERE id = 1").mapTo(Long.class).one();
    }
}
