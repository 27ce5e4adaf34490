package dev.linkpulse.links;

import dev.linkpulse.store.Rows;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/** SQL for the {@code short_urls} table. */
final class LinkStore {

    private static final RowMapper<ShortUrl> SHORT_URL = (rs, ctx) -> new ShortUrl(
            rs.getString("id"),
            rs.getString("workspace_id"),
            rs.getString("short_code"),
            rs.getBoolean("is_custom_alias"),
            rs.getString("original_url"),
            rs.getString("name"),
            rs.getBoolean("tracking_enabled"),
            rs.getBoolean("is_dynamic"),
            rs.getBoolean("forward_query"),
            rs.getBoolean("disabled"),
            rs.getString("campaign_id"),
            Rows.nullableLong(rs, "expires_at"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"),
            rs.getString("url_type"),
            rs.getString("domain"),
            rs.getBoolean("smart"));

    /** A link with its human clicks, as lists show it. */
    record Counted(ShortUrl link, long humanClicks) {}

    private final Jdbi jdbi;

    LinkStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Inserts the link; false when its short code is taken. */
    boolean insert(ShortUrl s) {
        return jdbi.withHandle(h -> insert(h, s));
    }

    /** Inserts inside the caller's transaction; false when the short code is taken. */
    boolean insert(Handle h, ShortUrl s) {
        return h.createUpdate("""
                INSERT INTO short_urls (id, workspace_id, short_code, is_custom_alias, original_url, name,
                    tracking_enabled, is_dynamic, forward_query, disabled, campaign_id, expires_at, created_at, updated_at,
                    url_type, domain)
                VALUES (:id, :workspaceId, :shortCode, :customAlias, :originalUrl, :name,
                    :trackingEnabled, :dynamic, :forwardQuery, :disabled, :campaignId, :expiresAt, :createdAt, :updatedAt,
                    :urlType, :domain)
                ON CONFLICT (domain, short_code) DO NOTHING""")
                .bindMethods(s)
                .execute() == 1;
    }

    /** Writes every field of {@code s} over the stored row; a taken short code throws a unique violation. */
    void update(ShortUrl s) {
        jdbi.useHandle(h -> h.createUpdate("""
                UPDATE short_urls SET short_code = :shortCode, is_custom_alias = :customAlias, original_url = :originalUrl,
                    name = :name, tracking_enabled = :trackingEnabled, is_dynamic = :dynamic, forward_query = :forwardQuery,
                    disabled = :disabled, campaign_id = :campaignId, expires_at = :expiresAt, updated_at = :updatedAt
                WHERE id = :id AND workspace_id = :workspaceId""")
                .bindMethods(s)
                .execute());
    }

    // --- tags and campaigns (issue 16) ---

    /** Sets a link's tags to exactly {@code tags}, inside the caller's transaction. */
    void replaceTags(Handle h, String linkId, String workspaceId, List<String> tags) {
        h.createUpdate("DELETE FROM link_tags WHERE link_id = :id").bind("id", linkId).execute();
        if (tags.isEmpty()) {
            return;
        }
        var batch = h.prepareBatch("INSERT INTO link_tags (link_id, workspace_id, tag) VALUES (:id, :ws, :tag)");
        for (String tag : tags) {
            batch.bind("id", linkId).bind("ws", workspaceId).bind("tag", tag).add();
        }
        batch.execute();
    }

    /** The tags of each of these links (links without tags are absent), each list sorted. */
    Map<String, List<String>> tagsOf(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT link_id, tag FROM link_tags WHERE link_id IN (<ids>) ORDER BY link_id, tag")
                .bindList("ids", List.copyOf(ids))
                .reduceRows(new HashMap<String, List<String>>(), (map, row) -> {
                    map.computeIfAbsent(row.getColumn("link_id", String.class), k -> new ArrayList<>())
                            .add(row.getColumn("tag", String.class));
                    return map;
                }));
    }

