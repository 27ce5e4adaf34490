package dev.linkpulse.clicks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

/** SQL for the click log ({@code clicks}) and the per-link counters ({@code link_counters}). */
public final class ClickStore {

    private static final RowMapper<Click> CLICK = (rs, ctx) -> new Click(
            rs.getString("id"),
            rs.getString("link_id"),
            rs.getString("workspace_id"),
            rs.getLong("clicked_at"),
            rs.getString("destination"),
            rs.getString("ip_address"),
            rs.getString("user_agent"),
            rs.getString("referrer"),
            rs.getString("referrer_domain"),
            rs.getString("source"),
            rs.getString("country"),
            rs.getString("region"),
            rs.getString("city"),
            rs.getString("device_type"),
            rs.getString("browser"),
            rs.getString("os"),
            TrafficClass.fromLabel(rs.getString("traffic_class")),
            rs.getString("visitor_hash"),
            new Utm(rs.getString("utm_source"), rs.getString("utm_medium"), rs.getString("utm_campaign"),
                    rs.getString("utm_term"), rs.getString("utm_content")));

    private final Jdbi jdbi;

    public ClickStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Stores a batch in one transaction: the click rows and the counters they change, so the two
     * never disagree. A click id already stored is skipped (replays are harmless), and so is a
     * click of a link deleted while the click waited in the queue.
     */
    public void insert(List<Click> clicks) {
        if (clicks.isEmpty()) {
            return;
        }
        jdbi.useTransaction(h -> {
            int[] inserted = insertRows(h, clicks);
            bumpCounters(h, clicks, inserted);
        });
    }

