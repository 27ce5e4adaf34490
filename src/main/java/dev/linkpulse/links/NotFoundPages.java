package dev.linkpulse.links;

import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Json;
import io.javalin.http.Context;

/** The answers for codes that do not redirect: a small HTML page, or the JSON envelope when asked. */
public final class NotFoundPages {

    private static final String NOT_FOUND_HTML = page("Link not found",
            "This short link does not exist. Check that it was copied completely.");
    private static final String GONE_HTML = page("Link expired",
            "This short link has expired and no longer redirects.");

    private NotFoundPages() {}

    public static void notFound(Context ctx) {
        answer(ctx, 404, new ApiException(404, "NOT_FOUND", "Short URL not found", null), NOT_FOUND_HTML);
    }

    static void gone(Context ctx) {
        answer(ctx, 410, new ApiException(410, "GONE", "Short URL has expired", null), GONE_HTML);
    }

    private static void answer(Context ctx, int status, ApiException error, String html) {
        ctx.header("Cache-Control", "private, no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains("application/json") && !accept.contains("text/html")) {
            Json.error(ctx, error);
        } else {
            ctx.status(status).contentType("text/html; charset=utf-8").result(html);
        }
    }

    private static String page(String title, String message) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title>
                <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2328}</style>
                </head><body><h1>%s</h1><p>%s</p></body></html>
                """.formatted(title, title, message);
    }
}
