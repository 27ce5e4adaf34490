package dev.linkpulse.links;

import dev.linkpulse.clicks.ClickEvent;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.ClickRecorder;
import dev.linkpulse.clicks.Utm;
import dev.linkpulse.http.ClientIp;
import dev.linkpulse.http.Routes;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code GET|HEAD /{code}} (spec §2): looks the code up in the cache, answers the redirect, and
 * hands the click to the recorder without waiting for it to be stored. No I/O beyond a cache miss.
 */
public final class RedirectHandler implements Routes {

    private static final int MAX_CODE_LENGTH = 64;

    private final LinkService links;
    private final ClickRecorder recorder;
    private final ClientIp clientIp;
    private final Clock clock;
    private final ClickIds clickIds = new ClickIds();

    public RedirectHandler(LinkService links, ClickRecorder recorder, ClientIp clientIp, Clock clock) {
        this.links = links;
        this.recorder = recorder;
        this.clientIp = clientIp;
        this.clock = clock;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/{code}", this::redirect);
        routes.head("/{code}", this::redirect);
    }

    private void redirect(Context ctx) {
        String code = ctx.pathParam("code");
        Optional<ShortUrl> found = isCodeShaped(code) && !ReservedPaths.isReserved(code)
                ? links.forRedirect(code) : Optional.empty();
        if (found.isEmpty() || found.get().disabled()) {
            NotFoundPages.notFound(ctx);
            return;
        }
        ShortUrl link = found.get();
        long now = clock.millis();
        if (link.isExpiredAt(now)) {
            NotFoundPages.gone(ctx);
            return;
        }
        String query = link.forwardQuery() ? ctx.queryString() : null;
        String location = query == null || query.isEmpty() ? link.originalUrl() : withQuery(link.originalUrl(), query);
        ctx.status(link.dynamic() ? 302 : 301)
                .header("Location", location)
                .header("Cache-Control", "private, no-store");
        if (link.trackingEnabled() && ctx.method() != HandlerType.HEAD) {
            record(ctx, link, location, now);
        }
    }

    private void record(Context ctx, ShortUrl link, String location, long now) {
        var id = clickIds.next(now);
        String ip = clientIp.resolve(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"), ctx.header("Forwarded"));
        Utm utm = ctx.queryString() == null ? Utm.NONE : new Utm(
                cut(ctx.queryParam("utm_source"), ClickEvent.MAX_UTM),
                cut(ctx.queryParam("utm_medium"), ClickEvent.MAX_UTM),
                cut(ctx.queryParam("utm_campaign"), ClickEvent.MAX_UTM),
                cut(ctx.queryParam("utm_term"), ClickEvent.MAX_UTM),
                cut(ctx.queryParam("utm_content"), ClickEvent.MAX_UTM));
        recorder.offer(new ClickEvent(id.toString(), now, link.id(), link.workspaceId(), location, ip,
                cut(ctx.header("User-Agent"), ClickEvent.MAX_USER_AGENT),
                cut(ctx.header("Referer"), ClickEvent.MAX_REFERRER), utm));
    }

    /** Appends the request's query to the destination's own, before any fragment. */
    static String withQuery(String destination, String query) {
        int hash = destination.indexOf('#');
        String base = hash < 0 ? destination : destination.substring(0, hash);
        String fragment = hash < 0 ? "" : destination.substring(hash);
        char joiner = base.indexOf('?') < 0 ? '?' : (base.endsWith("?") || base.endsWith("&") ? 0 : '&');
        return joiner == 0 ? base + query + fragment : base + joiner + query + fragment;
    }

    private static boolean isCodeShaped(String code) {
        if (code.isEmpty() || code.length() > MAX_CODE_LENGTH) {
            return false;
        }
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static String cut(String value, int max) {
        if (value == null) {
            return null;
        }
        String s = value.length() > max ? value.substring(0, max) : value;
        return stripControls(s);
    }

    /** Control characters never reach the log: they have no meaning in these fields. */
    private static String stripControls(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                StringBuilder out = new StringBuilder(s.length());
                for (int j = 0; j < s.length(); j++) {
                    char d = s.charAt(j);
                    if (d >= 0x20 && d != 0x7f) {
                        out.append(d);
                    }
                }
                return out.toString();
            }
        }
        return s;
    }
}
