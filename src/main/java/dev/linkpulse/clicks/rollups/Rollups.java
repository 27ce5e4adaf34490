package dev.linkpulse.clicks.rollups;

import dev.linkpulse.clicks.Click;

import dev.linkpulse.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Keeps the per-day rollups (tables of migration V2) in step with the click log, inside the
 * caller's transaction: {@link #add} for clicks just stored, {@link #removeLink} for a link being
 * deleted. Each click counts in two scopes, its link and its workspace.
 *
 * <p>Unique counts are exact: a visitor's row remembers which dimension values it has clicked
 * with, so a value's unique count grows only on a visitor's first click with it. Clicks are
 * folded in memory per batch first, so a busy batch writes each rollup row once.
 */
public final class Rollups {

    static final long DAY_MS = 86_400_000L;
    static final long HOUR_MS = 3_600_000L;
    private static final int HASHES_PER_LOOKUP = 200;

    private final Dialect dialect;

    public Rollups(Dialect dialect) {
        this.dialect = dialect;
    }

    private record VisitorKey(String scope, long day, String trafficClass, String hash) {}

    private record StatKey(String scope, String dimension, long day, String trafficClass, String value) {}

    private record TotalKey(String scope, long day, String trafficClass) {}

    private record HourKey(String scope, long hour, String trafficClass) {}

    /** A rollup row's key and its clicks, as read back. */
    private record Counted<K>(K key, long clicks) {}

    /**
     * A visitor of one scope and day: clicks, first and last click, and the values seen, each as
     * its dimension's code (one letter, see {@link #code}) followed by the value.
     */
    private static final class Visitor {
        long clicks;
        long firstAt;
        long lastAt;
        final Set<String> seen;

        Visitor(long clicks, long firstAt, long lastAt, Set<String> seen) {
            this.clicks = clicks;
            this.firstAt = firstAt;
            this.lastAt = lastAt;
            this.seen = seen;
        }

        static Visitor none() {
            return new Visitor(0, Long.MAX_VALUE, Long.MIN_VALUE, new LinkedHashSet<>());
        }

        Visitor copy() {
            return new Visitor(clicks, firstAt, lastAt, new LinkedHashSet<>(seen));
        }

        void add(long clicks, long firstAt, long lastAt, Set<String> seen) {
            this.clicks += clicks;
            this.firstAt = Math.min(this.firstAt, firstAt);
            this.lastAt = Math.max(this.lastAt, lastAt);
            this.seen.addAll(seen);
        }

        long session() {
            return clicks == 0 ? 0 : lastAt - firstAt;
        }

        String seenText() {
            StringBuilder sb = new StringBuilder();
            for (String s : seen) {
                sb.append(sb.isEmpty() ? "" : "\n").append(s.replace("\\", "\\\\").replace("\n", "\\n"));
            }
            return sb.toString();
        }

        static Set<String> parseSeen(String text) {
            Set<String> out = new LinkedHashSet<>();
            if (text.isEmpty()) {
                return out;
            }
            for (String s : text.split("\n", -1)) {
                out.add(s.indexOf('\\') < 0 ? s : unescape(s));
            }
            return out;
        }

        private static String unescape(String s) {
            StringBuilder sb = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    char n = s.charAt(++i);
                    sb.append(n == 'n' ? '\n' : n);
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }
    }

    /** One visitor's clicks in a batch: how many, first and last, and the clicks per value seen (keyed as in {@code seen}). */
    private static final class VisitorBatch {
        long clicks;
        long firstAt = Long.MAX_VALUE;
        long lastAt = Long.MIN_VALUE;
        final Map<String, long[]> values = new HashMap<>(DIMENSIONS.length * 2);

        void add(long at, String[] seen) {
            clicks++;
            firstAt = Math.min(firstAt, at);
            lastAt = Math.max(lastAt, at);
            for (String s : seen) {
                values.computeIfAbsent(s, x -> new long[1])[0]++;
            }
        }
    }

    /** What a batch (or a deletion) changes, gathered in memory before anything is written. */
    static final class Changes {
        final Map<VisitorKey, Visitor[]> visitors = new HashMap<>(); // [state before, state after]
        final Map<StatKey, long[]> stats = new HashMap<>();          // clicks, uniques
        final Map<TotalKey, long[]> totals = new HashMap<>();        // clicks, visitors, returning, session ms, suspicious
        final Map<HourKey, long[]> hours = new HashMap<>();          // clicks

