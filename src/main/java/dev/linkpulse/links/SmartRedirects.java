package dev.linkpulse.links;

import java.util.Map;

/**
 * The redirect of a smart link (issue 17: targeting rules, click limits, passwords, A/B tests),
 * implemented by smartlinks. Only links whose cached form says {@code smart} get here; every other
 * link keeps the plain path. The request and the answer are plain data, so that the fast path
 * (Jetty) and the Javalin route answer smart links alike.
 */
public interface SmartRedirects {

    /** What smartlinks needs of a link to answer its redirect. */
    record Target(String id, String workspaceId, String code, String destination, boolean dynamic,
            boolean trackingEnabled, boolean forwardQuery) {}

    /** What a smart redirect reads of its request; {@code click} is false for HEAD (no click is recorded). */
    record Visitor(boolean click, String rawQuery, String peer, String xForwardedFor, String forwarded, String userAgent,
            String acceptLanguage, String referer) {}

    /**
     * A redirect ({@code location} set) or a page ({@code html} set), with the headers it needs beyond
     * those. A redirect that is a click carries {@code click}, which records it, and, when it took
     * one from the link's click limit, {@code giveBack}, which returns it: whoever sends the answer
     * runs one of them once the write has succeeded ({@link #delivered}) or failed ({@link #undelivered}).
     */
    record Answer(int status, String location, String html, Map<String, String> headers, Runnable click, Runnable giveBack) {

        public static Answer redirect(String location, Runnable click, Runnable giveBack) {
            return new Answer(302, location, null, Map.of(), click, giveBack);
        }

        public static Answer page(int status, String html, Map<String, String> headers) {
            return new Answer(status, null, html, headers, null, null);
        }

        /** Whether the sender must report how the write went. */
        public boolean awaitsDelivery() {
            return click != null || giveBack != null;
        }

        /** Records the click this answer is, if it is one; call once the answer has been written. */
        public void delivered() {
            if (click != null) {
                click.run();
            }
        }

        /** The visitor never got the redirect (and will ask again): no click, and the limit's unit back. */
        public void undelivered() {
            if (giveBack != null) {
                giveBack.run();
            }
        }
    }

    /** Answers a GET or HEAD for {@code link}, which is enabled and not expired. */
    Answer answer(Target link, Visitor visitor, long now);
}
