package dev.linkpulse.clicks.rollups;

import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.log.FilterSql;

import dev.linkpulse.clicks.ClickFilter;
import dev.linkpulse.store.Dialect;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Aggregate questions over the click log: counts, distinct visitors, groupings, time buckets.
 * Unique clicks are distinct visitor hashes; since the hash's salt changes every UTC day, a
 * visitor counts once per day at most. Questions about whole UTC days without dimension filters
 * are answered from the per-day rollups; the rest read the raw rows of their range.
 */
public final class ClickAggregates {

    /** Columns a breakdown may group by, by API name. */
    public static final Map<String, String> DIMENSIONS = Map.ofEntries(
            Map.entry("country", "country"), Map.entry("region", "region"), Map.entry("city", "city"),
            Map.entry("device_type", "device_type"), Map.entry("browser", "browser"), Map.entry("os", "os"),
            Map.entry("referrer", "referrer"), Map.entry("referrer_domain", "referrer_domain"),
            Map.entry("source", "source"), Map.entry("utm_source", "utm_source"), Map.entry("utm_medium", "utm_medium"),
            Map.entry("utm_campaign", "utm_campaign"), Map.entry("utm_term", "utm_term"), Map.entry("utm_content", "utm_content"),
            Map.entry("traffic_class", "traffic_class"), Map.entry("qr_code_id", "qr_code_id"));

    /** Clicks and distinct visitors of one group. */
    public record Count(long clicks, long uniques) {}

    /** One row of a grouping: its values (in the order asked) and its counts. */
    public record Group(List<String> values, long clicks, long uniques) {}

    /**
     * How long a question waits for the rollups to count the clicks stored before it; past that
     * (the rollup step far behind, or failing) it reads raw rows, slower but just as exact.
     */
    private static final java.time.Duration ROLLUP_WAIT = java.time.Duration.ofSeconds(2);

    /**
     * After a wait for the rollups timed out, questions read raw rows without waiting for this long,
     * so a request asking several of them waits once, not once per question.
     */
    private static final long BEHIND_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    /** Waits up to the given time for the rollups to count every click stored so far; true when they do. */
    @FunctionalInterface
    public interface RollupFreshness {
        boolean awaitCaughtUp(java.time.Duration within);
    }

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final RollupQueries rollups;
    private final RollupFreshness freshness;
    private volatile long readRawUntil = System.nanoTime();

