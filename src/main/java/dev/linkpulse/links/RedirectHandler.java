package dev.linkpulse.links;

import dev.linkpulse.http.Routes;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.Optional;

/**
 * {@code GET|HEAD /{code}} through Javalin (spec §2). Most redirects are answered earlier, by
 * {@link RedirectFastPath}; this route answers what the fast path passes on: unknown, disabled and
 * expired codes, with their pages.
 */
public final class RedirectHandler implements Routes {

    private final Redirects redirects;

    public RedirectHandler(Redirects redirects) {
        this.redirects = redirects;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/{code}", this::redirect);
        routes.head("/{code}", this::redirect);
    }

    private void redirect(Context ctx) {
        long now = redirects.now();
        String code = ctx.pathParam("code");
        String host = ctx.req().getServerName();
        Optional<Redirects.Redirect> found = redirects.find(host, code, ctx.queryString(), now);
        if (found.isEmpty()) {
            if (redirects.isExpired(host, code, now)) {
                redirects.counted(410);
                NotFoundPages.gone(ctx);
            } else {
                redirects.counted(404);
                NotFoundPages.notFound(ctx);
            }
            return;
        }
        Redirects.Redirect r = found.get();
        if (r.link().smart()) { // smart links (issue 17)
            SmartRedirects.Answer answer = redirects.answerSmart(r, new SmartRedirects.Visitor(ctx.method() != HandlerType.HEAD,
                    ctx.queryString(), ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"), ctx.header("Forwarded"),
                    ctx.header("User-Agent"), ctx.header("Accept-Language"), ctx.header("Referer")), now);
            if (answer != null) {
                answer.headers().forEach(ctx::header);
                ctx.status(answer.status()).header("Cache-Control", "private, no-store");
                if (answer.location() != null) {
                    ctx.header("Location", answer.location());
                    // Through Javalin the response is written after this returns: recorded now, as before.
                    answer.delivered();
                } else {
                    ctx.contentType("text/html; charset=utf-8").result(answer.html());
                }
                return;
            }
        }
        redirects.counted(r.status());
        ctx.status(r.status()).header("Location", r.location()).header("Cache-Control", "private, no-store");
        if (ctx.method() != HandlerType.HEAD) {
            redirects.record(r, now, ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"), ctx.header("Forwarded"),
                    ctx.header("User-Agent"), ctx.header("Referer"), ctx.queryString());
        }
    }
}
