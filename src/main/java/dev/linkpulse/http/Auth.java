package dev.linkpulse.http;

import dev.linkpulse.keys.ApiKey;
import dev.linkpulse.keys.KeyService;
import dev.linkpulse.keys.Permission;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Map;
import java.util.Optional;

/**
 * API-key authentication (spec §1): {@code Authorization: Bearer <key>} or the legacy
 * {@code ?api_key=}. Handlers are wrapped with the permission they need, are rate limited per key
 * and endpoint class, and receive the key. Requests without a usable key are limited per client IP.
 */
public final class Auth {

    /** A handler that runs for an authenticated key. */
    @FunctionalInterface
    public interface KeyHandler {
        void handle(Context ctx, ApiKey key) throws Exception;
    }

    private final KeyService keys;
    private final RateLimiter rateLimiter;
    private final ClientIp clientIp;

    public Auth(KeyService keys, RateLimiter rateLimiter, ClientIp clientIp) {
        this.keys = keys;
        this.rateLimiter = rateLimiter;
        this.clientIp = clientIp;
    }

    public Handler require(Permission permission, KeyHandler handler) {
        RateLimits.EndpointClass endpointClass = classOf(permission);
        return ctx -> {
            ApiKey key;
            try {
                key = authenticate(ctx);
            } catch (ApiException e) {
                limitAnonymous(ctx, endpointClass);
                throw e;
            }
            rateLimiter.consume(ctx, "key:" + key.id(), endpointClass);
            if (!key.can(permission)) {
                throw new ApiException(403, "FORBIDDEN", "This API key lacks the '" + permission.label() + "' permission",
                        Map.of("required", permission.label()));
            }
            handler.handle(ctx, key);
        };
    }

    /**
     * The key of a request that does not run through Javalin (the MCP servlet): {@code secret} as
     * presented; 401 as {@link #require} answers. Requests without a usable key are limited by IP.
     */
    public ApiKey authenticate(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res,
            Optional<String> secret, RateLimits.EndpointClass endpointClass) {
        try {
            return keys.authenticate(secret.orElseThrow(() -> new ApiException(401, "UNAUTHORIZED", "API key is required", null)))
                    .orElseThrow(() -> new ApiException(401, "INVALID_API_KEY", "The API key is invalid, revoked or expired", null));
        } catch (ApiException e) {
            String ip = clientIp.resolve(req.getRemoteAddr(), req.getHeader("X-Forwarded-For"), req.getHeader("Forwarded"));
            rateLimiter.consume(res::setHeader, "ip:" + ip, endpointClass);
            throw e;
        }
    }

    /** Rate limits a request that has no usable key, by client IP. */
    public void limitAnonymous(Context ctx, RateLimits.EndpointClass endpointClass) {
        String ip = clientIp.resolve(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"), ctx.header("Forwarded"));
        rateLimiter.consume(ctx, "ip:" + ip, endpointClass);
    }

    private static RateLimits.EndpointClass classOf(Permission permission) {
        return switch (permission) {
            case WRITE, DELETE -> RateLimits.EndpointClass.WRITE;
            case READ, ADMIN -> RateLimits.EndpointClass.READ;
            case ANALYTICS -> RateLimits.EndpointClass.ANALYTICS;
        };
    }

    private ApiKey authenticate(Context ctx) {
        String secret = presentedSecret(ctx)
                .orElseThrow(() -> new ApiException(401, "UNAUTHORIZED", "API key is required", null));
        return keys.authenticate(secret)
                .orElseThrow(() -> new ApiException(401, "INVALID_API_KEY", "The API key is invalid, revoked or expired", null));
    }

    private static Optional<String> presentedSecret(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && !header.isBlank()) {
            String h = header.strip();
            if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Optional.of(h.substring(7).strip());
            }
            // Some clients send the bare key; accept it rather than fail obscurely.
            return Optional.of(h);
        }
        String query = ctx.queryParam("api_key");
        return query == null || query.isBlank() ? Optional.empty() : Optional.of(query.strip());
    }
}
