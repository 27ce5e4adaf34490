package dev.linkpulse.http;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;

/**
 * A feature that needs more of Jetty than Javalin routes: a servlet of its own (the MCP SDK's
 * transport is one) or a connector. {@link HttpServer} calls these while it builds the server.
 */
public interface JettyRoutes extends Routes {

    /** Adds connectors or listeners to the server. */
    default void configureServer(Server server) {}

    /** Adds servlets to the context Javalin's own servlet lives in (an exact path mapping wins over Javalin's {@code /*}). */
    default void configureContext(ServletContextHandler context) {}

    /** The endpoints those servlets serve, as "METHOD /path" (they are not Javalin routes). */
    default java.util.List<String> servletEndpoints() {
        return java.util.List.of();
    }
}
