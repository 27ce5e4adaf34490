package dev.linkpulse.http;

import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /health} (spec §2): 200 when the store answers ({@code status} "ok", or "degraded"
 * while clicks cannot be written to the store or to the journal), 503 when it does not.
 */
public final class HealthApi implements Routes {

    private final BooleanSupplier storeReachable;
    private final Supplier<Map<String, Object>> details;

    public HealthApi(BooleanSupplier storeReachable, Supplier<Map<String, Object>> details) {
        this.storeReachable = storeReachable;
        this.details = details;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/health", ctx -> {
            boolean up = storeReachable.getAsBoolean();
            Map<String, Object> detail = details.get();
            // Degraded: the store answers reads but clicks cannot be written to it or to the journal.
            boolean degraded = Boolean.TRUE.equals(detail.get("storage_failing")) || Boolean.TRUE.equals(detail.get("journal_failing"));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", !up ? "unavailable" : degraded ? "degraded" : "ok");
            body.putAll(detail);
            ctx.header("Cache-Control", "no-store");
            Json.write(ctx, up ? 200 : 503, body);
        });
    }
}
