package dev.linkpulse.campaigns;

import dev.linkpulse.store.Rows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/** SQL for the {@code campaigns} table. */
final class CampaignStore {

    private static final RowMapper<Campaign> CAMPAIGN = (rs, ctx) -> new Campaign(
            rs.getString("id"),
            rs.getString("workspace_id"),
            rs.getString("name"),
            rs.getString("description"),
            Rows.nullableLong(rs, "start_date"),
            Rows.nullableLong(rs, "end_date"),
            rs.getBoolean("archived"),
            tags(rs.getString("tags")),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private final Jdbi jdbi;

    CampaignStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    private static List<String> tags(String stored) {
        return stored == null || stored.isEmpty() ? List.of() : Arrays.asList(stored.split("\n"));
    }

    /** Inserts the campaign; false when the workspace has one of that name already. */
    boolean insert(Campaign c) {
        return jdbi.withHandle(h -> h.createUpdate("""
                INSERT INTO campaigns (id, workspace_id, name, description, start_date, end_date, archived, tags, created_at, updated_at)
                VALUES (:id, :workspaceId, :name, :description, :startDate, :endDate, :archived, :tags, :createdAt, :updatedAt)
                ON CONFLICT (workspace_id, name) DO NOTHING""")
                .bindMethods(c)
                .bind("tags", String.join("\n", c.tags()))
                .execute() == 1);
    }

    /** Writes every field; a name taken in the workspace throws a unique violation. */
    void update(Campaign c) {
        jdbi.useHandle(h -> h.createUpdate("""
                UPDATE campaigns SET name = :name, description = :description, start_date = :startDate, end_date = :endDate,
                    archived = :archived, tags = :tags, updated_at = :updatedAt
                WHERE id = :id AND workspace_id = :workspaceId""")
                .bindMethods(c)
                .bind("tags", String.join("\n", c.tags()))
                .execute());
    }

    void delete(Handle h, String workspaceId, String id) {
        h.createUpdate("DELETE FROM campaigns WHERE workspace_id = :ws AND id = :id").bind("ws", workspaceId).bind("id", id).execute();
    }

    Optional<Campaign> findById(String workspaceId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM campaigns WHERE workspace_id = :ws AND id = :id")
                .bind("ws", workspaceId).bind("id", id).map(CAMPAIGN).findOne());
    }

    Optional<Campaign> findByName(String workspaceId, String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM campaigns WHERE workspace_id = :ws AND name = :name")
                .bind("ws", workspaceId).bind("name", name).map(CAMPAIGN).findOne());
    }

    /** What a campaign list asks for. */
    record ListQuery(int page, int limit, Optional<Campaign.Status> status, Optional<String> search,
            Optional<Long> createdFrom, Optional<Long> createdBefore) {}

    /** One page, newest first, and how many match. */
    Page list(String workspaceId, ListQuery q, long now) {
        List<String> where = new ArrayList<>(List.of("workspace_id = :ws"));
        q.status().ifPresent(s -> where.add(switch (s) {
            case ARCHIVED -> "archived";
            case SCHEDULED -> "NOT archived AND start_date IS NOT NULL AND start_date > :now";
            case ENDED -> "NOT archived AND (start_date IS NULL OR start_date <= :now) AND end_date IS NOT NULL AND end_date <= :now";
            case ACTIVE -> "NOT archived AND (start_date IS NULL OR start_date <= :now) AND (end_date IS NULL OR end_date > :now)";
        }));
        q.search().ifPresent(s -> where.add("(lower(name) LIKE :search ESCAPE '!' OR lower(coalesce(description, '')) LIKE :search ESCAPE '!')"));
        q.createdFrom().ifPresent(t -> where.add("created_at >= :from"));
        q.createdBefore().ifPresent(t -> where.add("created_at < :before"));
        String filter = String.join(" AND ", where);
        return jdbi.withHandle(h -> {
            long total = bind(h.createQuery("SELECT COUNT(*) FROM campaigns WHERE " + filter), workspaceId, q, now)
                    .mapTo(Long.class).one();
            List<Campaign> items = bind(h.createQuery("SELECT * FROM campaigns WHERE " + filter
                            + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset"), workspaceId, q, now)
                    .bind("limit", q.limit())
                    .bind("offset", (long) (q.page() - 1) * q.limit())
                    .map(CAMPAIGN).list();
            return new Page(items, total);
        });
    }

    private static Query bind(Query query, String workspaceId, ListQuery q, long now) {
        query.bind("ws", workspaceId).bind("now", now);
        q.search().ifPresent(s -> query.bind("search",
                "%" + s.toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"));
        q.createdFrom().ifPresent(t -> query.bind("from", t));
        q.createdBefore().ifPresent(t -> query.bind("before", t));
        return query;
    }

    record Page(List<Campaign> items, long total) {}
}
