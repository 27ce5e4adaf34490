package dev.linkpulse.domains;

import dev.linkpulse.store.Rows;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** SQL for the {@code subdomains} and {@code branded_domains} tables. */
final class DomainStore {

    record Subdomain(String id, String workspaceId, String subdomain, String name, String description, long createdAt) {}

    record Branded(String id, String workspaceId, String domain, String name, String description, String token, Long verifiedAt,
            long createdAt) {}

    private static final RowMapper<Subdomain> SUBDOMAIN = (rs, ctx) -> new Subdomain(rs.getString("id"), rs.getString("workspace_id"),
            rs.getString("subdomain"), rs.getString("name"), rs.getString("description"), rs.getLong("created_at"));

    private static final RowMapper<Branded> BRANDED = (rs, ctx) -> new Branded(rs.getString("id"), rs.getString("workspace_id"),
            rs.getString("domain"), rs.getString("name"), rs.getString("description"), rs.getString("verification_token"),
            Rows.nullableLong(rs, "verified_at"), rs.getLong("created_at"));

    private final Jdbi jdbi;

    DomainStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** False when the label is taken (by any workspace). */
    boolean insert(Subdomain s) {
        return jdbi.withHandle(h -> h.createUpdate("""
                INSERT INTO subdomains (id, workspace_id, subdomain, name, description, created_at)
                VALUES (:id, :workspaceId, :subdomain, :name, :description, :createdAt) ON CONFLICT (subdomain) DO NOTHING""")
                .bind("id", s.id()).bind("workspaceId", s.workspaceId()).bind("subdomain", s.subdomain()).bind("name", s.name())
                .bind("description", s.description()).bind("createdAt", s.createdAt())
                .execute() == 1);
    }

    /** False when the domain is taken (by any workspace). */
    boolean insert(Branded b) {
        return jdbi.withHandle(h -> h.createUpdate("""
                INSERT INTO branded_domains (id, workspace_id, domain, name, description, verification_token, verified_at, created_at)
                VALUES (:id, :workspaceId, :domain, :name, :description, :token, :verifiedAt, :createdAt) ON CONFLICT (domain) DO NOTHING""")
                .bind("id", b.id()).bind("workspaceId", b.workspaceId()).bind("domain", b.domain()).bind("name", b.name())
                .bind("description", b.description()).bind("token", b.token()).bind("verifiedAt", b.verifiedAt())
                .bind("createdAt", b.createdAt())
                .execute() == 1);
    }

    Optional<Subdomain> subdomainByLabel(String label) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM subdomains WHERE subdomain = :s").bind("s", label).map(SUBDOMAIN).findOne());
    }

    Optional<Subdomain> subdomain(String workspaceId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM subdomains WHERE workspace_id = :ws AND id = :id")
                .bind("ws", workspaceId).bind("id", id).map(SUBDOMAIN).findOne());
    }

    Optional<Branded> branded(String workspaceId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM branded_domains WHERE workspace_id = :ws AND id = :id")
                .bind("ws", workspaceId).bind("id", id).map(BRANDED).findOne());
    }

    Optional<Branded> brandedByDomain(String domain) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM branded_domains WHERE domain = :d").bind("d", domain).map(BRANDED).findOne());
    }

    List<Subdomain> subdomains(String workspaceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM subdomains WHERE workspace_id = :ws ORDER BY subdomain")
                .bind("ws", workspaceId).map(SUBDOMAIN).list());
    }

    List<Branded> brandedDomains(String workspaceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM branded_domains WHERE workspace_id = :ws ORDER BY domain")
                .bind("ws", workspaceId).map(BRANDED).list());
    }

    List<Subdomain> allSubdomains() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM subdomains").map(SUBDOMAIN).list());
    }

    List<Branded> allVerifiedBranded() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM branded_domains WHERE verified_at IS NOT NULL").map(BRANDED).list());
    }

    void markVerified(String id, long at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE branded_domains SET verified_at = :at WHERE id = :id").bind("at", at).bind("id", id).execute());
    }

    void deleteSubdomain(String id) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM subdomains WHERE id = :id").bind("id", id).execute());
    }

    void deleteBranded(String id) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM branded_domains WHERE id = :id").bind("id", id).execute());
    }
}
