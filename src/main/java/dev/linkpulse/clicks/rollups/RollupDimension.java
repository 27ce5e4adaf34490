package dev.linkpulse.clicks.rollups;

import dev.linkpulse.clicks.Click;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The values the per-day rollups count clicks and visitors by. Most are one column of the click
 * log; {@code location} and {@code referrer_source} combine the columns that the geographic and
 * referrer answers group by together. In the rollup tables a missing value is stored as ''.
 */
enum RollupDimension {
    COUNTRY("country", Click::country),
    REGION("region", Click::region),
    CITY("city", Click::city),
    DEVICE_TYPE("device_type", Click::deviceType),
    BROWSER("browser", Click::browser),
    OS("os", Click::os),
    REFERRER("referrer", Click::referrer),
    REFERRER_DOMAIN("referrer_domain", Click::referrerDomain),
    SOURCE("source", Click::source),
    UTM_SOURCE("utm_source", c -> c.utm().source()),
    UTM_MEDIUM("utm_medium", c -> c.utm().medium()),
    UTM_CAMPAIGN("utm_campaign", c -> c.utm().campaign()),
    LOCATION("country,region,city", Click::country, Click::region, Click::city),
    REFERRER_SOURCE("referrer_domain,source", Click::referrerDomain, Click::source),
    // Last, not beside UTM_CAMPAIGN: a dimension's code in visitor_days.seen is its ordinal, so
    // an insertion would renumber what stored rows mean. Migration V3_2 counts earlier clicks in.
    UTM_TERM("utm_term", c -> c.utm().term()),
    UTM_CONTENT("utm_content", c -> c.utm().content());

    /** Separates the parts of a combined value; no header, URL or place name holds it. */
    private static final char PART = '\u001f';

    private static final Map<List<String>, RollupDimension> BY_COLUMNS = Arrays.stream(values())
            .collect(Collectors.toMap(RollupDimension::columns, Function.identity()));

    /** The name stored in {@code day_stats.dimension}: the columns it groups by, comma-separated. */
    final String key;
    private final List<Function<Click, String>> parts;

    @SafeVarargs
    RollupDimension(String key, Function<Click, String>... parts) {
        this.key = key;
        this.parts = List.of(parts);
    }

    List<String> columns() {
        return List.of(key.split(","));
    }

    /** The dimension stored under this {@link #key} in {@code day_stats.dimension}. */
    static RollupDimension byKey(String key) {
        return forColumns(List.of(key.split(","))).orElseThrow(() -> new IllegalArgumentException("no rollup dimension " + key));
    }

    /** The dimension that groups by exactly these columns, if the rollups keep one. */
    static Optional<RollupDimension> forColumns(List<String> columns) {
        return Optional.ofNullable(BY_COLUMNS.get(columns));
    }

    /** The click's value in the form stored ('' for none). */
    String valueOf(Click c) {
        // Per click counted: one concatenation of the parts makes the value in one exact-sized array.
        return switch (parts.size()) {
            case 1 -> part(0, c);
            case 2 -> part(0, c) + PART + part(1, c);
            case 3 -> part(0, c) + PART + part(1, c) + PART + part(2, c);
            default -> {
                StringBuilder sb = new StringBuilder(part(0, c));
                for (int i = 1; i < parts.size(); i++) {
                    sb.append(PART).append(part(i, c));
                }
                yield sb.toString();
            }
        };
    }

    private String part(int i, Click c) {
        String v = parts.get(i).apply(c);
        return v == null ? "" : v;
    }

    /** A stored value back as one entry per column, null for none. */
    List<String> decode(String stored) {
        List<String> out = new ArrayList<>(parts.size());
        for (String v : parts.size() == 1 ? new String[] {stored} : stored.split(String.valueOf(PART), -1)) {
            out.add(v.isEmpty() ? null : v);
        }
        return out;
    }
}