    /** Every tag of the workspace with the number of links carrying it, most used first. */
    List<Map.Entry<String, Long>> tagCounts(String workspaceId) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT tag, COUNT(*) AS links FROM link_tags WHERE workspace_id = :ws
                GROUP BY tag ORDER BY links DESC, tag""")
                .bind("ws", workspaceId)
                .map((rs, ctx) -> Map.entry(rs.getString("tag"), rs.getLong("links")))
                .list());
    }

    /** Ids of the workspace's links on a domain ('' for the standard one). */
    List<String> idsOnDomain(String workspaceId, String domain) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM short_urls WHERE workspace_id = :ws AND domain = :domain ORDER BY id")
                .bind("ws", workspaceId).bind("domain", domain).mapTo(String.class).list());
    }

    /** Ids of the workspace's links in a campaign (if given) and carrying any of the tags (if any). */
    List<String> idsMatching(String workspaceId, Optional<String> campaignId, List<String> tags) {
        StringBuilder sql = new StringBuilder("SELECT s.id FROM short_urls s WHERE s.workspace_id = :ws");
        campaignId.ifPresent(c -> sql.append(" AND s.campaign_id = :campaign"));
        if (!tags.isEmpty()) {
            sql.append(" AND EXISTS (SELECT 1 FROM link_tags t WHERE t.link_id = s.id AND t.tag IN (<tags>))");
        }
        sql.append(" ORDER BY s.id");
        return jdbi.withHandle(h -> {
            Query q = h.createQuery(sql.toString()).bind("ws", workspaceId);
            campaignId.ifPresent(c -> q.bind("campaign", c));
            if (!tags.isEmpty()) {
                q.bindList("tags", tags);
            }
            return q.mapTo(String.class).list();
        });
    }

    /** Links and their human clicks per campaign, for the given campaigns of a workspace. */
    Map<String, long[]> campaignTotals(String workspaceId, Collection<String> campaignIds) {
        if (campaignIds.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT s.campaign_id, COUNT(*) AS links, COALESCE(SUM(c.clicks_human), 0) AS clicks
                FROM short_urls s LEFT JOIN link_counters c ON c.link_id = s.id
                WHERE s.workspace_id = :ws AND s.campaign_id IN (<ids>) GROUP BY s.campaign_id""")
                .bind("ws", workspaceId)
                .bindList("ids", List.copyOf(campaignIds))
                .reduceRows(new HashMap<String, long[]>(), (map, row) -> {
                    map.put(row.getColumn("campaign_id", String.class),
                            new long[] {row.getColumn("links", Long.class), row.getColumn("clicks", Long.class)});
                    return map;
                }));
    }

    /** Takes every link of the workspace out of the campaign, inside the caller's transaction. */
    void unassignCampaign(Handle h, String workspaceId, String campaignId, long now) {
        h.createUpdate("UPDATE short_urls SET campaign_id = NULL, updated_at = :now WHERE workspace_id = :ws AND campaign_id = :c")
                .bind("now", now).bind("ws", workspaceId).bind("c", campaignId).execute();
    }

    void delete(Handle h, String id) {
        h.createUpdate("DELETE FROM link_tags WHERE link_id = :id").bind("id", id).execute();
        h.createUpdate("DELETE FROM short_urls WHERE id = :id").bind("id", id).execute();
    }

    /** The link of a cache key ({@link ShortUrl#cacheKey}): a code on the standard domain, or code@domain. */
    Optional<ShortUrl> findByKey(String key) {
        int at = key.indexOf('@');
        return findOnDomain(at < 0 ? "" : key.substring(at + 1), at < 0 ? key : key.substring(0, at));
    }

    /** The link of a code on a domain ('' for the standard one). */
    Optional<ShortUrl> findOnDomain(String domain, String code) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM short_urls WHERE domain = :domain AND short_code = :code")
                .bind("domain", domain).bind("code", code).map(SHORT_URL).findOne());
    }

    Optional<ShortUrl> findById(String workspaceId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM short_urls WHERE workspace_id = :ws AND id = :id")
                .bind("ws", workspaceId).bind("id", id).map(SHORT_URL).findOne());
    }

    Optional<ShortUrl> findByCode(String workspaceId, String code) {
        // One code may name links on several of the workspace's hosts: the standard domain's comes first.
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM short_urls WHERE workspace_id = :ws AND short_code = :code
                        ORDER BY CASE WHEN domain = '' THEN 0 ELSE 1 END, domain LIMIT 1""")
                .bind("ws", workspaceId).bind("code", code).map(SHORT_URL).findOne());
    }

    Map<String, String> codesOf(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT id, short_code FROM short_urls WHERE id IN (<ids>)")
                .bindList("ids", List.copyOf(ids))
                .reduceRows(new HashMap<String, String>(), (map, row) -> {
                    map.put(row.getColumn("id", String.class), row.getColumn("short_code", String.class));
                    return map;
                }));
    }

    /**
     * One page of the workspace's links and the number of links matching. Clicks come from the
     * click counters, which this feature only reads.
     */
    PageOf<Counted> list(String workspaceId, LinkListQuery q, long now) {
        List<String> where = new ArrayList<>(List.of("s.workspace_id = :ws"));
        q.search().ifPresent(s -> where.add("(lower(coalesce(s.name, '')) LIKE :search ESCAPE '!'"
                + " OR lower(s.short_code) LIKE :search ESCAPE '!' OR lower(s.original_url) LIKE :search ESCAPE '!')"));
        q.status().ifPresent(st -> where.add(switch (st) {
            case ACTIVE -> "NOT s.disabled AND (s.expires_at IS NULL OR s.expires_at > :now)";
            case EXPIRED -> "NOT s.disabled AND s.expires_at IS NOT NULL AND s.expires_at <= :now";
            case DISABLED -> "s.disabled";
        }));
        q.createdFrom().ifPresent(t -> where.add("s.created_at >= :from"));
        q.createdBefore().ifPresent(t -> where.add("s.created_at < :before"));
        q.campaign().ifPresent(c -> where.add("s.campaign_id = :campaign"));
        q.urlType().ifPresent(t -> where.add("s.url_type = :urlType"));
        if (!q.tags().isEmpty()) {
            where.add("EXISTS (SELECT 1 FROM link_tags t WHERE t.link_id = s.id AND t.tag IN (<tags>))");
        }
        String filter = String.join(" AND ", where);
        String direction = q.ascending() ? "ASC" : "DESC";
        String orderBy = switch (q.sort()) {
            case CREATED_AT -> "s.created_at " + direction;
            case CLICKS -> "COALESCE(c.clicks_human, 0) " + direction;
            case NAME -> "(s.name IS NULL) " + (q.ascending() ? "ASC" : "DESC") + ", s.name " + direction;
            case SHORT_CODE -> "s.short_code " + direction;
        };
        return jdbi.withHandle(h -> {
            Query count = bindFilters(h.createQuery("SELECT COUNT(*) FROM short_urls s WHERE " + filter), workspaceId, q, now);
            long total = count.mapTo(Long.class).one();
            Query page = bindFilters(h.createQuery("""
                    SELECT s.*, COALESCE(c.clicks_human, 0) AS human_clicks
                    FROM short_urls s LEFT JOIN link_counters c ON c.link_id = s.id
                    WHERE %s ORDER BY %s, s.id %s LIMIT :limit OFFSET :offset""".formatted(filter, orderBy, direction)),
                    workspaceId, q, now)
                    .bind("limit", q.limit())
                    .bind("offset", q.offset());
            List<Counted> items = page.map((rs, ctx) -> new Counted(SHORT_URL.map(rs, ctx), rs.getLong("human_clicks"))).list();
            return new PageOf<>(items, total);
        });
    }

    private static Query bindFilters(Query query, String workspaceId, LinkListQuery q, long now) {
        query.bind("ws", workspaceId).bind("now", now);
        q.search().ifPresent(s -> query.bind("search", containsPattern(s)));
        q.createdFrom().ifPresent(t -> query.bind("from", t));
        q.createdBefore().ifPresent(t -> query.bind("before", t));
        q.campaign().ifPresent(c -> query.bind("campaign", c));
        q.urlType().ifPresent(t -> query.bind("urlType", t));
        if (!q.tags().isEmpty()) {
            query.bindList("tags", q.tags());
        }
        return query;
    }

    /** The workspace's links by most recent click (never-clicked links last), with their counters. */
    List<LinkService.Recent> recentlyClicked(String workspaceId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT s.*, COALESCE(c.clicks_human, 0) AS human, COALESCE(c.clicks_stored, 0) AS stored,
                       COALESCE(c.clicks_human + c.clicks_bot + c.clicks_preview, 0) AS all_clicks, c.last_clicked_at
                FROM short_urls s LEFT JOIN link_counters c ON c.link_id = s.id
                WHERE s.workspace_id = :ws
                ORDER BY (c.last_clicked_at IS NULL), c.last_clicked_at DESC, s.created_at DESC, s.id
                LIMIT :limit""")
                .bind("ws", workspaceId).bind("limit", limit)
                .map((rs, ctx) -> new LinkService.Recent(SHORT_URL.map(rs, ctx), rs.getLong("human"), rs.getLong("stored"),
                        rs.getLong("all_clicks"), Rows.nullableLong(rs, "last_clicked_at")))
                .list());
    }

    /** A LIKE pattern matching {@code text} anywhere, lower case, with its own wildcards escaped. */
    private static String containsPattern(String text) {
        String escaped = text.toLowerCase(java.util.Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return "%" + escaped + "%";
    }

    /** A page of results and how many there are in all. */
    record PageOf<T>(List<T> items, long total) {}
}
