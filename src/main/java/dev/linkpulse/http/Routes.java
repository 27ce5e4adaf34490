package dev.linkpulse.http;

import io.javalin.router.JavalinDefaultRoutingApi;

/** A feature's HTTP endpoints; each feature registers its own. */
@FunctionalInterface
public interface Routes {
    void register(JavalinDefaultRoutingApi routes);
}