        /** Adds what a visitor's change does to the unique counts and the day's visitor totals. */
        void visitorChanged(VisitorKey k, Visitor before, Visitor after) {
            visitorTotals(k, before, after);
            for (String s : after.seen) {
                if (!before.seen.contains(s)) {
                    uniques(k, s, 1);
                }
            }
            for (String s : before.seen) {
                if (!after.seen.contains(s)) {
                    uniques(k, s, -1);
                }
            }
        }

        /** Adds a visitor's change to its day's visitor totals; returns that day's totals. */
        long[] visitorTotals(VisitorKey k, Visitor before, Visitor after) {
            long[] t = totals.computeIfAbsent(new TotalKey(k.scope(), k.day(), k.trafficClass()), x -> new long[5]);
            t[1] += (after.clicks > 0 ? 1 : 0) - (before.clicks > 0 ? 1 : 0);
            t[2] += (after.clicks > 1 ? 1 : 0) - (before.clicks > 1 ? 1 : 0);
            t[3] += after.session() - before.session();
            t[4] += suspiciousClicks(after) - suspiciousClicks(before);
            return t;
        }

        /** The clicks and uniques of a value ({@code seen} form: dimension code, then value) in a visitor's scope and day. */
        long[] stat(VisitorKey k, String seen) {
            String dimension = DIMENSIONS[seen.charAt(0) - 'a'].key;
            return stats.computeIfAbsent(new StatKey(k.scope(), dimension, k.day(), k.trafficClass(), seen.substring(1)), x -> new long[2]);
        }

        private static long suspiciousClicks(Visitor v) {
            return v.clicks > ClickAggregates.SUSPICIOUS_CLICKS_PER_VISITOR ? v.clicks : 0;
        }

        private void uniques(VisitorKey k, String seen, long n) {
            stat(k, seen)[1] += n;
        }
    }

    /** Counts clicks that were just inserted into the log (none of them counted before). */
    void add(Connection connection, List<Click> clicks) {
        try {
            write(connection, plan(connection, clicks));
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("updating the click rollups failed", e, null);
        }
    }

    /**
     * What counting these clicks changes, computed from the rollups as they are now; nothing is
     * written. {@link RollupStep} plans outside its write transaction and writes only if nothing it
     * read has changed since.
     */
    Changes plan(Connection connection, List<Click> clicks) throws SQLException {
        Changes changes = new Changes();
        if (clicks.isEmpty()) {
            return changes;
        }
        // Clicks fold per visitor (of a scope and day) first, with their clicks per dimension value,
        // so each rollup row is touched once per visitor, however busy the visitor or the batch.
        Map<VisitorKey, VisitorBatch> folded = new HashMap<>();
        String[] seen = new String[DIMENSIONS.length];
        for (Click c : clicks) {
            for (RollupDimension d : DIMENSIONS) {
                seen[d.ordinal()] = code(d) + d.valueOf(c);
            }
            long hour = Math.floorDiv(c.clickedAt(), HOUR_MS);
            long day = Math.floorDiv(c.clickedAt(), DAY_MS);
            String cls = c.trafficClass().label();
            for (String scope : new String[] {c.linkId(), c.workspaceId()}) {
                folded.computeIfAbsent(new VisitorKey(scope, day, cls, c.visitorHash()), k -> new VisitorBatch()).add(c.clickedAt(), seen);
                changes.hours.computeIfAbsent(new HourKey(scope, hour, cls), k -> new long[1])[0]++;
            }
        }
        Map<VisitorKey, Visitor> stored = load(connection, folded.keySet());
        folded.forEach((k, batch) -> {
            Visitor before = stored.getOrDefault(k, Visitor.none());
            Visitor after = before.copy();
            after.add(batch.clicks, batch.firstAt, batch.lastAt, batch.values.keySet());
            changes.visitors.put(k, new Visitor[] {before, after});
            changes.visitorTotals(k, before, after)[0] += batch.clicks;
            batch.values.forEach((value, n) -> {
                long[] stat = changes.stat(k, value);
                stat[0] += n[0];
                if (!before.seen.contains(value)) {
                    stat[1]++;
                }
            });
        });
        return changes;
    }

    private static final RollupDimension[] DIMENSIONS = RollupDimension.values();

    /** The values a {@code visitor_days.seen} text holds, each as its dimension's code then the value. */
    static Set<String> seenValues(String text) {
        return Visitor.parseSeen(text);
    }

    /** A dimension's one-letter code in {@code visitor_days.seen}: stored rows stay short. */
    static char code(RollupDimension d) {
        return (char) ('a' + d.ordinal());
    }