    public ClickAggregates(Jdbi jdbi, Dialect dialect, RollupFreshness freshness) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.rollups = new RollupQueries(jdbi, dialect);
        this.freshness = freshness;
    }

    /** True when the rollups count every click stored before this question (waiting for them briefly). */
    private boolean rollupsCurrent() {
        if (System.nanoTime() - readRawUntil < 0) {
            return false;
        }
        if (freshness.awaitCaughtUp(ROLLUP_WAIT)) {
            return true;
        }
        readRawUntil = System.nanoTime() + BEHIND_NANOS;
        return false;
    }

    /**
     * The split of a filter between rollups and raw rows, when the rollups cover it. While they are
     * behind, only the whole days before the first click they do not count yet come from them: those
     * days are complete there (and still count what retention deleted), the later days are read raw.
     */
    private Optional<RangeSplit> split(ClickFilter f) {
        Optional<RangeSplit> split = RangeSplit.of(f);
        if (split.isEmpty() || rollupsCurrent()) {
            return split;
        }
        OptionalLong cut = completeBefore();
        if (cut.isEmpty()) {
            return Optional.empty();
        }
        return split.get().countedBefore(f, cut.getAsLong());
    }

    /** Clicks after the watermark looked at for the earliest one; with more waiting, everything is read raw. */
    static final int TAIL_SCANNED = 200_000;

    /** How long the earliest uncounted day is reused: the questions of one request share it. */
    private static final long CUT_REUSE_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(250);

    private record Cut(long computedAt, OptionalLong midnight) {}

    private volatile Cut cut = new Cut(System.nanoTime() - CUT_REUSE_NANOS, OptionalLong.empty());

    /**
     * The UTC midnight before which the rollups count every stored click: the start of the day of
     * the earliest click after the watermark (late clicks included). Empty when more than
     * {@link #TAIL_SCANNED} clicks wait: then it is not worth finding.
     */
    private OptionalLong completeBefore() {
        Cut c = cut;
        if (System.nanoTime() - c.computedAt() < CUT_REUSE_NANOS) {
            return c.midnight();
        }
        OptionalLong midnight = jdbi.withHandle(h -> h.createQuery("""
                        SELECT MIN(clicked_at), COUNT(*) FROM (SELECT clicked_at FROM clicks
                        WHERE seq > (SELECT watermark FROM rollup_watermark WHERE id = 1) ORDER BY seq LIMIT :n) t""")
                .bind("n", TAIL_SCANNED + 1)
                .map((rs, ctx) -> {
                    long first = rs.getLong(1);
                    if (rs.wasNull()) {
                        return OptionalLong.of(Long.MAX_VALUE); // caught up meanwhile: every day is complete
                    }
                    return rs.getLong(2) > TAIL_SCANNED ? OptionalLong.empty() : OptionalLong.of(Math.floorDiv(first, Rollups.DAY_MS) * Rollups.DAY_MS);
                }).one());
        cut = new Cut(System.nanoTime(), midnight);
        return midnight;
    }

    public Count count(ClickFilter f) {
        Optional<RangeSplit> split = split(f);
        if (split.isPresent()) {
            RangeSplit s = split.get();
            Count days = rollups.count(s.days());
            long clicks = days.clicks();
            long uniques = days.uniques();
            for (ClickFilter edge : s.edges()) {
                Count c = count(edge);
                clicks += c.clicks();
                uniques += c.uniques();
            }
            return new Count(clicks, uniques);
        }
        FilterSql w = FilterSql.of(f, dialect);
        return jdbi.withHandle(h -> w.bind(h.createQuery(
                        "SELECT COUNT(*) AS clicks, COUNT(DISTINCT visitor_hash) AS uniques FROM clicks c WHERE " + w.sql()))
                .map((rs, ctx) -> new Count(rs.getLong("clicks"), rs.getLong("uniques"))).one());
    }

    /**
     * Distinct visitors, those with two or more clicks, and the seconds between each visitor's
     * first and last click summed over them. Sums, so parts of a range add up exactly.
     */
    public record Visitors(long visitors, long returning, double sessionSeconds) {
        Visitors plus(Visitors o) {
            return new Visitors(visitors + o.visitors, returning + o.returning, sessionSeconds + o.sessionSeconds);
        }

        public double averageSessionSeconds() {
            return visitors == 0 ? 0 : sessionSeconds / visitors;
        }
    }

    public Visitors visitors(ClickFilter f) {
        Optional<RangeSplit> split = split(f);
        if (split.isPresent()) {
            // Each part's visitors are its own (a visitor lives one UTC day), so the sums add.
            Visitors all = rollups.visitors(split.get().days());
            for (ClickFilter edge : split.get().edges()) {
                all = all.plus(visitors(edge));
            }
            return all;
        }
        FilterSql w = FilterSql.of(f, dialect);
        return jdbi.withHandle(h -> w.bind(h.createQuery("""
                        SELECT COUNT(*) AS visitors, COALESCE(SUM(CASE WHEN n > 1 THEN 1 ELSE 0 END), 0) AS returning_visitors,
                               COALESCE(SUM((last_at - first_at) / 1000.0), 0) AS session_seconds
                        FROM (SELECT visitor_hash, COUNT(*) AS n, MIN(clicked_at) AS first_at, MAX(clicked_at) AS last_at
                              FROM clicks c WHERE %s GROUP BY visitor_hash) v""".formatted(w.sql())))
                .map((rs, ctx) -> new Visitors(rs.getLong("visitors"), rs.getLong("returning_visitors"), rs.getDouble("session_seconds")))
                .one());
    }

    /**
     * When the first matching click happened. FilterSql the rollups cover the filter, a day they count
     * before the first raw row (retention deleted its rows) starts it: the UTC midnight of that day,
     * so a series from here holds every click the totals count.
     */
    public Optional<Long> earliest(ClickFilter f) {
        FilterSql w = FilterSql.of(f, dialect);
        Optional<Long> raw = jdbi.withHandle(h -> w.bind(h.createQuery("SELECT MIN(clicked_at) FROM clicks c WHERE " + w.sql()))
                .map((rs, ctx) -> {
                    long v = rs.getLong(1);
                    return rs.wasNull() ? Optional.<Long>empty() : Optional.of(v);
                }).one());
        if (!RollupQueries.covers(f)) {
            return raw;
        }
        Optional<Long> firstDay = rollups.firstDay(f).map(day -> day * Rollups.DAY_MS);
        if (firstDay.isPresent() && (raw.isEmpty() || firstDay.get() < Math.floorDiv(raw.get(), Rollups.DAY_MS) * Rollups.DAY_MS)) {
            return firstDay;
        }
        return raw;
    }

    /** A human visitor with more clicks than this in a day looks automated (traffic quality). */
    public static final int SUSPICIOUS_CLICKS_PER_VISITOR = 10;

    /** Clicks of visitors who clicked more than {@link #SUSPICIOUS_CLICKS_PER_VISITOR} times within the filter. */
    public long suspicious(ClickFilter f) {
        Optional<RangeSplit> split = split(f);
        if (split.isPresent()) {
            long n = rollups.suspicious(split.get().days());
            for (ClickFilter edge : split.get().edges()) {
                n += suspicious(edge);
            }
            return n;
        }
        FilterSql w = FilterSql.of(f, dialect);
        return jdbi.withHandle(h -> w.bind(h.createQuery("""
                        SELECT COALESCE(SUM(n), 0) FROM (SELECT COUNT(*) AS n FROM clicks c WHERE %s
                        GROUP BY visitor_hash HAVING COUNT(*) > :threshold) v""".formatted(w.sql())))
                .bind("threshold", SUSPICIOUS_CLICKS_PER_VISITOR)
                .mapTo(Long.class).one());
    }

    /** Distinct UTC days and hours with at least one click. */
    public record Activity(long days, long hours) {}

    public Activity activity(ClickFilter f) {
        Optional<RangeSplit> split = split(f);
        if (split.isPresent()) {
            Activity days = rollups.activity(split.get().days());
            long d = days.days();
            long hours = days.hours();
            for (ClickFilter edge : split.get().edges()) {
                Activity a = activity(edge);
                d += a.days();
                hours += a.hours();
            }
            return new Activity(d, hours);
        }
        FilterSql w = FilterSql.of(f, dialect);
        return jdbi.withHandle(h -> w.bind(h.createQuery("""
                        SELECT COUNT(DISTINCT clicked_at / 86400000) AS days, COUNT(DISTINCT clicked_at / 3600000) AS hours
                        FROM clicks c WHERE %s""".formatted(w.sql())))
                .map((rs, ctx) -> new Activity(rs.getLong("days"), rs.getLong("hours"))).one());
    }

    /** Groups by the given columns (keys of {@link #DIMENSIONS}), most clicks first, ties by values. */
    public List<Group> groupBy(ClickFilter f, List<String> dimensions, int limit) {
        List<String> columns = dimensions.stream().map(d -> {
            String c = DIMENSIONS.get(d);
            if (c == null) {
                throw new IllegalArgumentException("not a dimension: " + d);
            }
            return c;
        }).toList();
        Optional<RangeSplit> split = RollupQueries.canGroupBy(dimensions) ? split(f) : Optional.empty();
        if (split.isPresent()) {
            List<Group> all = allGroups(split.get(), dimensions);
            return all.subList(0, Math.min(limit, all.size()));
        }
        String cols = String.join(", ", columns);
        FilterSql w = FilterSql.of(f, dialect);
        String order = String.join(", ", columns.stream().map(c -> "(" + c + " IS NULL), " + c).toList());
        return jdbi.withHandle(h -> w.bind(h.createQuery("""
                        SELECT %s, COUNT(*) AS clicks, COUNT(DISTINCT visitor_hash) AS uniques
                        FROM clicks c WHERE %s GROUP BY %s ORDER BY clicks DESC, %s LIMIT :limit"""
                        .formatted(cols, w.sql(), cols, order)))
                .bind("limit", limit)
                .map((rs, ctx) -> {
                    List<String> values = new ArrayList<>(columns.size());
                    for (String c : columns) {
                        values.add(rs.getString(c));
                    }
                    return new Group(values, rs.getLong("clicks"), rs.getLong("uniques"));
                }).list());
    }

    /** Every group of the whole days (rollups) and the partial days at the edges (raw rows), merged. */
    private List<Group> allGroups(RangeSplit split, List<String> dimensions) {
        List<Group> days = rollups.groupBy(split.days(), dimensions);
        if (split.edges().isEmpty()) {
            return days;
        }
        Map<List<String>, long[]> merged = new java.util.LinkedHashMap<>();
        java.util.function.Consumer<Group> add = g -> {
            long[] n = merged.computeIfAbsent(g.values(), k -> new long[2]);
            n[0] += g.clicks();
            n[1] += g.uniques(); // the parts hold different UTC days, so different visitors
        };
        days.forEach(add);
        for (ClickFilter edge : split.edges()) {
            groupBy(edge, dimensions, Integer.MAX_VALUE).forEach(add);
        }
        List<Group> out = new ArrayList<>(merged.size());
        merged.forEach((values, n) -> out.add(new Group(values, n[0], n[1])));
        return RollupQueries.sorted(out);
    }

    /**
     * A filter's range cut at UTC midnights: the whole days in the middle come from the rollups,
     * the partial days at either edge from raw rows. Only for filters without dimension filters
     * whose range holds at least one whole day.
     */
    record RangeSplit(ClickFilter days, List<ClickFilter> edges) {

        static Optional<RangeSplit> of(ClickFilter f) {
            ClickFilter unbounded = f.withRange(Optional.empty(), Optional.empty());
            if (!RollupQueries.covers(unbounded)) {
                return Optional.empty();
            }
            Optional<Long> firstMidnight = f.from().map(v -> Math.floorDiv(v + Rollups.DAY_MS - 1, Rollups.DAY_MS) * Rollups.DAY_MS);
            Optional<Long> lastMidnight = f.to().map(v -> Math.floorDiv(v, Rollups.DAY_MS) * Rollups.DAY_MS);
            if (firstMidnight.isPresent() && lastMidnight.isPresent() && firstMidnight.get() >= lastMidnight.get()) {
                return Optional.empty(); // no whole day inside: the raw rows are few anyway
            }
            List<ClickFilter> edges = new ArrayList<>(2);
            if (f.from().isPresent() && !f.from().equals(firstMidnight)) {
                edges.add(f.withRange(f.from(), firstMidnight));
            }
            if (f.to().isPresent() && !f.to().equals(lastMidnight)) {
                edges.add(f.withRange(lastMidnight, f.to()));
            }
            return Optional.of(new RangeSplit(f.withRange(firstMidnight, lastMidnight), edges));
        }

        /**
         * This split with the rollups' part ending at {@code cut} (a UTC midnight) and everything of
         * {@code f} from there on read raw; empty when no whole day lies before the cut.
         */
        Optional<RangeSplit> countedBefore(ClickFilter f, long cut) {
            if (days.from().map(v -> cut <= v).orElse(false)) {
                return Optional.empty();
            }
            if (days.to().map(v -> cut >= v).orElse(cut == Long.MAX_VALUE)) {
                return Optional.of(this);
            }
            List<ClickFilter> raw = new ArrayList<>(2);
            for (ClickFilter edge : edges) {
                if (edge.to().isPresent() && edge.to().get() <= cut) {
                    raw.add(edge); // the partial day before the whole days
                }
            }
            raw.add(f.withRange(Optional.of(cut), f.to()));
            return Optional.of(new RangeSplit(days.withRange(days.from(), Optional.of(cut)), raw));
        }
    }

    /** How many groups {@link #groupBy} would return without a limit. */
    public long countGroups(ClickFilter f, List<String> dimensions) {
        Optional<RangeSplit> split = RollupQueries.canGroupBy(dimensions) ? split(f) : Optional.empty();
        if (split.isPresent()) {
            return allGroups(split.get(), dimensions).size();
        }
        String cols = String.join(", ", dimensions.stream().map(DIMENSIONS::get).toList());
        FilterSql w = FilterSql.of(f, dialect);
        return jdbi.withHandle(h -> w.bind(h.createQuery(
                        "SELECT COUNT(*) FROM (SELECT 1 FROM clicks c WHERE %s GROUP BY %s) g".formatted(w.sql(), cols)))
                .mapTo(Long.class).one());
    }

    /**
     * Counts per time bucket; {@code boundaries} are the buckets' starts followed by the last
     * bucket's end (n + 1 values for n buckets). Empty buckets count zero.
     */
    public List<Count> series(ClickFilter f, List<Long> boundaries) {
        if (boundaries.size() < 2) {
            return List.of();
        }
        if (RollupQueries.covers(f) && RollupQueries.coversBuckets(boundaries) && rollupsCurrent()) {
            return rollups.series(f, boundaries);
        }
        if (RollupQueries.coversBuckets(boundaries)) {
            // A range that starts or ends inside a day: its whole days from the rollups (they still
            // count what retention deleted), the partial days at its edges from raw rows, bucket by bucket.
            Optional<RangeSplit> split = split(f);
            if (split.isPresent()) {
                List<Count> days = rollups.series(split.get().days(), boundaries);
                long[] clicks = days.stream().mapToLong(Count::clicks).toArray();
                long[] uniques = days.stream().mapToLong(Count::uniques).toArray();
                for (ClickFilter edge : split.get().edges()) {
                    List<Count> e = series(edge, boundaries);
                    for (int i = 0; i < e.size(); i++) {
                        clicks[i] += e.get(i).clicks();
                        uniques[i] += e.get(i).uniques(); // another UTC day, so other visitors
                    }
                }
                List<Count> out = new ArrayList<>(clicks.length);
                for (int i = 0; i < clicks.length; i++) {
                    out.add(new Count(clicks[i], uniques[i]));
                }
                return out;
            }
        }
        FilterSql w = FilterSql.of(f, dialect);
        StringBuilder values = new StringBuilder();
        for (int i = 0; i + 1 < boundaries.size(); i++) {
            values.append(i == 0 ? "" : ", ").append("(").append(i).append(", :b").append(i).append(", :b").append(i + 1).append(")");
        }
        return jdbi.withHandle(h -> {
            Query q = w.bind(h.createQuery("""
                    WITH buckets (n, starts, ends) AS (VALUES %s)
                    SELECT b.n, COUNT(c.id) AS clicks, COUNT(DISTINCT c.visitor_hash) AS uniques
                    FROM buckets b LEFT JOIN clicks c ON c.clicked_at >= b.starts AND c.clicked_at < b.ends AND %s
                    GROUP BY b.n ORDER BY b.n""".formatted(values, w.sql())));
            for (int i = 0; i < boundaries.size(); i++) {
                q.bind("b" + i, boundaries.get(i).longValue());
            }
            return q.map((rs, ctx) -> new Count(rs.getLong("clicks"), rs.getLong("uniques"))).list();
        });
    }

    /** Local clock positions: hour of day (0–23) or day of week (0 = Sunday … 6 = Saturday). */
    public enum LocalUnit { HOUR_OF_DAY, DAY_OF_WEEK }

    /**
     * Groups by hour of day or day of week in a time zone, exactly: the zone's offset at each
     * click comes from its transitions within the filter's range.
     */
    public List<Group> byLocalTime(ClickFilter f, LocalUnit unit, ZoneId zone, long rangeFrom, long rangeTo) {
        String local = "(c.clicked_at + " + offsetExpression(zone, rangeFrom, rangeTo) + ")";
        String key = unit == LocalUnit.HOUR_OF_DAY
                ? "((" + local + " / 3600000) % 24)"
                : "(((" + local + " / 86400000) + 4) % 7)";
        FilterSql w = FilterSql.of(f, dialect);
        return jdbi.withHandle(h -> w.bind(h.createQuery("""
                        SELECT %s AS k, COUNT(*) AS clicks, COUNT(DISTINCT visitor_hash) AS uniques
                        FROM clicks c WHERE %s GROUP BY k ORDER BY clicks DESC, k""".formatted(key, w.sql())))
                .map((rs, ctx) -> new Group(List.of(Long.toString(rs.getLong("k"))), rs.getLong("clicks"), rs.getLong("uniques")))
                .list());
    }

    /** A SQL expression for the zone's offset in ms at {@code c.clicked_at} (times before 1970 are not a concern). */
    static String offsetExpression(ZoneId zone, long from, long to) {
        ZoneRules rules = zone.getRules();
        if (rules.isFixedOffset()) {
            return Long.toString(rules.getOffset(Instant.EPOCH).getTotalSeconds() * 1000L);
        }
        StringBuilder sql = new StringBuilder();
        Instant at = Instant.ofEpochMilli(Math.max(0, from));
        Instant end = Instant.ofEpochMilli(Math.max(0, to));
        ZoneOffsetTransition next = rules.nextTransition(at.minusMillis(1));
        long offset = rules.getOffset(at).getTotalSeconds() * 1000L;
        while (next != null && !next.getInstant().isAfter(end)) {
            sql.append(" WHEN c.clicked_at < ").append(next.getInstant().toEpochMilli()).append(" THEN ").append(offset);
            offset = next.getOffsetAfter().getTotalSeconds() * 1000L;
            next = rules.nextTransition(next.getInstant());
        }
        if (sql.isEmpty()) {
            return Long.toString(offset); // no transition within the range
        }
        return "CASE" + sql + " ELSE " + offset + " END";
    }
}
