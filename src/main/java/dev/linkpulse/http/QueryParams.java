package dev.linkpulse.http;

import io.javalin.http.Context;
import java.util.List;
import dev.linkpulse.common.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Typed reads of query parameters; anything malformed is a 400 naming the parameter. */
public final class QueryParams {

    private QueryParams() {}

    private static final java.util.regex.Pattern ASCII_INTEGER = java.util.regex.Pattern.compile("-?[0-9]{1,19}");

    /** The parameter's single value, or null when absent; given twice is an error. */
    public static String single(Context ctx, String name) {
        List<String> values = ctx.queryParams(name);
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.validation(name, name + " must be given at most once");
        }
        return values.get(0);
    }

    /**
     * A parameter jmpy spells two ways ({@code sort} / {@code sortBy}, spec §6.1): the value of
     * whichever is given, or null; both given with different values is a 400 naming the first.
     */
    public static String single(Context ctx, String name, String alias) {
        String a = single(ctx, name);
        String b = single(ctx, alias);
        if (a != null && b != null && !a.equals(b)) {
            throw ApiException.validation(name, name + " and " + alias + " disagree");
        }
        return a != null ? a : b;
    }

    /** An integer within [min, max]; {@code fallback} when absent. */
    public static long integer(Context ctx, String name, long fallback, long min, long max) {
        String raw = single(ctx, name);
        return raw == null ? fallback : parseInteger(name, raw, min, max);
    }

    /** A parameter's text as an integer within [min, max]; a 400 naming the parameter otherwise. */
    public static long parseInteger(String name, String raw, long min, long max) {
        long value;
        try {
            // ASCII digits only: Long.parseLong also reads other scripts' digits ("-۰" is 0).
            if (!ASCII_INTEGER.matcher(raw).matches()) {
                throw new NumberFormatException();
            }
            value = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.validation(name, name + " must be an integer", range(min, max));
        }
        if (value < min || value > max) {
            throw ApiException.validation(name, name + " must be between " + min + " and " + max, range(min, max));
        }
        return value;
    }

    /**
     * A date parameter that may be spelled two ways ({@code startDate} / {@code start_date}):
     * a date ({@code 2024-01-15}, 00:00Z) or a timestamp with offset, in epoch ms. As an end a bare
     * date means the whole day, so the bound returned is exclusive: the next midnight (or the
     * timestamp plus one millisecond).
     */
    public static Optional<Long> date(Context ctx, String name, String otherSpelling, boolean end) {
        String a = single(ctx, name);
        String b = single(ctx, otherSpelling);
        if (a != null && b != null && !a.equals(b)) {
            throw ApiException.validation(name, name + " and " + otherSpelling + " disagree");
        }
        String raw = a != null ? a : b;
        if (raw == null || raw.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parseDate(a != null ? name : otherSpelling, raw, end));
    }

    /** A date or timestamp parameter's text in epoch ms (an end bound exclusive, see {@link #date}); a 400 otherwise. */
    public static long parseDate(String field, String raw, boolean end) {
        Instant at = Timestamps.parse(raw).orElseThrow(() -> ApiException.validation(field,
                field + " must be " + Timestamps.EXPECTED));
        if (!end) {
            return at.toEpochMilli();
        }
        return (raw.length() == 10 ? at.plus(Duration.ofDays(1)) : at.plusMillis(1)).toEpochMilli();
    }

    private static Map<String, Object> range(long min, long max) {
        return max == Long.MAX_VALUE ? Map.of("min", min) : Map.of("min", min, "max", max);
    }
}
