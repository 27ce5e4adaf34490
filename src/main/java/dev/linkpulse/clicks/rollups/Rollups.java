package dev.linkpulse.clicks.rollups;

import dev.linkpulse.clicks.Click;

import dev.linkpulse.store.CopyText;
import dev.linkpulse.store.Database;
import dev.linkpulse.store.Dialect;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.PGConnection;

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

    record VisitorKey(String scope, long day, String trafficClass, String hash) {}

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
        /** {@link #seenText} when known without the set (a first click); null otherwise. */
        private final String text;

        Visitor(long clicks, long firstAt, long lastAt, Set<String> seen) {
            this(clicks, firstAt, lastAt, seen, null);
        }

        private Visitor(long clicks, long firstAt, long lastAt, Set<String> seen, String text) {
            this.clicks = clicks;
            this.firstAt = firstAt;
            this.lastAt = lastAt;
            this.seen = seen;
            this.text = text;
        }

        /**
         * A visitor whose only click so far is this one. Only its text is kept: it is written, never
         * asked what it has seen.
         */
        static Visitor firstClick(long at, ClickValues click) {
            return new Visitor(1, at, at, Set.of(), click.seenText());
        }

        /** The {@link #seenText} of a visitor whose only click had these values (by dimension ordinal). */
        static String firstClickText(String[] values) {
            int length = DIMENSIONS.length * 2 - 1; // codes and separators
            for (String v : values) {
                length += v.length();
            }
            StringBuilder sb = new StringBuilder(length); // exact unless a value needs escaping
            for (RollupDimension d : DIMENSIONS) {
                if (d.ordinal() > 0) {
                    sb.append('\n');
                }
                appendEscaped(sb.append(code(d)), values[d.ordinal()]);
            }
            return sb.toString();
        }

        /** No visitor row before this step; read, never changed. */
        static final Visitor ABSENT = new Visitor(0, Long.MAX_VALUE, Long.MIN_VALUE, Set.of());

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
            if (text != null) {
                return text;
            }
            StringBuilder sb = new StringBuilder();
            for (String s : seen) {
                appendEscaped(sb.append(sb.isEmpty() ? "" : "\n"), s);
            }
            return sb.toString();
        }

        private static void appendEscaped(StringBuilder sb, String s) {
            if (s.indexOf('\\') < 0 && s.indexOf('\n') < 0) {
                sb.append(s);
                return;
            }
            sb.append(s.replace("\\", "\\\\").replace("\n", "\\n"));
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

    /**
     * A click's value of each dimension (by ordinal), shared by its two scopes, and the seen text of
     * a visitor whose first click it is, made once for both when needed.
     */
    private static final class ClickValues {
        final String[] byDimension;
        private String seenText;

        ClickValues(String[] byDimension) {
            this.byDimension = byDimension;
        }

        String seenText() {
            if (seenText == null) {
                seenText = Visitor.firstClickText(byDimension);
            }
            return seenText;
        }
    }

    /**
     * One visitor's clicks in a batch: how many, first and last, and each click's dimension values.
     * Most visitors click once a day, so nothing is hashed per value here.
     */
    private static final class VisitorBatch {
        long clicks;
        long firstAt = Long.MAX_VALUE;
        long lastAt = Long.MIN_VALUE;
        final List<ClickValues> values = new ArrayList<>(1);

        void add(long at, ClickValues clickValues) {
            clicks++;
            firstAt = Math.min(firstAt, at);
            lastAt = Math.max(lastAt, at);
            values.add(clickValues);
        }
    }

    /**
     * What a batch changes in one scope, day and traffic class: its totals (clicks, visitors,
     * returning, session ms, suspicious) and the clicks and uniques of each dimension's values.
     * Grouped so a visitor finds its day once, then each value by the value alone.
     */
    static final class DayChanges {
        final long[] totals = new long[5];
        @SuppressWarnings("unchecked")
        final Map<String, long[]>[] values = new Map[DIMENSIONS.length];

        long[] stat(RollupDimension d, String value) {
            Map<String, long[]> byValue = values[d.ordinal()];
            if (byValue == null) {
                byValue = new HashMap<>();
                values[d.ordinal()] = byValue;
            }
            long[] counts = byValue.get(value);
            if (counts == null) {
                counts = new long[2];
                byValue.put(value, counts);
            }
            return counts;
        }
    }

    /** What a batch (or a deletion) changes, gathered in memory before anything is written. */
    static final class Changes {
        final Map<VisitorKey, Visitor[]> visitors = new HashMap<>(); // [state before, state after]
        final Map<TotalKey, DayChanges> days = new HashMap<>();
        final Map<HourKey, long[]> hours = new HashMap<>();          // clicks

        DayChanges day(String scope, long day, String trafficClass) {
            TotalKey key = new TotalKey(scope, day, trafficClass);
            DayChanges d = days.get(key);
            if (d == null) {
                d = new DayChanges();
                days.put(key, d);
            }
            return d;
        }

        DayChanges day(VisitorKey k) {
            return day(k.scope(), k.day(), k.trafficClass());
        }

        /** The visitors whose row this change inserts. */
        List<VisitorKey> inserted() {
            List<VisitorKey> out = new ArrayList<>();
            visitors.forEach((k, v) -> {
                if (v[0].clicks == 0 && v[1].clicks > 0) {
                    out.add(k);
                }
            });
            return out;
        }

        /** Adds what a visitor's change does to the unique counts and the day's visitor totals. */
        void visitorChanged(VisitorKey k, Visitor before, Visitor after) {
            DayChanges day = day(k);
            visitorTotals(day, before, after);
            for (String s : after.seen) {
                if (!before.seen.contains(s)) {
                    stat(day, s)[1]++;
                }
            }
            for (String s : before.seen) {
                if (!after.seen.contains(s)) {
                    stat(day, s)[1]--;
                }
            }
        }

        /** Adds a visitor's change to its day's visitor totals. */
        static void visitorTotals(DayChanges day, Visitor before, Visitor after) {
            long[] t = day.totals;
            t[1] += (after.clicks > 0 ? 1 : 0) - (before.clicks > 0 ? 1 : 0);
            t[2] += (after.clicks > 1 ? 1 : 0) - (before.clicks > 1 ? 1 : 0);
            t[3] += after.session() - before.session();
            t[4] += suspiciousClicks(after) - suspiciousClicks(before);
        }

        /** The clicks and uniques of a value in {@code seen} form: dimension code, then value. */
        private static long[] stat(DayChanges day, String seen) {
            return day.stat(DIMENSIONS[seen.charAt(0) - 'a'], seen.substring(1));
        }

        private static long suspiciousClicks(Visitor v) {
            return v.clicks > ClickAggregates.SUSPICIOUS_CLICKS_PER_VISITOR ? v.clicks : 0;
        }
    }

    /** Counts clicks that were just inserted into the log (none of them counted before). */
    void add(Connection connection, List<Click> clicks) {
        try {
            write(connection, plan(connection, clicks, null));
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("updating the click rollups failed", e, null);
        }
    }

    /**
     * What counting these clicks changes, computed from the rollups as they are now; nothing is
     * written. {@link RollupStep} plans outside its write transaction and writes only if nothing it
     * read has changed since. Only the visitors that {@code known} (when given) cannot rule out are
     * looked up.
     */
    Changes plan(Connection connection, List<Click> clicks, KnownVisitors known) throws SQLException {
        Changes changes = new Changes();
        if (clicks.isEmpty()) {
            return changes;
        }
        // Clicks fold per visitor (of a scope and day) first, so each visitor row is read and
        // written once per step, however busy the visitor.
        Map<VisitorKey, VisitorBatch> folded = new HashMap<>(clicks.size() * 3);
        for (Click c : clicks) {
            String[] byDimension = new String[DIMENSIONS.length];
            for (RollupDimension d : DIMENSIONS) {
                byDimension[d.ordinal()] = d.valueOf(c);
            }
            ClickValues values = new ClickValues(byDimension);
            long hour = Math.floorDiv(c.clickedAt(), HOUR_MS);
            long day = Math.floorDiv(c.clickedAt(), DAY_MS);
            String cls = c.trafficClass().label();
            fold(folded, changes, new VisitorKey(c.linkId(), day, cls, c.visitorHash()), hour, c.clickedAt(), values);
            fold(folded, changes, new VisitorKey(c.workspaceId(), day, cls, c.visitorHash()), hour, c.clickedAt(), values);
        }
        Map<VisitorKey, Visitor> stored = load(connection, known == null ? folded.keySet() : known.mayExist(connection, folded.keySet()));
        folded.forEach((k, batch) -> {
            DayChanges day = changes.day(k);
            Visitor before = stored.get(k);
            Visitor after;
            if (before == null && batch.clicks == 1) {
                // A visitor's first click: every value is new to it; no set needed.
                ClickValues click = batch.values.get(0);
                for (RollupDimension d : DIMENSIONS) {
                    long[] stat = day.stat(d, click.byDimension[d.ordinal()]);
                    stat[0]++;
                    stat[1]++;
                }
                before = Visitor.ABSENT;
                after = Visitor.firstClick(batch.firstAt, click);
            } else {
                before = before == null ? Visitor.none() : before;
                after = before.copy();
                after.add(batch.clicks, batch.firstAt, batch.lastAt, Set.of());
                String[] previous = null;
                for (ClickValues click : batch.values) {
                    String[] values = click.byDimension;
                    for (RollupDimension d : DIMENSIONS) {
                        String value = values[d.ordinal()];
                        long[] stat = day.stat(d, value);
                        stat[0]++;
                        // A value of the visitor's previous click is in the set already: no key to
                        // build for it (a returning visitor's clicks mostly share their values).
                        boolean repeated = previous != null && value.equals(previous[d.ordinal()]);
                        if (!repeated && after.seen.add(code(d) + value)) {
                            stat[1]++;
                        }
                    }
                    previous = values;
                }
            }
            changes.visitors.put(k, new Visitor[] {before, after});
            Changes.visitorTotals(day, before, after);
            day.totals[0] += batch.clicks;
        });
        return changes;
    }

    private static void fold(Map<VisitorKey, VisitorBatch> folded, Changes changes, VisitorKey k, long hour, long at, ClickValues values) {
        VisitorBatch batch = folded.get(k);
        if (batch == null) {
            batch = new VisitorBatch();
            folded.put(k, batch);
        }
        batch.add(at, values);
        HourKey h = new HourKey(k.scope(), hour, k.trafficClass());
        long[] n = changes.hours.get(h);
        if (n == null) {
            changes.hours.put(h, new long[] {1});
        } else {
            n[0]++;
        }
    }

    private static final RollupDimension[] DIMENSIONS = RollupDimension.values();

    /**
     * How long the watermark row is waited for on PostgreSQL: far past a 5,000-click step's write, as a
     * slow server's can pass the 2 s other writers wait (a 50,000-click step's write took about 3 s here).
     */
    static final Duration STEP_WAIT = Duration.ofSeconds(15);

    /**
     * Lets the caller's transaction wait for the watermark row as long as a rollup step's write may
     * hold it. On PostgreSQL a step's write on a slow or busy server may take longer than other
     * writers wait for a lock (2 s): a link deletion, or another process's step, waits for it rather
     * than fail. On SQLite the lock is the store's one write lock, which a step holds briefly.
     */
    void waitForAStepsWrite(Handle h) {
        if (dialect == Dialect.POSTGRESQL) {
            lockTimeout(h, STEP_WAIT);
        }
    }

    /** The lock timeout of the rest of the transaction (PostgreSQL). */
    private static void lockTimeout(Handle h, Duration wait) {
        h.createQuery("SELECT set_config('lock_timeout', :ms, true)").bind("ms", wait.toMillis() + "ms").mapTo(String.class).one();
    }

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
        waitForAStepsWrite(h);
        h.createUpdate("UPDATE rollup_watermark SET generation = generation + 1 WHERE id = 1").execute();
        if (dialect == Dialect.POSTGRESQL) {
            lockTimeout(h, Database.LOCK_WAIT);
        }
        Changes changes = new Changes();
        // Its clicks leave the workspace's counts exactly; its visitors are recomputed below.
        h.createQuery("SELECT dimension, day, traffic_class, value, clicks FROM day_stats WHERE scope_id = :link").bind("link", linkId)
                .map((rs, ctx) -> {
                    changes.day(workspaceId, rs.getLong("day"), rs.getString("traffic_class"))
                            .stat(RollupDimension.byKey(rs.getString("dimension")), rs.getString("value"))[0] -= rs.getLong("clicks");
                    return true;
                })
                .list();
        h.createQuery("SELECT day, traffic_class, clicks FROM day_totals WHERE scope_id = :link").bind("link", linkId)
                .map((rs, ctx) -> changes.day(workspaceId, rs.getLong("day"), rs.getString("traffic_class")).totals[0] -= rs.getLong("clicks"))
                .list();
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
                        + "(scope_id, day, traffic_class, visitor_hash, clicks, first_at, last_at, seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement update = connection.prepareStatement("UPDATE visitor_days SET clicks = ?, first_at = ?, last_at = ?, seen = ? "
                        + "WHERE scope_id = ? AND day = ? AND traffic_class = ? AND visitor_hash = ?");
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM visitor_days WHERE scope_id = ? AND day = ? AND traffic_class = ? AND visitor_hash = ?")) {
            boolean inserted = false;
            boolean updates = false;
            boolean deletes = false;
            // PostgreSQL takes new visitor rows by COPY: a row a click for a new visitor, in each scope.
            boolean byCopy = connection.isWrapperFor(PGConnection.class);
            CopyText copy = null;
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
                } else if (before.clicks == 0 && byCopy) {
                    if (copy == null) {
                        copy = new CopyText(changes.visitors.size() * 300);
                    }
                    copy.add(k.scope()).add(k.day()).add(k.trafficClass()).add(k.hash()).add(after.clicks).add(after.firstAt)
                            .add(after.lastAt).add(after.seenText()).endRow();
                    inserted = true;
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
                    inserted = true;
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
            if (inserted) {
                // A plain INSERT or COPY: if another process stored the same visitor since it was read,
                // the unique index refuses it and the whole step is retried, instead of counting it twice.
                if (copy != null) {
                    try {
                        connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY visitor_days "
                                + "(scope_id, day, traffic_class, visitor_hash, clicks, first_at, last_at, seen) FROM STDIN",
                                new ByteArrayInputStream(copy.toUtf8()));
                    } catch (IOException e) {
                        throw new SQLException("copying visitor rows failed", e);
                    }
                } else {
                    insert.executeBatch();
                }
            }
            if (updates) {
                update.executeBatch();
            }
            if (deletes) {
                delete.executeBatch();
            }
        }
        try (PreparedStatement stats = connection.prepareStatement("""
                INSERT INTO day_stats (scope_id, dimension, day, traffic_class, value, clicks, uniques) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (scope_id, dimension, day, traffic_class, value) DO UPDATE SET
                    clicks = day_stats.clicks + excluded.clicks, uniques = day_stats.uniques + excluded.uniques""");
                PreparedStatement totals = connection.prepareStatement("""
                INSERT INTO day_totals (scope_id, day, traffic_class, clicks, visitors, returning_visitors, session_ms, suspicious_clicks)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (scope_id, day, traffic_class) DO UPDATE SET
                    clicks = day_totals.clicks + excluded.clicks, visitors = day_totals.visitors + excluded.visitors,
                    returning_visitors = day_totals.returning_visitors + excluded.returning_visitors,
                    session_ms = day_totals.session_ms + excluded.session_ms,
                    suspicious_clicks = day_totals.suspicious_clicks + excluded.suspicious_clicks""")) {
            for (Map.Entry<TotalKey, DayChanges> e : changes.days.entrySet()) {
                TotalKey k = e.getKey();
                DayChanges day = e.getValue();
                for (RollupDimension d : DIMENSIONS) {
                    Map<String, long[]> byValue = day.values[d.ordinal()];
                    if (byValue == null) {
                        continue;
                    }
                    for (Map.Entry<String, long[]> v : byValue.entrySet()) {
                        stats.setString(1, k.scope());
                        stats.setString(2, d.key);
                        stats.setLong(3, k.day());
                        stats.setString(4, k.trafficClass());
                        stats.setString(5, v.getKey());
                        stats.setLong(6, v.getValue()[0]);
                        stats.setLong(7, v.getValue()[1]);
                        stats.addBatch();
                    }
                }
                totals.setString(1, k.scope());
                totals.setLong(2, k.day());
                totals.setString(3, k.trafficClass());
                for (int i = 0; i < 5; i++) {
                    totals.setLong(4 + i, day.totals[i]);
                }
                totals.addBatch();
            }
            stats.executeBatch();
            totals.executeBatch();
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
