package dev.linkpulse.keys;

import java.util.Set;

/** A stored API key: never the secret, only what it may do and for which workspace. */
public record ApiKey(
        String id,
        String workspaceId,
        String name,
        String prefix,
        Set<Permission> permissions,
        long createdAt,
        Long expiresAt,
        Long revokedAt) {

    public ApiKey {
        permissions = Set.copyOf(permissions);
    }

    public boolean isUsableAt(long nowMillis) {
        return revokedAt == null && (expiresAt == null || expiresAt > nowMillis);
    }

    public boolean can(Permission permission) {
        return permissions.contains(permission);
    }
}
