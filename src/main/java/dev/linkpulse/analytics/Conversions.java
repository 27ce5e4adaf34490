package dev.linkpulse.analytics;

import dev.linkpulse.clicks.ClickFilter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Conversions (issue 17) as the analytics show them. A conversion counts with its click: a filter's
 * conversions are those of the clicks it selects, in the clicks' period, so that the rate is "of these
 * clicks, this share converted" (a click with a lead and a sale converted once). The table belongs to
 * smartlinks, which implements this.
 */
public interface Conversions {

    record Revenue(String currency, BigDecimal amount) {}

    record Summary(long total, long leads, long signups, long sales, List<Revenue> revenue, long convertedClicks) {

        /** The analytics block: counts per event, revenue per currency, and the share of {@code clicks} that converted. */
        public Map<String, Object> view(long clicks) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("total", total);
            m.put("leads", leads);
            m.put("signups", signups);
            m.put("sales", sales);
            m.put("revenue", revenue.stream().map(r -> Map.of("currency", r.currency(), "amount", r.amount())).toList());
            m.put("converted_clicks", convertedClicks);
            m.put("conversion_rate", clicks == 0 ? 0.0
                    : BigDecimal.valueOf(convertedClicks * 100).divide(BigDecimal.valueOf(clicks), 2, RoundingMode.HALF_UP)
                            .doubleValue());
            return m;
        }
    }

    /** The conversions of the clicks {@code f} selects. */
    Summary of(ClickFilter f);

    /** The conversions of each of these clicks of the workspace, oldest first; clicks without any are absent. */
    Map<String, List<Map<String, Object>>> ofClicks(String workspaceId, Collection<String> clickIds);

}
