package dev.linkpulse.clicks.log;

import dev.linkpulse.clicks.ClickFilter;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.store.Dialect;
import dev.linkpulse.store.IdSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.Query;

/**
 * The SQL condition of a {@link ClickFilter} over the click log (table alias {@code c}), and the values
 * it binds. A set of links (a campaign's or a tag's) is one parameter however many links it holds.
 */
public record FilterSql(String sql, List<Map.Entry<String, Object>> binds, Optional<IdSet> links) {

    public static FilterSql of(ClickFilter f, Dialect dialect) {
        List<String> parts = new ArrayList<>();
        List<Map.Entry<String, Object>> binds = new ArrayList<>();
        if (f.linkId().isPresent()) {
            parts.add("c.link_id = :f_link");
            binds.add(Map.entry("f_link", f.linkId().get()));
        } else {
            parts.add("c.workspace_id = :f_ws");
            binds.add(Map.entry("f_ws", f.workspaceId()));
        }
        // A campaign's or a tag's links (issue 16), always within the workspace.
        Optional<IdSet> links = f.linkIds().map(ids -> new IdSet(dialect, "f_links", ids));
        links.ifPresent(set -> parts.add(set.matches("c.link_id")));
        f.from().ifPresent(v -> {
            parts.add("c.clicked_at >= :f_from");
            binds.add(Map.entry("f_from", v));
        });
        f.to().ifPresent(v -> {
            parts.add("c.clicked_at < :f_to");
            binds.add(Map.entry("f_to", v));
        });
        equal(parts, binds, "country", f.country());
        equal(parts, binds, "city", f.city());
        equal(parts, binds, "device_type", f.deviceType());
        equal(parts, binds, "browser", f.browser());
        equal(parts, binds, "os", f.os());
        equal(parts, binds, "referrer_domain", f.referrerDomain());
        equal(parts, binds, "source", f.source());
        equal(parts, binds, "traffic_class", f.traffic().map(TrafficClass::label));
        switch (f.trigger()) {
            case LINK -> parts.add("c.qr_code_id IS NULL");
            case QR -> parts.add("c.qr_code_id IS NOT NULL");
            case ALL -> { }
        }
        return new FilterSql(String.join(" AND ", parts), binds, links);
    }

    private static void equal(List<String> parts, List<Map.Entry<String, Object>> binds, String column,
            Optional<String> value) {
        value.ifPresent(v -> {
            parts.add("c." + column + " = :f_" + column);
            binds.add(Map.entry("f_" + column, v));
        });
    }

    public Query bind(Query q) {
        binds.forEach(b -> q.bind(b.getKey(), b.getValue()));
        links.ifPresent(set -> set.bind(q));
        return q;
    }
}
