package dev.linkpulse.links;

import java.util.Locale;
import java.util.Set;

/** First path segments that belong to the service itself and are never short codes. */
public final class ReservedPaths {

    private static final Set<String> RESERVED = Set.of(
            "api", "dashboard", "assets", "static", "public", "health", "healthz", "metrics", "favicon.ico",
            "robots.txt", "sitemap.xml", "manifest.json", "login", "logout", "signin", "signup", "admin",
            "settings", "docs", "openapi.json", "webjars", ".well-known", "mcp");

    private ReservedPaths() {}

    public static boolean isReserved(String segment) {
        return RESERVED.contains(segment.toLowerCase(Locale.ROOT));
    }
}