    /**
     * Takes a link out of its workspace's rollups and deletes its own. The workspace's visitors are
     * recomputed from the same visitors' rows under the workspace's other links, so a visitor who
     * also clicked another link stays counted exactly once.
     */
    public void removeLink(Handle h, String linkId, String workspaceId) {
        // First: waits for a rollup step writing now, and makes any step planned before this
        // deletion start again (it read rows that are about to change).
        h.createUpdate("UPDATE rollup_watermark SET generation = generation + 1 WHERE id = 1").execute();
        Changes changes = new Changes();
        // Its clicks leave the workspace's counts exactly; its visitors are recomputed below.
        h.createQuery("SELECT dimension, day, traffic_class, value, clicks FROM day_stats WHERE scope_id = :link").bind("link", linkId)
                .map((rs, ctx) -> new Counted<>(new StatKey(workspaceId, rs.getString("dimension"), rs.getLong("day"),
                        rs.getString("traffic_class"), rs.getString("value")), rs.getLong("clicks")))
                .forEach(c -> changes.stats.computeIfAbsent(c.key(), k -> new long[2])[0] -= c.clicks());
        h.createQuery("SELECT day, traffic_class, clicks FROM day_totals WHERE scope_id = :link").bind("link", linkId)
                .map((rs, ctx) -> new Counted<>(new TotalKey(workspaceId, rs.getLong("day"), rs.getString("traffic_class")), rs.getLong("clicks")))
                .forEach(c -> changes.totals.computeIfAbsent(c.key(), k -> new long[5])[0] -= c.clicks());
        h.createQuery("SELECT hour, traffic_class, clicks FROM hour_clicks WHERE scope_id = :link").bind("link", linkId)
                .map((rs, ctx) -> new Counted<>(new HourKey(workspaceId, rs.getLong("hour"), rs.getString("traffic_class")), rs.getLong("clicks")))
                .forEach(c -> changes.hours.computeIfAbsent(c.key(), k -> new long[1])[0] -= c.clicks());
        Set<VisitorKey> keys = new HashSet<>(h.createQuery("SELECT day, traffic_class, visitor_hash FROM visitor_days WHERE scope_id = :link")
                .bind("link", linkId)
                .map((rs, ctx) -> new VisitorKey(workspaceId, rs.getLong("day"), rs.getString("traffic_class"), rs.getString("visitor_hash")))
                .list());
        Set<Long> days = new HashSet<>();
        keys.forEach(k -> days.add(k.day()));
        List<String> otherLinks = h.createQuery("SELECT id FROM short_urls WHERE workspace_id = :ws AND id <> :link")
                .bind("ws", workspaceId).bind("link", linkId).mapTo(String.class).list();
        try {
            Connection connection = h.getConnection();
            Map<VisitorKey, Visitor> before = load(connection, keys);
            // The same visitors under the other links: read day by day (sequential in the index), merged in memory.
            Map<VisitorKey, Visitor> after = new HashMap<>();
            try (PreparedStatement others = connection.prepareStatement("SELECT traffic_class, visitor_hash, clicks, first_at, last_at, seen "
                    + "FROM visitor_days WHERE scope_id = ? AND day = ?")) {
                for (String other : otherLinks) {
                    for (long day : days) {
                        others.setString(1, other);
                        others.setLong(2, day);
                        try (ResultSet rs = others.executeQuery()) {
                            while (rs.next()) {
                                VisitorKey k = new VisitorKey(workspaceId, day, rs.getString(1), rs.getString(2));
                                if (keys.contains(k)) {
                                    after.computeIfAbsent(k, x -> Visitor.none())
                                            .add(rs.getLong(3), rs.getLong(4), rs.getLong(5), Visitor.parseSeen(rs.getString(6)));
                                }
                            }
                        }
                    }
                }
            }
            for (VisitorKey k : keys) {
                Visitor old = before.getOrDefault(k, Visitor.none());
                Visitor merged = after.getOrDefault(k, Visitor.none());
                changes.visitors.put(k, new Visitor[] {old, merged});
                changes.visitorChanged(k, old, merged);
            }
            write(connection, changes);
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("removing a link from the click rollups failed", e, null);
        }
        for (String table : List.of("day_stats", "day_totals", "hour_clicks", "visitor_days")) {
            h.createUpdate("DELETE FROM " + table + " WHERE scope_id = :link").bind("link", linkId).execute();
        }
        h.createUpdate("DELETE FROM day_stats WHERE scope_id = :ws AND clicks <= 0").bind("ws", workspaceId).execute();
        h.createUpdate("DELETE FROM day_totals WHERE scope_id = :ws AND clicks <= 0").bind("ws", workspaceId).execute();
        h.createUpdate("DELETE FROM hour_clicks WHERE scope_id = :ws AND clicks <= 0").bind("ws", workspaceId).execute();
    }

