package dev.linkpulse.keys;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import dev.linkpulse.store.Rows;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** SQL for the {@code workspaces} and {@code api_keys} tables. */
final class KeyStore {

    private static final RowMapper<ApiKey> KEY = (rs, ctx) -> new ApiKey(
            rs.getString("id"),
            rs.getString("workspace_id"),
            rs.getString("name"),
            rs.getString("key_prefix"),
            parsePermissions(rs.getString("permissions")),
            rs.getLong("created_at"),
            Rows.nullableLong(rs, "expires_at"),
            Rows.nullableLong(rs, "revoked_at"));

    private static final RowMapper<Workspace> WORKSPACE = (rs, ctx) ->
            new Workspace(rs.getString("id"), rs.getString("name"), rs.getLong("created_at"));

    private final Jdbi jdbi;

    KeyStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Optional<ApiKey> findByHash(String keyHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_keys WHERE key_hash = :hash")
                .bind("hash", keyHash).map(KEY).findOne());
    }

    boolean anyKeyExists() {
        return jdbi.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM api_keys)")
                .mapTo(Boolean.class).one());
    }

    void insert(ApiKey key, String keyHash) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO api_keys (id, workspace_id, name, key_hash, key_prefix, permissions, created_at, expires_at, revoked_at)
                VALUES (:id, :workspaceId, :name, :hash, :prefix, :permissions, :createdAt, :expiresAt, NULL)""")
                .bind("id", key.id())
                .bind("workspaceId", key.workspaceId())
                .bind("name", key.name())
                .bind("hash", keyHash)
                .bind("prefix", key.prefix())
                .bind("permissions", formatPermissions(key.permissions()))
                .bind("createdAt", key.createdAt())
                .bind("expiresAt", key.expiresAt())
                .execute());
    }

    List<ApiKey> listByWorkspace(String workspaceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_keys WHERE workspace_id = :ws ORDER BY created_at, id")
                .bind("ws", workspaceId).map(KEY).list());
    }

    Optional<ApiKey> findById(String workspaceId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_keys WHERE workspace_id = :ws AND id = :id")
                .bind("ws", workspaceId).bind("id", id).map(KEY).findOne());
    }

    void revoke(String id, long at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE api_keys SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                .bind("id", id).bind("at", at).execute());
    }

    Optional<Workspace> findWorkspace(String idOrName) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM workspaces WHERE id = :v OR name = :v ORDER BY id = :v DESC LIMIT 1")
                .bind("v", idOrName).map(WORKSPACE).findOne());
    }

    Optional<Workspace> oldestWorkspace() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM workspaces ORDER BY created_at, id LIMIT 1")
                .map(WORKSPACE).findOne());
    }

    void insertWorkspace(Workspace workspace) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO workspaces (id, name, created_at) VALUES (:id, :name, :createdAt)")
                .bindMethods(workspace).execute());
    }

    private static Set<Permission> parsePermissions(String csv) {
        Set<Permission> out = EnumSet.noneOf(Permission.class);
        Arrays.stream(csv.split(",")).map(Permission::parse).flatMap(Optional::stream).forEach(out::add);
        return out;
    }

    private static String formatPermissions(Set<Permission> permissions) {
        return permissions.stream().sorted().map(Permission::label).collect(Collectors.joining(","));
    }
}
