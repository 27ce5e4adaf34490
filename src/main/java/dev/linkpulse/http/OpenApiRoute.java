package dev.linkpulse.http;

import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /api/v1/openapi.json}: the API described in OpenAPI 3.1 (kept true by a test). */
public final class OpenApiRoute implements Routes {

    private final Auth auth;
    private final byte[] document;

    public OpenApiRoute(Auth auth) {
        this.auth = auth;
        try (InputStream in = OpenApiRoute.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json missing from the jar");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/api/v1/openapi.json", ctx -> {
            auth.limitAnonymous(ctx, RateLimits.EndpointClass.READ);
            ctx.contentType("application/json").result(document);
        });
    }
}
