package dev.linkpulse.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.BooleanSupplier;
import dev.linkpulse.store.SqlErrors;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP server: Javalin on Jetty with virtual threads, the error envelope, and every feature's routes. */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final Javalin javalin;
    private final List<String> servletEndpoints;

    /**
     * @param front a Jetty handler that sees every request before Javalin does and passes on what
     *              it does not answer (the redirect fast path)
     */
    public HttpServer(int port, java.time.Duration idleTimeout, Auth auth, BooleanSupplier storeReachable,
            org.eclipse.jetty.server.Handler.Wrapper front, List<Routes> features) {
        this.servletEndpoints = features.stream().filter(f -> f instanceof JettyRoutes)
                .flatMap(f -> ((JettyRoutes) f).servletEndpoints().stream()).toList();
        this.javalin = Javalin.create(config -> {
            // Javalin attaches its servlet context inside the wrapper it finds on the server.
            config.jetty.modifyServer(server -> {
                server.setHandler(front);
                server.setErrorHandler(new JsonErrorHandler());
                // Slow or stalled clients (half-sent headers or bodies) lose their connection; the
                // connector exists only once the server starts, so the timeout is set then.
                server.addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
                    @Override
                    public void lifeCycleStarting(org.eclipse.jetty.util.component.LifeCycle event) {
                        for (var connector : server.getConnectors()) {
                            if (connector instanceof org.eclipse.jetty.server.AbstractConnector c) {
                                c.setIdleTimeout(idleTimeout.toMillis());
                            }
                        }
                    }
                });
            });
            config.jetty.port = port;
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = Json.MAX_BODY_BYTES;
            config.jetty.multipartConfig.maxFileSize(6, io.javalin.config.SizeUnit.MB);
            config.jetty.multipartConfig.maxTotalRequestSize(7, io.javalin.config.SizeUnit.MB);
            // Long referrers and user agents are cut when stored, but the request must get through first.
            config.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(16 * 1024);
                http.setIdleTimeout(idleTimeout.toMillis());
            });
            config.routes.exception(ApiException.class, (e, ctx) -> Json.error(ctx, e));
            config.routes.exception(JdbiException.class, (e, ctx) -> {
                if (SqlErrors.isUnavailable(e) || !storeReachable.getAsBoolean()) {
                    LOG.warn("Store unavailable on {} {}: {}", ctx.method(), ctx.path(), e.toString());
                    Json.error(ctx, new ApiException(503, "SERVICE_UNAVAILABLE", "Storage is unavailable; retry later", null));
                } else {
                    internalError(e, ctx);
                }
            });
            config.routes.exception(Exception.class, HttpServer::internalError);
            // API answers hold private data: never cached, never sniffed, never leaking the URL onward.
            // (Redirects get none of this: Referrer-Policy there would strip the referrer destinations see.)
            config.routes.before("/api/*", ctx -> {
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Referrer-Policy", "no-referrer");
                ctx.header("Cache-Control", "no-store");
            });
            features.forEach(f -> f.register(config.routes));
            for (Routes f : features) {
                if (f instanceof JettyRoutes jetty) {
                    config.jetty.modifyServer(jetty::configureServer);
                    config.jetty.modifyServletContextHandler(jetty::configureContext);
                }
            }
            // Anything under /api that no feature claimed: the envelope, not Jetty's page.
            for (var method : List.of(io.javalin.http.HandlerType.GET, io.javalin.http.HandlerType.POST,
                    io.javalin.http.HandlerType.PUT, io.javalin.http.HandlerType.PATCH, io.javalin.http.HandlerType.DELETE)) {
                config.routes.addHttpHandler(method, "/api/*", ctx -> {
                    auth.limitAnonymous(ctx, RateLimits.EndpointClass.READ);
                    throw ApiException.notFound("No such endpoint: " + ctx.method() + " " + ctx.path());
                });
            }
        });
    }

    private static void internalError(Exception e, Context ctx) {
        // The path only: a query string may hold an api_key.
        LOG.error("Unhandled error on {} {}", ctx.method(), ctx.path(), e);
        Json.error(ctx, new ApiException(500, "INTERNAL_ERROR", "Internal error", null));
    }

    public HttpServer start() {
        javalin.start();
        return this;
    }

    public int port() {
        return javalin.port();
    }

    public List<String> endpoints() {
        return java.util.stream.Stream.concat(javalin.unsafe.internalRouter.allHttpHandlers().stream()
                .map(e -> e.endpoint.method.name() + " " + e.endpoint.path), servletEndpoints.stream())
                .toList();
    }

    @Override
    public void close() {
        javalin.stop();
    }
}
