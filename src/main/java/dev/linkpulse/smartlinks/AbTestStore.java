package dev.linkpulse.smartlinks;

import dev.linkpulse.store.Rows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** SQL for {@code ab_tests}, {@code ab_variants} and the counts their results need. */
final class AbTestStore {

    private static final RowMapper<AbTest> TEST = (rs, ctx) -> new AbTest(rs.getString("id"), rs.getString("workspace_id"),
            rs.getString("link_id"), rs.getString("name"), rs.getString("description"), rs.getString("hypothesis"),
            rs.getString("status"), rs.getString("traffic_split_mode"), rs.getLong("min_sample_size"),
            rs.getInt("confidence_level"), rs.getBoolean("conversions_enabled"), Rows.nullableLong(rs, "start_date"),
            Rows.nullableLong(rs, "end_date"), rs.getString("winner_variant_id"), rs.getLong("created_at"),
            rs.getLong("updated_at"), List.of());

    private final Jdbi jdbi;

    AbTestStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    void insert(AbTest t) {
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                    INSERT INTO ab_tests (id, workspace_id, link_id, name, description, hypothesis, status, traffic_split_mode,
                        min_sample_size, confidence_level, conversions_enabled, start_date, end_date, winner_variant_id,
                        created_at, updated_at)
                    VALUES (:id, :workspaceId, :linkId, :name, :description, :hypothesis, :status, :splitMode, :minSampleSize,
                        :confidenceLevel, :conversionsEnabled, :startDate, :endDate, :winnerVariantId, :createdAt, :updatedAt)""")
                    .bindMethods(t).execute();
            for (int i = 0; i < t.variants().size(); i++) {
                AbTest.Variant v = t.variants().get(i);
                h.createUpdate("""
                        INSERT INTO ab_variants (id, test_id, position, name, destination_url, traffic_weight)
                        VALUES (:id, :test, :position, :name, :url, :weight)""")
                        .bind("id", v.id()).bind("test", t.id()).bind("position", i).bind("name", v.name())
                        .bind("url", v.destinationUrl()).bind("weight", v.weight()).execute();
            }
        });
    }

    Optional<AbTest> find(String workspaceId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM ab_tests WHERE workspace_id = :ws AND id = :id")
                .bind("ws", workspaceId).bind("id", id).map(TEST).findOne().map(t -> withVariants(h, t)));
    }

    /** The newest test of a link. */
    Optional<AbTest> latestOfLink(String workspaceId, String linkId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM ab_tests WHERE workspace_id = :ws AND link_id = :link ORDER BY created_at DESC, id DESC LIMIT 1")
                .bind("ws", workspaceId).bind("link", linkId).map(TEST).findOne().map(t -> withVariants(h, t)));
    }

    List<AbTest> page(String workspaceId, int limit, int offset) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM ab_tests WHERE workspace_id = :ws ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
                .bind("ws", workspaceId).bind("limit", limit).bind("offset", offset).map(TEST).list()
                .stream().map(t -> withVariants(h, t)).toList());
    }

    long count(String workspaceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM ab_tests WHERE workspace_id = :ws")
                .bind("ws", workspaceId).mapTo(Long.class).one());
    }

    List<AbTest.Variant> variants(Handle h, String testId) {
        return h.createQuery("SELECT * FROM ab_variants WHERE test_id = :id ORDER BY position")
                .bind("id", testId)
                .map((rs, ctx) -> new AbTest.Variant(rs.getString("id"), rs.getString("name"), rs.getString("destination_url"),
                        rs.getInt("traffic_weight")))
                .list();
    }

    private AbTest withVariants(Handle h, AbTest t) {
        return new AbTest(t.id(), t.workspaceId(), t.linkId(), t.name(), t.description(), t.hypothesis(), t.status(),
                t.splitMode(), t.minSampleSize(), t.confidenceLevel(), t.conversionsEnabled(), t.startDate(), t.endDate(),
                t.winnerVariantId(), t.createdAt(), t.updatedAt(), variants(h, t.id()));
    }

    /** Changes the status (and the other lifecycle fields) and the link's running test, in one transaction. */
    void setStatus(AbTest t, String status, Long startDate, Long endDate, String winner, long now, boolean running) {
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                    UPDATE ab_tests SET status = :status, start_date = :start, end_date = :end, winner_variant_id = :winner,
                        updated_at = :now WHERE id = :id""")
                    .bind("status", status).bind("start", startDate).bind("end", endDate).bind("winner", winner)
                    .bind("now", now).bind("id", t.id()).execute();
            if (running) {
                h.createUpdate("""
                        INSERT INTO smart_links (link_id, workspace_id, ab_test_id, updated_at) VALUES (:link, :ws, :test, :now)
                        ON CONFLICT (link_id) DO UPDATE SET ab_test_id = excluded.ab_test_id, updated_at = excluded.updated_at""")
                        .bind("link", t.linkId()).bind("ws", t.workspaceId()).bind("test", t.id()).bind("now", now).execute();
            } else {
                h.createUpdate("UPDATE smart_links SET ab_test_id = NULL, updated_at = :now WHERE link_id = :link AND ab_test_id = :test")
                        .bind("link", t.linkId()).bind("test", t.id()).bind("now", now).execute();
            }
            SmartStore.syncFlag(h, t.linkId());
        });
    }

    /** The id of the test running on a link, if any. */
    Optional<String> runningOn(String linkId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT ab_test_id FROM smart_links WHERE link_id = :id AND ab_test_id IS NOT NULL")
                .bind("id", linkId).mapTo(String.class).findOne());
    }

    /**
     * Per variant: human clicks, unique visitors, the conversion events of those clicks and how many
     * of those clicks converted (at least one conversion). The rate is converted clicks / clicks.
     */
    record Counts(long clicks, long uniques, long conversions, long convertedClicks) {

        static final Counts NONE = new Counts(0, 0, 0, 0);

        /** The share of the clicks that converted, 0..1 (0 without clicks). */
        double rate() {
            return clicks == 0 ? 0 : (double) convertedClicks / clicks;
        }
    }

    /**
     * The counts of each variant that has any. Conversions count with their click, like the link and
     * campaign analytics: only those of the human clicks counted here (a robot's click may carry
     * lp_click_id too), grouped by the click's variant, so numerator and denominator are the same clicks.
     */
    Map<String, Counts> counts(AbTest t) {
        // One statement, so clicks and converted clicks come from one snapshot: a click stored and
        // converted between two reads would otherwise count as converted but not as a click.
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT c.variant_id, COUNT(*), COUNT(DISTINCT c.visitor_hash), COALESCE(SUM(k.n), 0), COUNT(k.click_id)
                        FROM clicks c LEFT JOIN (
                            SELECT click_id, COUNT(*) AS n FROM conversions WHERE workspace_id = :ws AND link_id = :link GROUP BY click_id
                        ) k ON k.click_id = c.id
                        WHERE c.link_id = :link AND c.workspace_id = :ws AND c.traffic_class = 'human' AND c.variant_id IN (<ids>)
                        GROUP BY c.variant_id""")
                .bind("link", t.linkId()).bind("ws", t.workspaceId()).bindList("ids", ids(t))
                .map((rs, ctx) -> Map.entry(rs.getString(1), new Counts(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5))))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    private static List<String> ids(AbTest t) {
        List<String> ids = new ArrayList<>();
        t.variants().forEach(v -> ids.add(v.id()));
        return ids;
    }
}
