package dev.linkpulse.clicks.rollups;

import dev.linkpulse.clicks.ClickFilter;
import dev.linkpulse.store.Dialect;
import dev.linkpulse.store.IdSet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Answers aggregate questions from the per-day rollups instead of the click log. Only questions
 * about whole UTC days without dimension filters qualify ({@link #covers}); the rest read raw rows.
 */
final class RollupQueries {

    private final Jdbi jdbi;
    private final Dialect dialect;

    RollupQueries(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    /**
     * True when the rollups hold the answer: no dimension filter, range bounds on UTC midnights, and
     * every trigger (the rollups count link clicks and QR scans together: trigger=link|qr reads raw rows).
     */
    static boolean covers(ClickFilter f) {
        return f.trigger() == dev.linkpulse.clicks.Trigger.ALL && f.country().isEmpty() && f.city().isEmpty() && f.deviceType().isEmpty() && f.browser().isEmpty()
                && f.os().isEmpty() && f.referrerDomain().isEmpty() && f.source().isEmpty()
                && f.from().map(RollupQueries::isMidnight).orElse(true) && f.to().map(RollupQueries::isMidnight).orElse(true);
    }

    static boolean isMidnight(long epochMs) {
        return Math.floorMod(epochMs, Rollups.DAY_MS) == 0;
    }

    /**
     * The scopes, day range and class condition of a covered filter, for a table with a {@code day}
     * column. A filter on a set of links (a campaign's or a tag's, issue 16) reads those links' own
     * rows, the set bound as one parameter whatever its size ({@link IdSet}); {@code multi} says so,
     * since summing several links' visitors would count a visitor who clicked two of them twice:
     * those counts come from the links' visitor rows instead.
     */
    private record Where(String sql, ClickFilter f, IdSet scopes, boolean multi) {

        static Where days(ClickFilter f, Dialect dialect) {
            return of(f, dialect, "day", 1);
        }

        static Where hours(ClickFilter f, Dialect dialect) {
            return of(f, dialect, "hour", 24);
        }

        private static Where of(ClickFilter f, Dialect dialect, String column, long perDay) {
            List<String> ids;
            if (f.linkIds().isEmpty()) {
                ids = List.of(f.linkId().orElse(f.workspaceId()));
            } else if (f.linkId().isPresent()) {
                ids = f.linkIds().get().contains(f.linkId().get()) ? List.of(f.linkId().get()) : List.of();
            } else {
                ids = f.linkIds().get();
            }
            IdSet scopes = new IdSet(dialect, "scopes", ids);
            // One scope (a workspace or a link, the common case) keeps its plain equality.
            StringBuilder sql = new StringBuilder(ids.size() == 1 ? "scope_id = :scope" : scopes.matches("scope_id"));
            f.from().ifPresent(v -> sql.append(" AND ").append(column).append(" >= ").append(Math.floorDiv(v, Rollups.DAY_MS) * perDay));
            f.to().ifPresent(v -> sql.append(" AND ").append(column).append(" < ").append(Math.floorDiv(v, Rollups.DAY_MS) * perDay));
            f.traffic().ifPresent(t -> sql.append(" AND traffic_class = :cls"));
            return new Where(sql.toString(), f, scopes, ids.size() > 1);
        }

        Query bind(Query q) {
            if (scopes.ids().size() == 1) {
                q.bind("scope", scopes.ids().get(0));
            } else {
                scopes.bind(q);
            }
            f.traffic().ifPresent(t -> q.bind("cls", t.label()));
            return q;
        }
    }

    ClickAggregates.Count count(ClickFilter f) {
        Where w = Where.days(f, dialect);
        ClickAggregates.Count sums = jdbi.withHandle(h -> w.bind(h.createQuery(
                        "SELECT COALESCE(SUM(clicks), 0), COALESCE(SUM(visitors), 0) FROM day_totals WHERE " + w.sql()))
                .map((rs, ctx) -> new ClickAggregates.Count(rs.getLong(1), rs.getLong(2))).one());
        if (!w.multi()) {
            return sums;
        }
        long visitors = jdbi.withHandle(h -> w.bind(h.createQuery(
                        "SELECT COUNT(*) FROM (SELECT DISTINCT day, traffic_class, visitor_hash FROM visitor_days WHERE " + w.sql() + ") v"))
                .mapTo(Long.class).one());
        return new ClickAggregates.Count(sums.clicks(), visitors);
    }

    /** A set of links' visitors, each once per day and class however many of the links it clicked. */
    private static final String VISITORS_OF_SET = """
            SELECT day, traffic_class, visitor_hash, SUM(clicks) AS n, MIN(first_at) AS first_at, MAX(last_at) AS last_at
            FROM visitor_days WHERE %s GROUP BY day, traffic_class, visitor_hash""";

    /** The first UTC day (days since the epoch) with a counted click, if any. */
    java.util.Optional<Long> firstDay(ClickFilter f) {
        Where w = Where.days(f, dialect);
        return jdbi.withHandle(h -> w.bind(h.createQuery("SELECT MIN(day) FROM day_totals WHERE clicks > 0 AND " + w.sql()))
                .map((rs, ctx) -> {
                    long v = rs.getLong(1);
                    return rs.wasNull() ? java.util.Optional.<Long>empty() : java.util.Optional.of(v);
                }).one());
    }

    ClickAggregates.Visitors visitors(ClickFilter f) {
        Where w = Where.days(f, dialect);
        if (w.multi()) {
            return jdbi.withHandle(h -> w.bind(h.createQuery("""
                            SELECT COUNT(*), COALESCE(SUM(CASE WHEN n > 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(last_at - first_at), 0)
                            FROM (%s) v""".formatted(VISITORS_OF_SET.formatted(w.sql()))))
                    .map((rs, ctx) -> new ClickAggregates.Visitors(rs.getLong(1), rs.getLong(2), rs.getLong(3) / 1000.0)).one());
        }
        return jdbi.withHandle(h -> w.bind(h.createQuery("SELECT COALESCE(SUM(visitors), 0), COALESCE(SUM(returning_visitors), 0), "
                        + "COALESCE(SUM(session_ms), 0) FROM day_totals WHERE " + w.sql()))
                .map((rs, ctx) -> new ClickAggregates.Visitors(rs.getLong(1), rs.getLong(2), rs.getLong(3) / 1000.0)).one());
    }

    ClickAggregates.Activity activity(ClickFilter f) {
        Where days = Where.days(f, dialect);
        Where hours = Where.hours(f, dialect);
        return jdbi.withHandle(h -> new ClickAggregates.Activity(
                days.bind(h.createQuery("SELECT COUNT(DISTINCT day) FROM day_totals WHERE clicks > 0 AND " + days.sql()))
                        .mapTo(Long.class).one(),
                hours.bind(h.createQuery("SELECT COUNT(DISTINCT hour) FROM hour_clicks WHERE clicks > 0 AND " + hours.sql()))
                        .mapTo(Long.class).one()));
    }

    /** Clicks of visitors with more than {@link ClickAggregates#SUSPICIOUS_CLICKS_PER_VISITOR} clicks in a day. */
    long suspicious(ClickFilter f) {
        Where w = Where.days(f, dialect);
        if (w.multi()) {
            return jdbi.withHandle(h -> w.bind(h.createQuery("SELECT COALESCE(SUM(n), 0) FROM (%s) v WHERE n > :threshold"
                            .formatted(VISITORS_OF_SET.formatted(w.sql()))))
                    .bind("threshold", ClickAggregates.SUSPICIOUS_CLICKS_PER_VISITOR)
                    .mapTo(Long.class).one());
        }
        return jdbi.withHandle(h -> w.bind(h.createQuery("SELECT COALESCE(SUM(suspicious_clicks), 0) FROM day_totals WHERE " + w.sql()))
                .mapTo(Long.class).one());
    }

    /** True when {@link #groupBy} can group by these columns. */
    static boolean canGroupBy(List<String> columns) {
        return columns.equals(List.of("traffic_class")) || RollupDimension.forColumns(columns).isPresent();
    }

    /** Every group, most clicks first, ties by values (missing values last). */
    List<ClickAggregates.Group> groupBy(ClickFilter f, List<String> columns) {
        Where w = Where.days(f, dialect);
        List<ClickAggregates.Group> groups;
        if (columns.equals(List.of("traffic_class"))) {
            groups = jdbi.withHandle(h -> w.bind(h.createQuery("SELECT traffic_class, SUM(clicks), SUM(visitors) FROM day_totals WHERE "
                            + w.sql() + " GROUP BY traffic_class HAVING SUM(clicks) > 0"))
                    .map((rs, ctx) -> new ClickAggregates.Group(List.of(rs.getString(1)), rs.getLong(2), rs.getLong(3)))
                    .list());
        } else {
            RollupDimension d = RollupDimension.forColumns(columns).orElseThrow();
            groups = jdbi.withHandle(h -> w.bind(h.createQuery("SELECT value, SUM(clicks), SUM(uniques) FROM day_stats WHERE dimension = :dim AND "
                            + w.sql() + " GROUP BY value HAVING SUM(clicks) > 0"))
                    .bind("dim", d.key)
                    .map((rs, ctx) -> new ClickAggregates.Group(d.decode(rs.getString(1)), rs.getLong(2), rs.getLong(3)))
                    .list());
        }
        if (w.multi()) {
            groups = withUniquesOfSet(w, columns, groups);
        }
        return sorted(groups);
    }

    /**
     * The groups with their unique visitors counted over a set of links: a visitor who clicked
     * several of the links with one value counts once for it, as in a workspace's own rollups. The
     * links' visitor rows list the values each visitor was seen with.
     */
    private List<ClickAggregates.Group> withUniquesOfSet(Where w, List<String> columns, List<ClickAggregates.Group> groups) {
        java.util.Map<List<String>, Long> uniques = new java.util.HashMap<>();
        if (columns.equals(List.of("traffic_class"))) {
            jdbi.useHandle(h -> w.bind(h.createQuery("SELECT traffic_class, COUNT(*) FROM (SELECT DISTINCT day, traffic_class, visitor_hash "
                            + "FROM visitor_days WHERE " + w.sql() + ") v GROUP BY traffic_class"))
                    .map((rs, ctx) -> java.util.Map.entry(List.of(rs.getString(1)), rs.getLong(2)))
                    .forEach(e -> uniques.put(e.getKey(), e.getValue())));
        } else {
            RollupDimension d = RollupDimension.forColumns(columns).orElseThrow();
            char code = Rollups.code(d);
            record Key(long day, String cls, String hash) {}
            java.util.Map<Key, java.util.Set<String>> seen = new java.util.HashMap<>();
            jdbi.useHandle(h -> w.bind(h.createQuery("SELECT day, traffic_class, visitor_hash, seen FROM visitor_days WHERE " + w.sql()))
                    .setFetchSize(1_000)
                    .map((rs, ctx) -> {
                        java.util.Set<String> values = seen.computeIfAbsent(
                                new Key(rs.getLong(1), rs.getString(2), rs.getString(3)), k -> new java.util.HashSet<>(2));
                        for (String v : Rollups.seenValues(rs.getString(4))) {
                            if (!v.isEmpty() && v.charAt(0) == code) {
                                values.add(v.substring(1));
                            }
                        }
                        return 0;
                    })
                    .forEach(x -> {}));
            for (java.util.Set<String> values : seen.values()) {
                for (String v : values) {
                    uniques.merge(d.decode(v), 1L, Long::sum);
                }
            }
        }
        List<ClickAggregates.Group> out = new ArrayList<>(groups.size());
        for (ClickAggregates.Group g : groups) {
            out.add(new ClickAggregates.Group(g.values(), g.clicks(), uniques.getOrDefault(g.values(), 0L)));
        }
        return out;
    }

    /** Most clicks first, ties by values (missing values last), as the raw query orders them. */
    static List<ClickAggregates.Group> sorted(List<ClickAggregates.Group> groups) {
        List<ClickAggregates.Group> sorted = new ArrayList<>(groups);
        sorted.sort(Comparator.comparingLong(ClickAggregates.Group::clicks).reversed().thenComparing(ClickAggregates.Group::values, RollupQueries::compareValues));
        return Collections.unmodifiableList(sorted);
    }

    private static int compareValues(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            String x = a.get(i);
            String y = b.get(i);
            int c = x == null ? (y == null ? 0 : 1) : y == null ? -1 : x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** True when every bucket boundary is a UTC midnight, so whole days fill the buckets. */
    static boolean coversBuckets(List<Long> boundaries) {
        return boundaries.stream().allMatch(RollupQueries::isMidnight);
    }

    /** Counts per bucket; {@code boundaries} as in {@link ClickAggregates#series}, all on UTC midnights. */
    List<ClickAggregates.Count> series(ClickFilter f, List<Long> boundaries) {
        long firstDay = Math.floorDiv(boundaries.get(0), Rollups.DAY_MS);
        long endDay = Math.floorDiv(boundaries.get(boundaries.size() - 1), Rollups.DAY_MS);
        Where w = Where.days(f, dialect);
        long[] dayBucketStart = boundaries.stream().mapToLong(b -> Math.floorDiv(b, Rollups.DAY_MS)).toArray();
        int n = boundaries.size() - 1;
        long[] clicks = new long[n];
        long[] uniques = new long[n];
        record Day(long day, long clicks, long visitors) {}
        jdbi.useHandle(h -> w.bind(h.createQuery("SELECT day, SUM(clicks), SUM(visitors) FROM day_totals WHERE " + w.sql()
                        + " AND day >= :firstDay AND day < :endDay GROUP BY day"))
                .bind("firstDay", firstDay).bind("endDay", endDay)
                .map((rs, ctx) -> new Day(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                .forEach(d -> {
                    int i = java.util.Arrays.binarySearch(dayBucketStart, d.day());
                    int bucket = i >= 0 ? i : -i - 2; // the bucket whose start is the last one not after the day
                    clicks[bucket] += d.clicks();
                    uniques[bucket] += d.visitors();
                }));
        if (w.multi()) {
            java.util.Arrays.fill(uniques, 0);
            jdbi.useHandle(h -> w.bind(h.createQuery("SELECT day, COUNT(*) FROM (SELECT DISTINCT day, traffic_class, visitor_hash "
                            + "FROM visitor_days WHERE " + w.sql() + " AND day >= :firstDay AND day < :endDay) v GROUP BY day"))
                    .bind("firstDay", firstDay).bind("endDay", endDay)
                    .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                    .forEach(d -> {
                        int i = java.util.Arrays.binarySearch(dayBucketStart, d[0]);
                        uniques[i >= 0 ? i : -i - 2] += d[1];
                    }));
        }
        List<ClickAggregates.Count> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ClickAggregates.Count(clicks[i], uniques[i]));
        }
        return out;
    }
}
