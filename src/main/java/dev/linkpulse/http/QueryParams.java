package dev.linkpulse.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/** Typed reads of query parameters; anything malformed is a 400 naming the parameter. */
public final class QueryParams {

    private QueryParams() {}

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

    /** An integer within [min, max]; {@code fallback} when absent. */
    public static long integer(Context ctx, String name, long fallback, long min, long max) {
        String raw = single(ctx, name);
        if (raw == null) {
            return fallback;
        }
        long value;
        try {
            if (raw.isEmpty() || raw.length() > 19 || raw.startsWith("+")) {
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

    private static Map<String, Object> range(long min, long max) {
        return max == Long.MAX_VALUE ? Map.of("min", min) : Map.of("min", min, "max", max);
    }
}
