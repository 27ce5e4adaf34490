package dev.linkpulse.analytics;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Calendar buckets in a time zone: their boundaries as instants and their local labels. */
enum Buckets {
    MINUTE(ChronoUnit.MINUTES, "yyyy-MM-dd'T'HH:mm"),
    HOUR(ChronoUnit.HOURS, "yyyy-MM-dd'T'HH:00"),
    DAY(ChronoUnit.DAYS, "yyyy-MM-dd"),
    WEEK(ChronoUnit.WEEKS, "yyyy-MM-dd"),
    MONTH(ChronoUnit.MONTHS, "yyyy-MM");

    /** More buckets than this in one answer is a request for a narrower range or coarser interval. */
    static final int MAX_BUCKETS = 5_000;

    private final ChronoUnit unit;
    private final DateTimeFormatter label;

    Buckets(ChronoUnit unit, String labelPattern) {
        this.unit = unit;
        this.label = DateTimeFormatter.ofPattern(labelPattern, Locale.ROOT);
    }

    static Optional<Buckets> parse(String name) {
        for (Buckets b : values()) {
            if (b.name().toLowerCase(Locale.ROOT).equals(name)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** The start of the bucket holding {@code at}, in the zone (weeks start on Monday). */
    ZonedDateTime floor(Instant at, ZoneId zone) {
        ZonedDateTime t = at.atZone(zone);
        LocalDateTime local = switch (this) {
            case MINUTE -> t.toLocalDateTime().truncatedTo(ChronoUnit.MINUTES);
            case HOUR -> t.toLocalDateTime().truncatedTo(ChronoUnit.HOURS);
            case DAY -> t.toLocalDate().atStartOfDay();
            case WEEK -> t.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay();
            case MONTH -> t.toLocalDate().withDayOfMonth(1).atStartOfDay();
        };
        // atStartOfDay may fall in a DST gap; ofLocal moves it to the first valid instant.
        return ZonedDateTime.ofLocal(local, zone, null);
    }

    /** The next bucket's start after {@code start}. */
    ZonedDateTime next(ZonedDateTime start) {
        ZonedDateTime next = this == MINUTE || this == HOUR
                ? start.plus(1, unit) // exact duration: DST does not repeat or skip a real hour
                : ZonedDateTime.ofLocal(start.toLocalDateTime().plus(1, unit), start.getZone(), null);
        return next;
    }

    /**
     * Boundaries covering [from, to): the first bucket's start, each following start, and the end
     * of the bucket holding {@code to - 1}. Empty when there would be more than {@link #MAX_BUCKETS}.
     */
    Optional<List<ZonedDateTime>> boundaries(long from, long to, ZoneId zone) {
        List<ZonedDateTime> out = new ArrayList<>();
        ZonedDateTime b = floor(Instant.ofEpochMilli(from), zone);
        out.add(b);
        while (b.toInstant().toEpochMilli() < to) {
            b = next(b);
            out.add(b);
            if (out.size() > MAX_BUCKETS + 1) {
                return Optional.empty();
            }
        }
        return Optional.of(out);
    }

    String label(ZonedDateTime start) {
        return label.format(start);
    }
}
