package dev.linkpulse.smartlinks;

import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.enrich.GeoLocator;
import dev.linkpulse.enrich.UserAgentClassifier;
import dev.linkpulse.enrich.VisitorHasher;
import dev.linkpulse.http.Routes;
import dev.linkpulse.links.NotFoundPages;
import dev.linkpulse.links.Redirects;
import dev.linkpulse.links.SmartRedirects;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.util.Map;

/**
 * The redirect of a link with targeting rules, a click limit or a password. A password-protected
 * link first gets a form whose POST (to the short URL itself) checks the password. A click past the limit goes to the
 * fallback (or gets 410); otherwise the first matching rule picks the destination, else the link's
 * own. The answer is always 302: it depends on who asks, and a browser must not keep a 301.
 */
public final class SmartRedirect implements SmartRedirects, Routes {

    private static final String GONE_HTML = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Link no longer available</title>
            <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2328}</style>
            </head><body><h1>Link no longer available</h1><p>This short link has reached its click limit.</p></body></html>
            """;

    private static final Answer GONE = Answer.page(410, GONE_HTML, Map.of());

    private final SmartLinks smart;
    private final Redirects redirects;
    private final UserAgentClassifier userAgents;
    private final GeoLocator geo;
    private final GuessLimiter guesses = new GuessLimiter();
    private final VisitorHasher visitors;

    public SmartRedirect(SmartLinks smart, Redirects redirects, UserAgentClassifier userAgents, GeoLocator geo,
            VisitorHasher visitors) {
        this.visitors = visitors;
        this.smart = smart;
        this.redirects = redirects;
        this.userAgents = userAgents;
        this.geo = geo;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.post("/{code}", this::unlock);
    }

    @Override
    public Answer answer(Target link, Visitor visitor, long now) {
        SmartSettings s = smart.settings(link.id());
        if (s != null && s.passwordHash() != null) {
            // No click until the password is given: the form's POST records it.
            return PasswordPage.form(200, link.code(), visitor.rawQuery(), null);
        }
        return proceed(link, s, visitor, now);
    }

    /** The password form's POST: checks the password (guesses limited per IP and link) and redirects on success. */
    private void unlock(Context ctx) {
        long now = smart.now();
        Target link = redirects.smartTarget(ctx.req().getServerName(), ctx.pathParam("code"), now);
        SmartSettings s = link == null ? null : smart.settings(link.id());
        if (s == null || s.passwordHash() == null) {
            NotFoundPages.notFound(ctx);
            return;
        }
        Visitor visitor = new Visitor(true, ctx.queryString(), ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"),
                ctx.header("Forwarded"), ctx.header("User-Agent"), ctx.header("Accept-Language"), ctx.header("Referer"));
        String ip = redirects.clientIp(visitor.peer(), visitor.xForwardedFor(), visitor.forwarded());
        String guesser = ip == null ? "unknown" : ip;
        long blocked = guesses.blockedForSeconds(guesser, link.id());
        Answer answer;
        if (blocked > 0) {
            ctx.header("Retry-After", Long.toString(blocked));
            answer = PasswordPage.form(429, link.code(), visitor.rawQuery(),
                    "Too many wrong passwords. Try again in " + ((blocked + 59) / 60) + " minutes.");
        } else if (!Passwords.matches(isForm(ctx) ? ctx.formParam("password") : null, s.passwordHash())) {
            guesses.wrongGuess(guesser, link.id());
            answer = PasswordPage.form(401, link.code(), visitor.rawQuery(), "Wrong password.");
        } else {
            answer = proceed(link, s, visitor, now);
        }
        redirects.counted(answer.status());
        answer.headers().forEach(ctx::header);
        ctx.header("Cache-Control", "private, no-store");
        if (answer.location() != null) {
            ctx.status(answer.status()).header("Location", answer.location());
            // Written here rather than after this returns, so that the click is recorded only once
            // the visitor has the redirect, as on the fast path: a lost answer is no click, and a
            // limited link gets its unit back.
            ctx.res().setContentLength(0);
            boolean written = false;
            try {
                ctx.res().flushBuffer();
                written = true;
            } catch (IOException gone) {
                return;
            } finally {
                if (!written) {
                    answer.undelivered();
                }
            }
            answer.delivered();
        } else {
            ctx.status(answer.status()).contentType("text/html; charset=utf-8").result(answer.html());
        }
    }

    private static boolean isForm(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /** Applies the click limit and the rules, answers 302 (or 410) and records a click unless it is a HEAD. */
    private Answer proceed(Target link, SmartSettings s, Visitor in, long now) {
        boolean click = in.click();
        // A tracked QR code's scan (issue 15): its marker is stripped here too, never forwarded.
        boolean qrScan = Redirects.hasQrMarker(in.rawQuery());
        String rawQuery = Redirects.withoutQrMarker(in.rawQuery());
        String userAgent = in.userAgent();
        Visit visit = new Visit(userAgents, geo, userAgent, redirects.clientIp(in.peer(), in.xForwardedFor(), in.forwarded()),
                in.acceptLanguage(), rawQuery, now);
        String destination = link.destination();
        Integer matched = null;
        String variant = null;
        boolean overLimit = false;
        boolean consumed = false;
        if (s != null && s.limited()) {
            // Only human clicks use up the limit: HEAD is no click, robots and link previews are not people.
            boolean human = click && visit.device().trafficClass() == TrafficClass.HUMAN;
            consumed = human && smart.consume(s);
            overLimit = human ? !consumed : s.exhausted().get();
        }
        if (overLimit) {
            if (s.fallbackUrl() == null) {
                return GONE;
            }
            destination = s.fallbackUrl();
        } else if (s != null) {
            // A matching targeting rule wins; the visitors no rule takes are split by the running A/B test.
            int i = s.rules().isEmpty() ? -1 : RuleMatcher.firstMatch(s.rules(), visit);
            if (i >= 0) {
                destination = s.rules().get(i).destinationUrl();
                matched = i;
            } else if (s.testId() != null && !s.variants().isEmpty()) {
                // The visitor hash the click itself gets (same IP, user agent and day): sticky for the day.
                String ip = visit.clientIp;
                String visitor = visitors.hashIfSaltAtHand(ip, userAgent, now).orElseGet(() -> visitors.hash(ip, userAgent, now));
                AbTest.Variant v = s.variants().get(VariantPicker.pick(visitor, s.testId(), s.variants()));
                destination = v.destinationUrl();
                variant = v.id();
            }
        }
        String location = link.forwardQuery() ? Redirects.destinationWithQuery(destination, rawQuery) : destination;
        String clickId = redirects.newClickId(now);
        if (s != null && s.conversionTracking() && link.trackingEnabled() && click) {
            location = Redirects.destinationWithQuery(location, "lp_click_id=" + clickId);
        }
        if (!click) {
            return Answer.redirect(location, null, null);
        }
        String to = location;
        Integer rule = matched;
        String shown = variant;
        return Answer.redirect(to, () -> redirects.recordSmart(link, clickId, to, rule, shown, now, in.peer(), in.xForwardedFor(),
                in.forwarded(), userAgent, in.referer(), rawQuery, qrScan), consumed ? () -> smart.giveBack(s) : null);
    }
}
