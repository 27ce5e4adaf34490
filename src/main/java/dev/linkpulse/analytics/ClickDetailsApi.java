package dev.linkpulse.analytics;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickStore;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.Json;
import dev.linkpulse.http.QueryParams;
import dev.linkpulse.http.Routes;
import dev.linkpulse.keys.ApiKey;
import dev.linkpulse.keys.Permission;
import dev.linkpulse.links.LinkService;
import dev.linkpulse.links.ShortUrl;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code GET /api/v1/analytics/click-details[/:shortUrlId]}: the click log (spec §4.1). */
public final class ClickDetailsApi implements Routes {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;

    private final LinkService links;
    private final ClickStore clicks;
    private final Auth auth;

    public ClickDetailsApi(LinkService links, ClickStore clicks, Auth auth) {
        this.links = links;
        this.clicks = clicks;
        this.auth = auth;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/api/v1/analytics/click-details", auth.require(Permission.ANALYTICS, this::ofWorkspace));
        routes.get("/api/v1/analytics/click-details/{shortUrlId}", auth.require(Permission.ANALYTICS, this::ofLink));
    }

    private record Paging(int limit, long offset) {
        static Paging of(Context ctx) {
            int limit = (int) QueryParams.integer(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
            long offset = QueryParams.integer(ctx, "offset", 0, 0, Long.MAX_VALUE);
            return new Paging(limit, offset);
        }
    }

    private void ofWorkspace(Context ctx, ApiKey key) {
        Paging paging = Paging.of(ctx);
        List<Click> page = clicks.pageOfWorkspace(key.workspaceId(), paging.limit(), paging.offset());
        Map<String, String> codes = links.codesOf(page.stream().map(Click::linkId).collect(Collectors.toSet()));
        render(ctx, page, codes, paging, clicks.countOfWorkspace(key.workspaceId()));
    }

    private void ofLink(Context ctx, ApiKey key) {
        Paging paging = Paging.of(ctx);
        ShortUrl link = links.resolve(key.workspaceId(), ctx.pathParam("shortUrlId"))
                .orElseThrow(() -> ApiException.notFound("Short URL not found"));
        List<Click> page = clicks.pageOfLink(link.id(), paging.limit(), paging.offset());
        render(ctx, page, Map.of(link.id(), link.shortCode()), paging, clicks.countOfLink(link.id()));
    }

    private static void render(Context ctx, List<Click> page, Map<String, String> codes, Paging paging, long total) {
        Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("limit", paging.limit());
        pagination.put("offset", paging.offset());
        pagination.put("total", total);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("data", page.stream().map(c -> ClickRecordView.of(c, codes.get(c.linkId()))).toList());
        data.put("pagination", pagination);
        Json.ok(ctx, data);
    }
}
