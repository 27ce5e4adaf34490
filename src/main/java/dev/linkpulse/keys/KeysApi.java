package dev.linkpulse.keys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.common.Timestamps;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.BodyFields;
import dev.linkpulse.http.Json;
import dev.linkpulse.http.JsonFields;
import dev.linkpulse.http.Routes;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code /api/v1/api-keys} (spec §5): create (secret shown once), list, revoke. Needs {@code admin}. */
public final class KeysApi implements Routes {

    private static final BodyFields CREATE_FIELDS = BodyFields.of("name", "permissions", "expires_at");

    private final KeyService keys;
    private final Auth auth;
    private final Clock clock;

    public KeysApi(KeyService keys, Auth auth, Clock clock) {
        this.keys = keys;
        this.auth = auth;
        this.clock = clock;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.post("/api/v1/api-keys", auth.require(Permission.ADMIN, this::create));
        routes.get("/api/v1/api-keys", auth.require(Permission.ADMIN, this::list));
        routes.delete("/api/v1/api-keys/{id}", auth.require(Permission.ADMIN, this::revoke));
    }

    private void create(Context ctx, ApiKey caller) {
        JsonNode body = CREATE_FIELDS.check(Json.objectBody(ctx));
        String name = JsonFields.withoutOuterSpaces(JsonFields.requiredString(body, "name"));
        if (name.isEmpty() || name.codePointCount(0, name.length()) > 255 || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.validation("name", "name must be 1 to 255 characters without control characters");
        }
        Set<Permission> permissions = permissions(body);
        Optional<Long> expiresAt = JsonFields.string(body, "expires_at").map(v -> {
            Instant at = Timestamps.parse(v).orElseThrow(() -> ApiException.validation("expires_at",
                    "expires_at must be " + Timestamps.EXPECTED));
            if (at.toEpochMilli() <= clock.millis()) {
                throw ApiException.validation("expires_at", "expires_at must be in the future");
            }
            return at.toEpochMilli();
        });
        KeyService.CreatedKey created = keys.create(caller.workspaceId(), name, permissions, expiresAt, Optional.empty());
        Map<String, Object> view = view(created.key());
        view.put("key", created.secret());
        Json.ok(ctx, 201, view);
    }

    private static Set<Permission> permissions(JsonNode body) {
        JsonNode node = body.get("permissions");
        if (node == null || node.isNull()) {
            throw ApiException.validation("permissions", "permissions is required");
        }
        if (!node.isArray() || node.isEmpty() || node.size() > Permission.values().length * 2) {
            throw ApiException.validation("permissions",
                    "permissions must be a non-empty array of read, write, delete, analytics, admin");
        }
        Set<Permission> out = EnumSet.noneOf(Permission.class);
        for (JsonNode p : node) {
            Optional<Permission> parsed = p.isTextual() ? Permission.parse(p.textValue()) : Optional.empty();
            out.add(parsed.orElseThrow(() -> ApiException.validation("permissions",
                    "unknown permission " + p + "; use read, write, delete, analytics, admin")));
        }
        return out;
    }

    private void list(Context ctx, ApiKey caller) {
        Json.ok(ctx, keys.list(caller.workspaceId()).stream().map(this::view).toList());
    }

    private void revoke(Context ctx, ApiKey caller) {
        ApiKey revoked = keys.revoke(caller.workspaceId(), ctx.pathParam("id"))
                .orElseThrow(() -> ApiException.notFound("API key not found"));
        Json.ok(ctx, view(revoked));
    }

    private Map<String, Object> view(ApiKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("name", k.name());
        m.put("key_prefix", k.prefix());
        m.put("permissions", k.permissions().stream().sorted().map(Permission::label).toList());
        m.put("workspace_id", k.workspaceId());
        m.put("created_at", Timestamps.format(k.createdAt()));
        m.put("expires_at", Timestamps.formatNullable(k.expiresAt()));
        m.put("revoked_at", Timestamps.formatNullable(k.revokedAt()));
        m.put("status", k.revokedAt() != null ? "revoked" : k.isUsableAt(clock.millis()) ? "active" : "expired");
        return m;
    }
}
