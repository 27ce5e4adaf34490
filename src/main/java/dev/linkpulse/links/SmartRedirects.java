package dev.linkpulse.links;

import io.javalin.http.Context;

/**
 * The redirect of a smart link (issue 17: targeting rules, click limits), implemented by smartlinks.
 * Only links whose cached form says {@code smart} get here; every other link keeps the plain path.
 */
public interface SmartRedirects {

    /** What smartlinks needs of a link to answer its redirect. */
    record Target(String id, String workspaceId, String code, String destination, boolean dynamic,
            boolean trackingEnabled, boolean forwardQuery) {}

    /** Answers a GET or HEAD for {@code link}, which is enabled and not expired. */
    void answer(Context ctx, Target link, long now);
}
