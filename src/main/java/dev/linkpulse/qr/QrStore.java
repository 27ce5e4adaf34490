package dev.linkpulse.qr;

import dev.linkpulse.store.Rows;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/** SQL for the {@code qr_codes} table. */
final class QrStore {

    private static final RowMapper<QrCode> QR = (rs, ctx) -> new QrCode(
            rs.getString("id"), rs.getString("workspace_id"), rs.getString("name"), rs.getString("content_type"),
            rs.getString("content_data"), rs.getString("content"), rs.getInt("foreground"), rs.getInt("background"),
            rs.getInt("size"), rs.getInt("margin"), rs.getString("error_level"), rs.getString("logo"),
            rs.getBoolean("is_dynamic"), rs.getBoolean("tracking_enabled"), rs.getString("short_url_id"),
            rs.getString("source"), Rows.nullableLong(rs, "expires_at"), rs.getLong("created_at"), rs.getLong("updated_at"));

    private final Jdbi jdbi;

    QrStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    void insert(QrCode q) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO qr_codes (id, workspace_id, name, content_type, content_data, content, foreground, background,
                    size, margin, error_level, logo, is_dynamic, tracking_enabled, short_url_id, source, expires_at,
                    created_at, updated_at)
                VALUES (:id, :workspaceId, :name, :contentType, :contentData, :content, :foreground, :background,
                    :size, :margin, :errorLevel, :logo, :dynamic, :trackingEnabled, :shortUrlId, :source, :expiresAt,
                    :createdAt, :updatedAt)""").bindMethods(q).execute());
    }

    void update(QrCode q) {
        jdbi.useHandle(h -> h.createUpdate("""
                UPDATE qr_codes SET name = :name, content_data = :contentData, content = :content,
                    tracking_enabled = :trackingEnabled, expires_at = :expiresAt, updated_at = :updatedAt
                WHERE id = :id AND workspace_id = :workspaceId""").bindMethods(q).execute());
    }

    void delete(String workspaceId, String id) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM qr_codes WHERE id = :id AND workspace_id = :ws")
                .bind("id", id).bind("ws", workspaceId).execute());
    }

    Optional<QrCode> find(String workspaceId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM qr_codes WHERE id = :id AND workspace_id = :ws")
                .bind("id", id).bind("ws", workspaceId).map(QR).findOne());
    }

    /** The workspace's codes among these ids (others' and unknown ids are left out). */
    List<QrCode> findAll(String workspaceId, java.util.Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM qr_codes WHERE workspace_id = :ws AND id IN (<ids>)")
                .bind("ws", workspaceId).bindList("ids", List.copyOf(ids)).map(QR).list());
    }

    record Page(List<QrCode> items, long total) {}

    /**
     * One page of a workspace's codes, by name, creation time or human scans. The scan order reads
     * the per-code counters the click store keeps with the clicks (qr_scan_counters), so the page is
     * cut in SQL: a workspace's codes never all come into memory (a logo alone can be 340 KB).
     */
    Page list(String workspaceId, QrListQuery q) {
        List<String> where = new ArrayList<>(List.of("q.workspace_id = :ws"));
        switch (q.type()) {
            case "static" -> where.add("q.short_url_id IS NULL");
            case "dynamic" -> where.add("q.is_dynamic = :yes");
            case "tracked" -> where.add("q.short_url_id IS NOT NULL");
            default -> { }
        }
        q.search().ifPresent(s -> where.add("(lower(coalesce(q.name, '')) LIKE :search ESCAPE '!' OR lower(q.content) LIKE :search ESCAPE '!')"));
        q.createdFrom().ifPresent(t -> where.add("q.created_at >= :from"));
        String cond = String.join(" AND ", where);
        String dir = q.ascending() ? "ASC" : "DESC";
        String order = switch (q.sortBy()) {
            case "name" -> "lower(coalesce(q.name, '')) " + dir + ", q.id " + dir;
            // Ties (and codes never scanned) newest first, whichever way the scans go.
            case "scans" -> "coalesce(sc.scans_human, 0) " + dir + ", q.created_at DESC, q.id DESC";
            default -> "q.created_at " + dir + ", q.id " + dir;
        };
        String from = q.sortBy().equals("scans")
                ? "qr_codes q LEFT JOIN qr_scan_counters sc ON sc.qr_code_id = q.id AND sc.workspace_id = q.workspace_id"
                : "qr_codes q";
        return jdbi.withHandle(h -> {
            Query count = h.createQuery("SELECT count(*) FROM qr_codes q WHERE " + cond);
            Query page = h.createQuery("SELECT q.* FROM " + from + " WHERE " + cond + " ORDER BY " + order + " LIMIT :limit OFFSET :offset");
            for (Query query : List.of(count, page)) {
                query.bind("ws", workspaceId).bind("yes", true);
                q.search().ifPresent(s -> query.bind("search", like(s)));
                q.createdFrom().ifPresent(t -> query.bind("from", t));
            }
            long total = count.mapTo(Long.class).one();
            page.bind("limit", q.limit()).bind("offset", (long) (q.page() - 1) * q.limit());
            List<QrCode> items = page.map(QR).list();
            return new Page(items, total);
        });
    }

    private static String like(String text) {
        String escaped = text.toLowerCase(java.util.Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return "%" + escaped + "%";
    }
}
