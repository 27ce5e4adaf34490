package dev.linkpulse.dashboard;

import dev.linkpulse.http.Routes;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The dashboard: a single-page app at {@code /dashboard} (every path below it serves the same
 * page, the app routes itself) and its files under {@code /assets}. The files are read from the
 * classpath once at start: a fixed list, so no request path ever reaches the file system.
 */
public final class Dashboard implements Routes {

    /** Scripts and styles only from this server; no inline code, no framing, no referrer onward. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** Our own assets; each feature's dashboard view is a file of its own. */
    private static final List<String> OWN_FILES = List.of("app.js", "api.js", "charts.js", "views.js", "app.css", "favicon.svg",
            "integrations.js", // MCP and client configuration (issue 19)
            "qr.js",           // QR codes (issue 15)
            "smartlinks.js",   // smart links (issue 17)
            "webhooks.js",     // webhooks (issue 18)
            "campaigns.js");   // campaigns, tags and domains (issue 16)

    private record Asset(byte[] body, String contentType) {}

    private final byte[] page;
    private final Map<String, Asset> assets = new HashMap<>();

    public Dashboard() {
        this.page = read("public/dashboard/index.html");
        for (String name : OWN_FILES) {
            assets.put(name, new Asset(read("public/assets/" + name), contentType(name)));
        }
        String uplot = "META-INF/resources/webjars/uplot/" + webjarVersion("uplot") + "/dist/";
        assets.put("vendor/uPlot.iife.min.js", new Asset(read(uplot + "uPlot.iife.min.js"), contentType(".js")));
        assets.put("vendor/uPlot.min.css", new Asset(read(uplot + "uPlot.min.css"), contentType(".css")));
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/dashboard", this::page);
        routes.get("/dashboard/<path>", this::page);
        routes.get("/assets/<path>", this::asset);
    }

    private void page(Context ctx) {
        hardening(ctx);
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType("text/html; charset=utf-8").result(page);
    }

    private void asset(Context ctx) {
        Asset a = assets.get(ctx.pathParam("path"));
        hardening(ctx);
        if (a == null) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("Not found");
            return;
        }
        // Revalidated each time: a new version of the server must not meet an old script.
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(a.contentType()).result(a.body());
    }

    private static void hardening(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
    }

    private static String contentType(String name) {
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        throw new IllegalArgumentException("no content type for " + name);
    }

    private static String webjarVersion(String artifact) {
        Properties p = new Properties();
        try (InputStream in = open("META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static byte[] read(String resource) {
        try (InputStream in = open(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String resource) {
        InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("missing from the jar: " + resource);
        }
        return in;
    }
}
