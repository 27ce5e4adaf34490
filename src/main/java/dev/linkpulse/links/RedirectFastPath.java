package dev.linkpulse.links;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Answers redirects straight from Jetty, in front of Javalin's servlet and router: profiling showed
 * routing (regular expressions over every route) as the largest cost of a redirect. Anything that
 * is not a redirect to send — other paths, unknown or expired codes — goes on to Javalin.
 */
public final class RedirectFastPath extends Handler.Wrapper {

    // Header fields the same on every redirect: made (and encoded) once, not per response.
    private static final HttpField CACHE_CONTROL = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "private, no-store");

    private final Redirects redirects;
    /** Redirects written whose click is not recorded yet: a stop waits for them (see {@link #doStop}). */
    private final LongAdder delivering = new LongAdder();

    public RedirectFastPath(Redirects redirects) {
        this.redirects = redirects;
    }

    /**
     * Jetty stops handlers after its connectors, and the recorder closes after Jetty: a click whose
     * redirect is already on its way to the visitor must reach the recorder before that, or it would
     * be answered and never stored.
     */
    @Override
    protected void doStop() throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
        try {
            while (delivering.sum() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        } finally {
            super.doStop();
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        boolean get = HttpMethod.GET.is(method);
        if (get || HttpMethod.HEAD.is(method)) {
            String path = Request.getPathInContext(request);
            // "/abc/" is "/abc", as the router would answer it: here too, so its click is recorded on delivery.
            int end = path.indexOf('/', 1);
            if (end < 0) {
                end = path.length();
            }
            if (end > 1 && end >= path.length() - 1) {
                String rawQuery = request.getHttpURI().getQuery();
                long now = redirects.now();
                // The Host matters only once a subdomain or branded domain exists (issue 16).
                String host = redirects.hostMatters() ? Request.getServerName(request) : null;
                Optional<Redirects.Redirect> found = redirects.find(host, path.substring(1, end), rawQuery, now);
                if (found.isPresent()) {
                    Redirects.Redirect r = found.get();
                    if (r.link().smart() && answeredSmart(r, get, rawQuery, now, request, response, callback)) {
                        return true;
                    }
                    response.setStatus(r.status());
                    redirects.counted(r.status());
                    response.getHeaders().put(HttpHeader.LOCATION, r.location());
                    response.getHeaders().put(CACHE_CONTROL);
                    response.getHeaders().put(HttpFields.CONTENT_LENGTH_0);
                    if (get) {
                        response.write(true, BufferUtil.EMPTY_BUFFER, new ClickOnDelivery(r, now, rawQuery, request, callback));
                    } else {
                        callback.succeeded();
                    }
                    return true;
                }
            }
        }
        return super.handle(request, response, callback);
    }

    /**
     * A smart link's answer (issue 17): rules, A/B test, limits or the password form; false when
     * there is none and the plain redirect applies. Out of line so that {@link #handle}, which every
     * redirect runs, stays small enough for the JIT to inline what it calls.
     */
    private boolean answeredSmart(Redirects.Redirect r, boolean get, String rawQuery, long now, Request request,
            Response response, Callback callback) {
        var headers = request.getHeaders();
        SmartRedirects.Answer answer = redirects.answerSmart(r, new SmartRedirects.Visitor(get, rawQuery,
                Request.getRemoteAddr(request), headers.get(HttpHeader.X_FORWARDED_FOR), headers.get(HttpHeader.FORWARDED),
                headers.get(HttpHeader.USER_AGENT), headers.get(HttpHeader.ACCEPT_LANGUAGE), headers.get(HttpHeader.REFERER)),
                now);
        if (answer == null) {
            return false;
        }
        send(answer, get, response, callback);
        return true;
    }

    private void send(SmartRedirects.Answer answer, boolean get, Response response, Callback callback) {
        response.setStatus(answer.status());
        var out = response.getHeaders();
        answer.headers().forEach(out::put);
        out.put(CACHE_CONTROL);
        if (answer.location() != null) {
            out.put(HttpHeader.LOCATION, answer.location());
            out.put(HttpFields.CONTENT_LENGTH_0);
            if (!answer.awaitsDelivery()) {
                callback.succeeded();
            } else {
                response.write(true, BufferUtil.EMPTY_BUFFER, new AnswerOnDelivery(answer, callback));
            }
            return;
        }
        byte[] html = answer.html().getBytes(StandardCharsets.UTF_8);
        out.put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        out.put(HttpHeader.CONTENT_LENGTH, html.length);
        response.write(true, get ? ByteBuffer.wrap(html) : BufferUtil.EMPTY_BUFFER, callback);
    }

    /**
     * What a written redirect does once the write has succeeded or failed. Counted in
     * {@link #delivering} from creation (just before the write) until then, so a stop waits for it.
     */
    private abstract class OnDelivery implements Callback {
        private final Callback done;

        OnDelivery(Callback done) {
            this.done = done;
            delivering.increment();
        }

        abstract void delivered();

        void undelivered() {}

        @Override
        public final void succeeded() {
            try {
                delivered();
            } finally {
                delivering.decrement();
                done.succeeded();
            }
        }

        @Override
        public final void failed(Throwable x) {
            try {
                undelivered();
            } finally {
                delivering.decrement();
                done.failed(x);
            }
        }
    }

    /**
     * Records the click once the redirect is written, not before: when the connection closes first
     * (the idle timeout closing it as a kept-alive request arrives), the visitor never got the
     * redirect and its browser sends the request again, which must not count twice.
     */
    private final class ClickOnDelivery extends OnDelivery {
        private final Redirects.Redirect redirect;
        private final long now;
        private final String rawQuery;
        private final Request request;

        ClickOnDelivery(Redirects.Redirect redirect, long now, String rawQuery, Request request, Callback done) {
            super(done);
            this.redirect = redirect;
            this.now = now;
            this.rawQuery = rawQuery;
            this.request = request;
        }

        @Override
        void delivered() {
            var headers = request.getHeaders();
            redirects.record(redirect, now, Request.getRemoteAddr(request), headers.get(HttpHeader.X_FORWARDED_FOR),
                    headers.get(HttpHeader.FORWARDED), headers.get(HttpHeader.USER_AGENT), headers.get(HttpHeader.REFERER), rawQuery);
        }
    }

    /** A smart link's answer: its click once written, its click-limit unit back if the write fails. */
    private final class AnswerOnDelivery extends OnDelivery {
        private final SmartRedirects.Answer answer;

        AnswerOnDelivery(SmartRedirects.Answer answer, Callback done) {
            super(done);
            this.answer = answer;
        }

        @Override
        void delivered() {
            answer.delivered();
        }

        @Override
        void undelivered() {
            answer.undelivered();
        }
    }
}
