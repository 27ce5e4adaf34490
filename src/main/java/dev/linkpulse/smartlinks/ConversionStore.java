package dev.linkpulse.smartlinks;

import dev.linkpulse.analytics.Conversions;
import dev.linkpulse.clicks.ClickFilter;
import dev.linkpulse.clicks.log.FilterSql;
import dev.linkpulse.common.Timestamps;
import dev.linkpulse.store.Dialect;
import dev.linkpulse.store.Rows;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** The conversions table: recording a conversion, and reading conversions back for the analytics and the click log. */
public final class ConversionStore implements Conversions {

    /** A conversion as stored; amounts in hundredths of the currency. */
    public record Conversion(String id, String clickId, String linkId, String variantId, String event, Long amountMinor,
            String currency, String externalId, long createdAt) {

        Map<String, Object> view() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("click_id", clickId);
            m.put("short_url_id", linkId);
            m.put("variant_id", variantId);
            m.put("event", event);
            m.put("amount", amountMinor == null ? null : BigDecimal.valueOf(amountMinor, 2));
            m.put("currency", currency);
            m.put("external_id", externalId);
            m.put("created_at", Timestamps.format(createdAt));
            return m;
        }
    }

    /** The stored click a conversion is tied to. */
    record ClickRef(String linkId, String variantId) {}

    /** Ids in one {@code IN} list: well under both stores' bind limits (a click-log page is at most 1,000). */
    private static final int IN_CHUNK = 500;

    private final Jdbi jdbi;
    private final Dialect dialect;

    public ConversionStore(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    Optional<ClickRef> click(String workspaceId, String clickId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT link_id, variant_id FROM clicks WHERE id = :id AND workspace_id = :ws")
                .bind("id", clickId).bind("ws", workspaceId)
                .map((rs, c) -> new ClickRef(rs.getString(1), rs.getString(2))).findOne());
    }

    /** Stores it unless its external_id is already taken in the workspace; true when stored. */
    boolean insert(String workspaceId, Conversion c) {
        return jdbi.withHandle(h -> h.createUpdate("""
                INSERT INTO conversions (id, workspace_id, link_id, click_id, variant_id, event, amount_minor, currency, external_id,
                    created_at)
                VALUES (:id, :ws, :link, :click, :variant, :event, :amount, :currency, :external, :now)
                ON CONFLICT DO NOTHING""")
                .bind("id", c.id()).bind("ws", workspaceId).bind("link", c.linkId()).bind("click", c.clickId())
                .bind("variant", c.variantId()).bind("event", c.event()).bind("amount", c.amountMinor())
                .bind("currency", c.currency()).bind("external", c.externalId()).bind("now", c.createdAt())
                .execute()) == 1;
    }

    Optional<Conversion> byExternalId(String workspaceId, String externalId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM conversions WHERE workspace_id = :ws AND external_id = :ext")
                .bind("ws", workspaceId).bind("ext", externalId)
                .map((rs, c) -> row(rs)).findOne());
    }

    @Override
    public Summary of(ClickFilter f) {
        FilterSql where = FilterSql.of(f, dialect);
        return jdbi.withHandle(h -> {
            Query q = h.createQuery("SELECT v.event, v.currency, COUNT(*), SUM(v.amount_minor) FROM conversions v"
                    + " JOIN clicks c ON c.id = v.click_id WHERE v.workspace_id = :ws AND " + where.sql()
                    + " GROUP BY v.event, v.currency");
            where.bind(q).bind("ws", f.workspaceId());
            long[] byEvent = new long[3];
            Map<String, BigDecimal> revenue = new TreeMap<>();
            q.map((rs, ctx) -> {
                int e = switch (rs.getString(1)) {
                    case "lead" -> 0;
                    case "signup" -> 1;
                    default -> 2;
                };
                byEvent[e] += rs.getLong(3);
                String currency = rs.getString(2);
                long minor = rs.getLong(4);
                if (currency != null && !rs.wasNull()) {
                    revenue.merge(currency, BigDecimal.valueOf(minor, 2), BigDecimal::add);
                }
                return e;
            }).list();
            List<Revenue> amounts = new ArrayList<>();
            revenue.forEach((cur, amount) -> amounts.add(new Revenue(cur, amount)));
            Query converted = h.createQuery("SELECT COUNT(DISTINCT v.click_id) FROM conversions v"
                    + " JOIN clicks c ON c.id = v.click_id WHERE v.workspace_id = :ws AND " + where.sql());
            long convertedClicks = where.bind(converted).bind("ws", f.workspaceId()).mapTo(Long.class).one();
            return new Summary(byEvent[0] + byEvent[1] + byEvent[2], byEvent[0], byEvent[1], byEvent[2], amounts, convertedClicks);
        });
    }

    @Override
    public Map<String, List<Map<String, Object>>> ofClicks(String workspaceId, Collection<String> clickIds) {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        List<String> ids = List.copyOf(clickIds);
        for (int i = 0; i < ids.size(); i += IN_CHUNK) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + IN_CHUNK));
            jdbi.useHandle(h -> h.createQuery("SELECT * FROM conversions WHERE workspace_id = :ws AND click_id IN (<ids>)"
                            + " ORDER BY created_at, id")
                    .bind("ws", workspaceId).bindList("ids", chunk)
                    .map((rs, c) -> row(rs))
                    .forEach(c -> out.computeIfAbsent(c.clickId(), k -> new ArrayList<>()).add(c.view())));
        }
        return out;
    }

    private static Conversion row(ResultSet rs) throws SQLException {
        return new Conversion(rs.getString("id"), rs.getString("click_id"), rs.getString("link_id"), rs.getString("variant_id"),
                rs.getString("event"), Rows.nullableLong(rs, "amount_minor"), rs.getString("currency"), rs.getString("external_id"),
                rs.getLong("created_at"));
    }
}