    /**
     * The stored visitors among {@code keys}. Not locked: only rollup steps (one at a time, behind the
     * watermark row) and link deletions (which bump its generation) change them.
     */
    private Map<VisitorKey, Visitor> load(Connection connection, Set<VisitorKey> keys) throws SQLException {
        Map<VisitorKey, Visitor> out = new HashMap<>();
        if (dialect == Dialect.SQLITE) {
            // Visitors of one scope, day and class are asked for together, up to a few hundred hashes
            // a statement: a statement per visitor cost more in calls than in lookups.
            Map<TotalKey, List<String>> byDay = new HashMap<>();
            keys.forEach(k -> byDay.computeIfAbsent(new TotalKey(k.scope(), k.day(), k.trafficClass()), x -> new ArrayList<>()).add(k.hash()));
            String full = "SELECT visitor_hash, clicks, first_at, last_at, seen FROM visitor_days "
                    + "WHERE scope_id = ? AND day = ? AND traffic_class = ? AND visitor_hash IN (" + "?,".repeat(HASHES_PER_LOOKUP - 1) + "?)";
            try (PreparedStatement st = connection.prepareStatement(full)) {
                for (Map.Entry<TotalKey, List<String>> e : byDay.entrySet()) {
                    TotalKey day = e.getKey();
                    List<String> hashes = e.getValue();
                    for (int from = 0; from < hashes.size(); from += HASHES_PER_LOOKUP) {
                        List<String> part = hashes.subList(from, Math.min(hashes.size(), from + HASHES_PER_LOOKUP));
                        st.setString(1, day.scope());
                        st.setLong(2, day.day());
                        st.setString(3, day.trafficClass());
                        for (int i = 0; i < HASHES_PER_LOOKUP; i++) {
                            // A short last part repeats its first hash: same answer, one prepared statement.
                            st.setString(4 + i, part.get(i < part.size() ? i : 0));
                        }
                        try (ResultSet rs = st.executeQuery()) {
                            while (rs.next()) {
                                out.put(new VisitorKey(day.scope(), day.day(), day.trafficClass(), rs.getString(1)),
                                        new Visitor(rs.getLong(2), rs.getLong(3), rs.getLong(4), Visitor.parseSeen(rs.getString(5))));
                            }
                        }
                    }
                }
            }
            return out;
        }
        if (keys.isEmpty()) {
            return out;
        }
        String[] scopes = new String[keys.size()];
        Long[] days = new Long[keys.size()];
        String[] classes = new String[keys.size()];
        String[] hashes = new String[keys.size()];
        int i = 0;
        for (VisitorKey k : keys) {
            scopes[i] = k.scope();
            days[i] = k.day();
            classes[i] = k.trafficClass();
            hashes[i++] = k.hash();
        }
        try (PreparedStatement st = connection.prepareStatement("""
                SELECT v.scope_id, v.day, v.traffic_class, v.visitor_hash, v.clicks, v.first_at, v.last_at, v.seen
                FROM visitor_days v JOIN unnest(?::text[], ?::bigint[], ?::text[], ?::text[]) AS k (s, d, c, h)
                  ON v.scope_id = k.s AND v.day = k.d AND v.traffic_class = k.c AND v.visitor_hash = k.h""")) {
            st.setArray(1, connection.createArrayOf("text", scopes));
            st.setArray(2, connection.createArrayOf("bigint", days));
            st.setArray(3, connection.createArrayOf("text", classes));
            st.setArray(4, connection.createArrayOf("text", hashes));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(new VisitorKey(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)),
                            new Visitor(rs.getLong(5), rs.getLong(6), rs.getLong(7), Visitor.parseSeen(rs.getString(8))));
                }
            }
        }
        return out;
    }

    static void write(Connection connection, Changes changes) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO visitor_days "
                        + "(scope_id, day, traffic_class, visitor_hash, clicks, first_at, last_at, seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (scope_id, day, traffic_class, visitor_hash) DO NOTHING");
                PreparedStatement update = connection.prepareStatement("UPDATE visitor_days SET clicks = ?, first_at = ?, last_at = ?, seen = ? "
                        + "WHERE scope_id = ? AND day = ? AND traffic_class = ? AND visitor_hash = ?");
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM visitor_days WHERE scope_id = ? AND day = ? AND traffic_class = ? AND visitor_hash = ?")) {
            List<VisitorKey> inserted = new ArrayList<>();
            boolean updates = false;
            boolean deletes = false;
            for (Map.Entry<VisitorKey, Visitor[]> e : changes.visitors.entrySet()) {
                VisitorKey k = e.getKey();
                Visitor before = e.getValue()[0];
                Visitor after = e.getValue()[1];
                if (after.clicks == 0) {
                    delete.setString(1, k.scope());
                    delete.setLong(2, k.day());
                    delete.setString(3, k.trafficClass());
                    delete.setString(4, k.hash());
                    delete.addBatch();
                    deletes = true;
                } else if (before.clicks == 0) {
                    insert.setString(1, k.scope());
                    insert.setLong(2, k.day());
                    insert.setString(3, k.trafficClass());
                    insert.setString(4, k.hash());
                    insert.setLong(5, after.clicks);
                    insert.setLong(6, after.firstAt);
                    insert.setLong(7, after.lastAt);
                    insert.setString(8, after.seenText());
                    insert.addBatch();
                    inserted.add(k);
                } else {
                    update.setLong(1, after.clicks);
                    update.setLong(2, after.firstAt);
                    update.setLong(3, after.lastAt);
                    update.setString(4, after.seenText());
                    update.setString(5, k.scope());
                    update.setLong(6, k.day());
                    update.setString(7, k.trafficClass());
                    update.setString(8, k.hash());
                    update.addBatch();
                    updates = true;
                }
            }
            if (!inserted.isEmpty()) {
                for (int n : insert.executeBatch()) {
                    // Another process stored the same visitor since it was read: counting on would count it twice.
                    if (n == 0) {
                        throw new SQLException("a visitor row was written concurrently; the batch will be retried");
                    }
                }
            }
            if (updates) {
                update.executeBatch();
            }
            if (deletes) {
                delete.executeBatch();
            }
        }
        try (PreparedStatement st = connection.prepareStatement("""
                INSERT INTO day_stats (scope_id, dimension, day, traffic_class, value, clicks, uniques) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (scope_id, dimension, day, traffic_class, value) DO UPDATE SET
                    clicks = day_stats.clicks + excluded.clicks, uniques = day_stats.uniques + excluded.uniques""")) {
            for (Map.Entry<StatKey, long[]> e : changes.stats.entrySet()) {
                StatKey k = e.getKey();
                st.setString(1, k.scope());
                st.setString(2, k.dimension());
                st.setLong(3, k.day());
                st.setString(4, k.trafficClass());
                st.setString(5, k.value());
                st.setLong(6, e.getValue()[0]);
                st.setLong(7, e.getValue()[1]);
                st.addBatch();
            }
            st.executeBatch();
        }
        try (PreparedStatement st = connection.prepareStatement("""
                INSERT INTO day_totals (scope_id, day, traffic_class, clicks, visitors, returning_visitors, session_ms, suspicious_clicks)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (scope_id, day, traffic_class) DO UPDATE SET
                    clicks = day_totals.clicks + excluded.clicks, visitors = day_totals.visitors + excluded.visitors,
                    returning_visitors = day_totals.returning_visitors + excluded.returning_visitors,
                    session_ms = day_totals.session_ms + excluded.session_ms,
                    suspicious_clicks = day_totals.suspicious_clicks + excluded.suspicious_clicks""")) {
            for (Map.Entry<TotalKey, long[]> e : changes.totals.entrySet()) {
                TotalKey k = e.getKey();
                long[] v = e.getValue();
                st.setString(1, k.scope());
                st.setLong(2, k.day());
                st.setString(3, k.trafficClass());
                for (int i = 0; i < 5; i++) {
                    st.setLong(4 + i, v[i]);
                }
                st.addBatch();
            }
            st.executeBatch();
        }
        try (PreparedStatement st = connection.prepareStatement("""
                INSERT INTO hour_clicks (scope_id, hour, traffic_class, clicks) VALUES (?, ?, ?, ?)
                ON CONFLICT (scope_id, hour, traffic_class) DO UPDATE SET clicks = hour_clicks.clicks + excluded.clicks""")) {
            for (Map.Entry<HourKey, long[]> e : changes.hours.entrySet()) {
                HourKey k = e.getKey();
                st.setString(1, k.scope());
                st.setLong(2, k.hour());
                st.setString(3, k.trafficClass());
                st.setLong(4, e.getValue()[0]);
                st.addBatch();
            }
            st.executeBatch();
        }
    }
}
