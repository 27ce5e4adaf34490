package dev.linkpulse.clicks.rollups;

import dev.linkpulse.clicks.rollups.Rollups.VisitorKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which visitor rows a rollup step need not look up because they cannot exist yet (SQLite; see
 * {@link RollupStep}). When every click is a new visitor, looking up two visitor rows a click that
 * are never there was about a sixth of a step (docs/PERFORMANCE.md, session 12).
 *
 * <p>A scope (link or workspace) is known for a day once it was met with no counted clicks that
 * day (no {@code day_totals} row); from then on its visitor rows of that day are the ones this
 * process's steps wrote, remembered in a Bloom filter per day. A Bloom filter can only answer
 * "maybe" wrongly, never "absent", so the worst a false answer costs is the lookup it tried to save.
 *
 * <p>What it remembers is true only while nobody else changes the rollups: each step starts by
 * showing the watermark row it read, and anything but the position this process's last step wrote
 * (another process's step, a link deletion's generation, a skipped click) forgets everything. So
 * does a step whose write fails. A scope that already had counted clicks that day when it was met
 * is looked up as before until the next day, so after forgetting only the scopes new that day gain.
 *
 * <p>Measured: ×1.05–1.07 on {@code IngestBench sqlite}; nothing on PostgreSQL, whose lookup of a
 * step's visitors is one join, so it is not used there (docs/PERFORMANCE.md, session 17).
 */
final class KnownVisitors {

    /**
     * Days remembered: the newest met and the one before (today and yesterday, unless a click's
     * clock runs ahead); a late click of an older day is simply looked up.
     */
    private static final int DAYS_KEPT = 2;
    /** Bits a day: 4 MiB, about 3.5 % maybes at 4.4 million visitor rows a day (60 s of full load). */
    private static final int BITS_LOG2 = 25;
    private static final long BIT_MASK = (1L << BITS_LOG2) - 1;

    private record ScopeDay(String scope, long day) {}

    /** What is known of one day: the scopes met without counted clicks (known) or with some, and the rows written. */
    private static final class Day {
        final Set<String> known = new HashSet<>();
        final Set<String> counted = new HashSet<>(); // had counted clicks when first asked: looked up as before
        final long day;
        final long[] bits;

        Day(long day, long[] bits) {
            this.day = day;
            this.bits = bits;
        }

        boolean mayHold(long fingerprint) {
            for (int i = 0; i < 3; i++) {
                long bit = bitOf(fingerprint, i);
                if ((bits[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                    return false;
                }
            }
            return true;
        }

        void add(long fingerprint) {
            for (int i = 0; i < 3; i++) {
                long bit = bitOf(fingerprint, i);
                bits[(int) (bit >>> 6)] |= 1L << bit;
            }
        }

        private static long bitOf(long fingerprint, int i) {
            return (fingerprint + i * (fingerprint >>> 32 | 1)) & BIT_MASK;
        }
    }

    private final Map<Long, Day> days = new HashMap<>();
    /** The newest day remembered; a day more than {@link #DAYS_KEPT} before it is not. */
    private long newest = Long.MIN_VALUE;
    /**
     * Filters of forgotten days, used again: a 90-day fill, or steps taking turns with another
     * process, would otherwise make 4 MiB of garbage each.
     */
    private final ArrayDeque<long[]> spare = new ArrayDeque<>();
    private long trustedWatermark = -1;
    private long trustedGeneration = -1;

    /**
     * Called with the watermark row a step has just read: keeps what is known only if this process's
     * last step wrote that position.
     */
    synchronized void startingAt(long watermark, long generation) {
        if (watermark != trustedWatermark || generation != trustedGeneration) {
            forget();
        }
    }

    /**
     * The keys whose visitor row may exist, to be looked up. Scopes and days met for the first time
     * are asked whether they have counted clicks, so the answer is known from then on.
     */
    synchronized Set<VisitorKey> mayExist(Connection connection, Set<VisitorKey> keys) throws SQLException {
        Set<ScopeDay> unasked = new HashSet<>();
        for (VisitorKey k : keys) {
            Day d = day(k.day());
            if (d != null && !d.known.contains(k.scope()) && !d.counted.contains(k.scope())) {
                unasked.add(new ScopeDay(k.scope(), k.day()));
            }
        }
        if (!unasked.isEmpty()) {
            ask(connection, unasked);
        }
        Set<VisitorKey> out = new HashSet<>();
        for (VisitorKey k : keys) {
            Day d = days.get(k.day());
            if (d == null || !d.known.contains(k.scope()) || d.mayHold(fingerprint(k))) {
                out.add(k);
            }
        }
        return out;
    }

    private void ask(Connection connection, Set<ScopeDay> unasked) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT 1 FROM day_totals WHERE scope_id = ? AND day = ? LIMIT 1")) {
            for (ScopeDay sd : unasked) {
                st.setString(1, sd.scope());
                st.setLong(2, sd.day());
                try (ResultSet rs = st.executeQuery()) {
                    Day d = days.get(sd.day());
                    if (d != null) {
                        (rs.next() ? d.counted : d.known).add(sd.scope());
                    }
                }
            }
        }
    }

    /**
     * The day's record, made when the day is among the newest kept (older days are then forgotten);
     * null for an older day, whose visitors are looked up.
     */
    private Day day(long day) {
        if (newest != Long.MIN_VALUE && day < newest - (DAYS_KEPT - 1)) {
            return null;
        }
        if (day > newest) {
            newest = day;
            for (Iterator<Day> kept = days.values().iterator(); kept.hasNext(); ) {
                Day old = kept.next();
                if (old.day < day - (DAYS_KEPT - 1)) {
                    retire(old);
                    kept.remove();
                }
            }
        }
        Day d = days.get(day);
        if (d == null) {
            long[] bits = spare.poll();
            if (bits == null) {
                bits = new long[1 << (BITS_LOG2 - 6)];
            } else {
                Arrays.fill(bits, 0);
            }
            d = new Day(day, bits);
            days.put(day, d);
        }
        return d;
    }

    /**
     * After a step's write has committed: the visitor rows it inserted, and the position it wrote,
     * which the next step must find to go on trusting what is known.
     */
    synchronized void written(Iterable<VisitorKey> inserted, long watermark, long generation) {
        for (VisitorKey k : inserted) {
            Day d = days.get(k.day());
            if (d != null) {
                d.add(fingerprint(k)); // whether its scope is known or not: it may become known by a check made before this row
            }
        }
        trustedWatermark = watermark;
        trustedGeneration = generation;
    }

    /** Forgets everything: after others' writes, or a step whose write failed (it may have half-happened). */
    synchronized void forget() {
        days.values().forEach(this::retire);
        days.clear();
        newest = Long.MIN_VALUE;
        trustedWatermark = -1;
        trustedGeneration = -1;
    }

    private void retire(Day d) {
        if (spare.size() < DAYS_KEPT) {
            spare.push(d.bits);
        }
    }

    /** 64 bits from the key's parts; a collision only makes a "maybe". */
    private static long fingerprint(VisitorKey k) {
        long h = (long) Objects.hashCode(k.hash()) << 32 | (k.scope().hashCode() * 31 + k.trafficClass().hashCode()) & 0xFFFFFFFFL;
        h = (h ^ h >>> 30) * 0xBF58476D1CE4E5B9L;
        h = (h ^ h >>> 27) * 0x94D049BB133111EBL;
        return h ^ h >>> 31;
    }
}
