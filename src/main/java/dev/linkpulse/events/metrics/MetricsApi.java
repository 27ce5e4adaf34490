package dev.linkpulse.events.metrics;

import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Json;
import dev.linkpulse.http.Routes;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /metrics} in the Prometheus text format, behind {@code LINKPULSE_METRICS_TOKEN}
 * (as a Bearer token) when one is set; and the count of HTTP requests by route and status.
 */
public final class MetricsApi implements Routes {

    private final Metrics metrics;
    private final Optional<byte[]> token;
    private final ConcurrentHashMap<String, Counter> requests = new ConcurrentHashMap<>();

    public MetricsApi(Metrics metrics, Optional<String> token) {
        this.metrics = metrics;
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/metrics", this::scrape);
        // Requests Javalin answers (the redirect fast path counts its own): labelled by the route's
        // pattern, never the raw path, so the label set stays as small as the route table.
        routes.after(ctx -> {
            var endpoint = ctx.endpoints().matchedHttpEndpoint();
            String route = endpoint == null ? "unmatched" : endpoint.path;
            String method = ctx.method().name();
            int status = ctx.statusCode();
            String key = method + ' ' + route + ' ' + status;
            requests.computeIfAbsent(key, k -> Counter.builder("linkpulse.http.requests")
                    .description("HTTP requests answered by the API, dashboard and slow redirect path")
                    .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                    .register(metrics.registry())).increment();
        });
    }

    private void scrape(Context ctx) {
        if (token.isPresent()) {
            String header = ctx.header("Authorization");
            byte[] given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? header.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
            if (!MessageDigest.isEqual(given, token.get())) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"metrics\"");
                Json.error(ctx, new ApiException(401, "UNAUTHORIZED", "A valid metrics token is required", null));
                return;
            }
        }
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }
}