    private static int[] insertRows(Handle h, List<Click> clicks) {
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO clicks (id, link_id, workspace_id, clicked_at, destination, ip_address, user_agent,
                    referrer, referrer_domain, source, country, region, city, device_type, browser, os,
                    traffic_class, visitor_hash, utm_source, utm_medium, utm_campaign, utm_term, utm_content)
                SELECT :id, :linkId, :workspaceId, :clickedAt, :destination, :ipAddress, :userAgent,
                    :referrer, :referrerDomain, :source, :country, :region, :city, :deviceType, :browser, :os,
                    :trafficClass, :visitorHash, :utmSource, :utmMedium, :utmCampaign, :utmTerm, :utmContent
                WHERE EXISTS (SELECT 1 FROM short_urls WHERE id = :linkId)
                ON CONFLICT (id) DO NOTHING""");
        for (Click c : clicks) {
            batch.bind("id", c.id())
                    .bind("linkId", c.linkId())
                    .bind("workspaceId", c.workspaceId())
                    .bind("clickedAt", c.clickedAt())
                    .bind("destination", c.destination())
                    .bind("ipAddress", c.ipAddress())
                    .bind("userAgent", c.userAgent())
                    .bind("referrer", c.referrer())
                    .bind("referrerDomain", c.referrerDomain())
                    .bind("source", c.source())
                    .bind("country", c.country())
                    .bind("region", c.region())
                    .bind("city", c.city())
                    .bind("deviceType", c.deviceType())
                    .bind("browser", c.browser())
                    .bind("os", c.os())
                    .bind("trafficClass", c.trafficClass().label())
                    .bind("visitorHash", c.visitorHash())
                    .bind("utmSource", c.utm().source())
                    .bind("utmMedium", c.utm().medium())
                    .bind("utmCampaign", c.utm().campaign())
                    .bind("utmTerm", c.utm().term())
                    .bind("utmContent", c.utm().content())
                    .add();
        }
        return batch.execute();
    }

    private record CounterDelta(String workspaceId, long[] byClass, long lastClickedAt) {}

    private static void bumpCounters(Handle h, List<Click> clicks, int[] inserted) {
        Map<String, CounterDelta> deltas = new HashMap<>();
        for (int i = 0; i < clicks.size(); i++) {
            if (inserted[i] == 0) {
                continue;
            }
            Click c = clicks.get(i);
            CounterDelta d = deltas.get(c.linkId());
            long last = Math.max(c.clickedAt(), d == null ? Long.MIN_VALUE : d.lastClickedAt());
            long[] byClass = d == null ? new long[TrafficClass.values().length] : d.byClass();
            byClass[c.trafficClass().ordinal()]++;
            deltas.put(c.linkId(), new CounterDelta(c.workspaceId(), byClass, last));
        }
        if (deltas.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO link_counters (link_id, workspace_id, clicks_stored, clicks_human, clicks_bot, clicks_preview, last_clicked_at)
                VALUES (:linkId, :workspaceId, :stored, :human, :bot, :preview, :last)
                ON CONFLICT (link_id) DO UPDATE SET
                    clicks_stored = clicks_stored + excluded.clicks_stored,
                    clicks_human = clicks_human + excluded.clicks_human,
                    clicks_bot = clicks_bot + excluded.clicks_bot,
                    clicks_preview = clicks_preview + excluded.clicks_preview,
                    last_clicked_at = MAX(COALESCE(last_clicked_at, 0), excluded.last_clicked_at)""");
        deltas.forEach((linkId, d) -> {
            long[] n = d.byClass();
            batch.bind("linkId", linkId)
                    .bind("workspaceId", d.workspaceId())
                    .bind("stored", n[0] + n[1] + n[2])
                    .bind("human", n[TrafficClass.HUMAN.ordinal()])
                    .bind("bot", n[TrafficClass.BOT.ordinal()])
                    .bind("preview", n[TrafficClass.PREVIEW.ordinal()])
                    .bind("last", d.lastClickedAt())
                    .add();
        });
        batch.execute();
    }

    /** Erases every click and counter of a link, inside the caller's transaction. */
    public void deleteAllOf(Handle h, String linkId) {
        h.createUpdate("DELETE FROM clicks WHERE link_id = :linkId").bind("linkId", linkId).execute();
        h.createUpdate("DELETE FROM link_counters WHERE link_id = :linkId").bind("linkId", linkId).execute();
    }

    /** A page of one link's clicks, newest first (ties in time broken by id). */
    public List<Click> pageOfLink(String linkId, int limit, long offset) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT * FROM clicks WHERE link_id = :linkId
                ORDER BY clicked_at DESC, id DESC LIMIT :limit OFFSET :offset""")
                .bind("linkId", linkId).bind("limit", limit).bind("offset", offset)
                .map(CLICK).list());
    }

    /** A page of a whole workspace's clicks, newest first (ties in time broken by id). */
    public List<Click> pageOfWorkspace(String workspaceId, int limit, long offset) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT * FROM clicks WHERE workspace_id = :workspaceId
                ORDER BY clicked_at DESC, id DESC LIMIT :limit OFFSET :offset""")
                .bind("workspaceId", workspaceId).bind("limit", limit).bind("offset", offset)
                .map(CLICK).list());
    }

    /** How many clicks of the link are in the log (from the counters, not a scan). */
    public long countOfLink(String linkId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(clicks_stored), 0) FROM link_counters WHERE link_id = :linkId")
                .bind("linkId", linkId).mapTo(Long.class).one());
    }

    /** How many clicks of the workspace are in the log (from the counters, not a scan). */
    public long countOfWorkspace(String workspaceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(clicks_stored), 0) FROM link_counters WHERE workspace_id = :workspaceId")
                .bind("workspaceId", workspaceId).mapTo(Long.class).one());
    }

    /** Human clicks per link, for the links asked about (links never clicked are absent). */
    public Map<String, Long> humanClicks(List<String> linkIds) {
        if (linkIds.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT link_id, clicks_human FROM link_counters WHERE link_id IN (<ids>)")
                .bindList("ids", linkIds)
                .reduceRows(new HashMap<String, Long>(), (map, row) -> {
                    map.put(row.getColumn("link_id", String.class), row.getColumn("clicks_human", Long.class));
                    return map;
                }));
    }
}
