package dev.linkpulse.smartlinks;

import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.enrich.GeoLocator;
import dev.linkpulse.enrich.UserAgentClassifier;
import dev.linkpulse.links.Redirects;
import dev.linkpulse.links.SmartRedirects;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * The redirect of a link with targeting rules or a click limit. A click past the limit goes to the
 * fallback (or gets 410); otherwise the first matching rule picks the destination, else the link's
 * own. The answer is always 302: it depends on who asks, and a browser must not keep a 301.
 */
public final class SmartRedirect implements SmartRedirects {

    private static final String GONE_HTML = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Link no longer available</title>
            <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2328}</style>
            </head><body><h1>Link no longer available</h1><p>This short link has reached its click limit.</p></body></html>
            """;

    private final SmartLinks smart;
    private final Redirects redirects;
    private final UserAgentClassifier userAgents;
    private final GeoLocator geo;

    public SmartRedirect(SmartLinks smart, Redirects redirects, UserAgentClassifier userAgents, GeoLocator geo) {
        this.smart = smart;
        this.redirects = redirects;
        this.userAgents = userAgents;
        this.geo = geo;
    }

    @Override
    public void answer(Context ctx, Target link, long now) {
        boolean get = ctx.method() != HandlerType.HEAD;
        String rawQuery = ctx.queryString();
        String peer = ctx.req().getRemoteAddr();
        String xff = ctx.header("X-Forwarded-For");
        String forwarded = ctx.header("Forwarded");
        String userAgent = ctx.header("User-Agent");
        SmartSettings s = smart.settings(link.id());
        Visit visit = new Visit(userAgents, geo, userAgent, redirects.clientIp(peer, xff, forwarded),
                ctx.header("Accept-Language"), rawQuery, now);
        String destination = link.destination();
        Integer matched = null;
        boolean overLimit = false;
        if (s != null && s.limited()) {
            // Only human GETs use up the limit: HEAD is no click, robots and link previews are not people.
            boolean human = get && visit.device().trafficClass() == TrafficClass.HUMAN;
            overLimit = human ? !smart.consume(s) : s.exhausted().get();
        }
        if (overLimit) {
            if (s.fallbackUrl() == null) {
                ctx.header("Cache-Control", "private, no-store");
                ctx.status(410).contentType("text/html; charset=utf-8").result(GONE_HTML);
                return;
            }
            destination = s.fallbackUrl();
        } else if (s != null && !s.rules().isEmpty()) {
            int i = RuleMatcher.firstMatch(s.rules(), visit);
            if (i >= 0) {
                destination = s.rules().get(i).destinationUrl();
                matched = i;
            }
        }
        String location = link.forwardQuery() ? Redirects.destinationWithQuery(destination, rawQuery) : destination;
        ctx.status(302).header("Location", location).header("Cache-Control", "private, no-store");
        if (get) {
            redirects.recordSmart(link, redirects.newClickId(now), location, matched, now, peer, xff, forwarded, userAgent,
                    ctx.header("Referer"), rawQuery);
        }
    }
}
