package dev.linkpulse.links;

import dev.linkpulse.clicks.ClickStore;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.Json;
import dev.linkpulse.http.Routes;
import dev.linkpulse.keys.ApiKey;
import dev.linkpulse.keys.Permission;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Clock;
import java.util.List;

/** {@code /api/v1/short-urls} (spec §3). */
public final class ShortUrlApi implements Routes {

    private final LinkService links;
    private final ClickStore clicks;
    private final Auth auth;
    private final ShortUrlInput input;
    private final String baseUrl;
    private final Clock clock;

    public ShortUrlApi(LinkService links, ClickStore clicks, Auth auth, String baseUrl, Clock clock) {
        this.links = links;
        this.clicks = clicks;
        this.auth = auth;
        this.input = new ShortUrlInput(new DestinationRules(baseUrl));
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.post("/api/v1/short-urls", auth.require(Permission.WRITE, this::create));
        routes.get("/api/v1/short-urls/{id}", auth.require(Permission.READ, this::get));
    }

    private void create(Context ctx, ApiKey key) {
        NewShortUrl request = input.parseCreate(dev.linkpulse.http.Json.objectBody(ctx), clock.millis());
        ShortUrl created = links.create(key.workspaceId(), request);
        Json.ok(ctx, 201, ShortUrlView.of(created, baseUrl, 0));
    }

    private void get(Context ctx, ApiKey key) {
        ShortUrl link = links.resolve(key.workspaceId(), ctx.pathParam("id"))
                .orElseThrow(() -> ApiException.notFound("Short URL not found"));
        long human = clicks.humanClicks(List.of(link.id())).getOrDefault(link.id(), 0L);
        Json.ok(ctx, ShortUrlView.of(link, baseUrl, human));
    }
}
