package dev.linkpulse.clicks.rollups;

import dev.linkpulse.clicks.ClickFilter;

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

    RollupQueries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** True when the rollups hold the answer: no dimension filter, range bounds on UTC midnights. */
    static boolean covers(ClickFilter f) {
        return f.country().isEmpty() && f.city().isEmpty() && f.deviceType().isEmpty() && f.browser().isEmpty()
                && f.os().isEmpty() && f.referrerDomain().isEmpty() && f.source().isEmpty()
                && f.from().map(RollupQueries::isMidnight).orElse(true) && f.to().map(RollupQueries::isMidnight).orElse(true);
    }

    static boolean isMidnight(long epochMs) {
        return Math.floorMod(epochMs, Rollups.DAY_MS) == 0;
    }

    /** The scope, day range and class condition of a covered filter, for a table with a {@code day} column. */
    private record Where(String sql, ClickFilter f) {

        static Where days(ClickFilter f) {
            return new Where(common(f, "day", 1), f);
        }

        static Where hours(ClickFilter f) {
            return new Where(common(f, "hour", 24), f);
        }

        private static String common(ClickFilter f, String column, long perDay) {
            StringBuilder sql = new StringBuilder("scope_id = :scope");
            f.from().ifPresent(v -> sql.append(" AND ").append(column).append(" >= ").append(Math.floorDiv(v, Rollups.DAY_MS) * perDay));
            f.to().ifPresent(v -> sql.append(" AND ").append(column).append(" < ").append(Math.floorDiv(v, Rollups.DAY_MS) * perDay));
            f.traffic().ifPresent(t -> sql.append(" AND traffic_class = :cls"));
            return sql.toString();
        }

        Query bind(Query q) {
            q.bind("scope", f.linkId().orElse(f.workspaceId()));
            f.traffic().ifPresent(t -> q.bind("cls", t.label()));
            return q;
        }
    }

    ClickAggregates.Count count(ClickFilter f) {
        Where w = Where.days(f);
        return jdbi.withHandle(h -> w.bind(h.createQuery(
                        "SELECT COALESCE(SUM(clicks), 0), COALESCE(SUM(visitors), 0) FROM day_totals WHERE " + w.sql()))
                .map((rs, ctx) -> new ClickAggregates.Count(rs.getLong(1), rs.getLong(2))).one());
    }

    /** The first UTC day (days since the epoch) with a counted click, if any. */
    java.util.Optional<Long> firstDay(ClickFilter f) {
        Where w = Where.days(f);
        return jdbi.withHandle(h -> w.bind(h.createQuery("SELECT MIN(day) FROM day_totals WHERE clicks > 0 AND " + w.sql()))
                .map((rs, ctx) -> {
                    long v = rs.getLong(1);
                    return rs.wasNull() ? java.util.Optional.<Long>empty() : java.util.Optional.of(v);
                }).one());
    }

    ClickAggregates.Visitors visitors(ClickFilter f) {
        Where w = Where.days(f);
        return jdbi.withHandle(h -> w.bind(h.createQuery("SELECT COALESCE(SUM(visitors), 0), COALESCE(SUM(returning_visitors), 0), "
                        + "COALESCE(SUM(session_ms), 0) FROM day_totals WHERE " + w.sql()))
                .map((rs, ctx) -> new ClickAggregates.Visitors(rs.getLong(1), rs.getLong(2), rs.getLong(3) / 1000.0)).one());
    }

    ClickAggregates.Activity activity(ClickFilter f) {
        Where days = Where.days(f);
        Where hours = Where.hours(f);
        return jdbi.withHandle(h -> new ClickAggregates.Activity(
                days.bind(h.createQuery("SELECT COUNT(DISTINCT day) FROM day_totals WHERE clicks > 0 AND " + days.sql()))
                        .mapTo(Long.class).one(),
                hours.bind(h.createQuery("SELECT COUNT(DISTINCT hour) FROM hour_clicks WHERE clicks > 0 AND " + hours.sql()))
                        .mapTo(Long.class).one()));
    }

    /** Clicks of visitors with more than {@link ClickAggregates#SUSPICIOUS_CLICKS_PER_VISITOR} clicks in a day. */
    long suspicious(ClickFilter f) {
        Where w = Where.days(f);
        return jdbi.withHandle(h -> w.bind(h.createQuery("SELECT COALESCE(SUM(suspicious_clicks), 0) FROM day_totals WHERE " + w.sql()))
                .mapTo(Long.class).one());
    }

    /** True when {@link #groupBy} can group by these columns. */
    static boolean canGroupBy(List<String> columns) {
        return columns.equals(List.of("traffic_class")) || RollupDimension.forColumns(columns).isPresent();
    }

    /** Every group, most clicks first, ties by values (missing values last). */
    List<ClickAggregates.Group> groupBy(ClickFilter f, List<String> columns) {
        Where w = Where.days(f);
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
        return sorted(groups);
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
        Where w = Where.days(f);
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
        List<ClickAggregates.Count> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ClickAggregates.Count(clicks[i], uniques[i]));
        }
        return out;
    }
}
