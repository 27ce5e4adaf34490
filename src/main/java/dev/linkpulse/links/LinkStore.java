package dev.linkpulse.links;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import dev.linkpulse.store.Rows;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

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
            rs.getLong("updated_at"));

    private final Jdbi jdbi;

    LinkStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Inserts the link; false when its short code is taken. */
    boolean insert(ShortUrl s) {
        return jdbi.withHandle(h -> h.createUpdate("""
                INSERT INTO short_urls (id, workspace_id, short_code, is_custom_alias, original_url, name,
                    tracking_enabled, is_dynamic, forward_query, disabled, campaign_id, expires_at, created_at, updated_at)
                VALUES (:id, :workspaceId, :shortCode, :customAlias, :originalUrl, :name,
                    :trackingEnabled, :dynamic, :forwardQuery, :disabled, :campaignId, :expiresAt, :createdAt, :updatedAt)
                ON CONFLICT (short_code) DO NOTHING""")
                .bindMethods(s)
                .execute()) == 1;
    }

    Optional<ShortUrl> findByCode(String code) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM short_urls WHERE short_code = :code")
                .bind("code", code).map(SHORT_URL).findOne());
    }

    Optional<ShortUrl> findInWorkspace(String workspaceId, String column, String value) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM short_urls WHERE workspace_id = :ws AND " + column + " = :value")
                .bind("ws", workspaceId).bind("value", value).map(SHORT_URL).findOne());
    }

    Map<String, String> codesOf(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT id, short_code FROM short_urls WHERE id IN (<ids>)")
                .bindList("ids", ids.stream().toList())
                .reduceRows(new HashMap<String, String>(), (map, row) -> {
                    map.put(row.getColumn("id", String.class), row.getColumn("short_code", String.class));
                    return map;
                }));
    }
}
