package dev.linkpulse.http;

import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /health} (spec §2): 200 when the store answers ({@code status} "ok", or "degraded"
 * while a part of the click pipeline fails), 503 when it does not.
 */
public final class HealthApi implements Routes {

    /**
     * What the rest of the server reports: {@code degraded} while a part of the click pipeline fails
     * (storage, journal, enrichment, geolocation, rollups, retention: App.health); {@code details}
     * shown as they are.
     */
    public record Report(boolean degraded, Map<String, Object> details) {}

    private final BooleanSupplier storeReachable;
    private final Supplier<Report> report;

    public HealthApi(BooleanSupplier storeReachable, Supplier<Report> report) {
        this.storeReachable = storeReachable;
        this.report = report;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/health", ctx -> {
            boolean up = storeReachable.getAsBoolean();
            Report r = report.get();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", !up ? "unavailable" : r.degraded() ? "degraded" : "ok");
            body.putAll(r.details());
            ctx.header("Cache-Control", "no-store");
            Json.write(ctx, up ? 200 : 503, body);
        });
    }
}
