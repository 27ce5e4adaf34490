package dev.linkpulse.smartlinks;

import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.Json;
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

/** {@code GET|PUT /api/v1/short-urls/{id}/rules} (spec §6.9). */
public final class RulesApi implements Routes {

    private final SmartLinks smart;
    private final LinkService links;
    private final Auth auth;

    public RulesApi(SmartLinks smart, LinkService links, Auth auth) {
        this.smart = smart;
        this.links = links;
        this.auth = auth;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/api/v1/short-urls/{id}/rules", auth.require(Permission.READ, this::get));
        routes.put("/api/v1/short-urls/{id}/rules", auth.require(Permission.WRITE, this::put));
    }

    private ShortUrl find(Context ctx, ApiKey key) {
        return links.resolve(key.workspaceId(), ctx.pathParam("id"))
                .orElseThrow(() -> ApiException.notFound("Short URL not found"));
    }

    private void get(Context ctx, ApiKey key) {
        ShortUrl link = find(ctx, key);
        Json.ok(ctx, body(link, smart.rules(link)));
    }

    private void put(Context ctx, ApiKey key) {
        ShortUrl link = find(ctx, key);
        List<Rule> rules = smart.rulesInput.parseBody(Json.objectBody(ctx));
        smart.putRules(link, rules);
        Json.ok(ctx, body(link, rules));
    }

    private static Map<String, Object> body(ShortUrl link, List<Rule> rules) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("short_url_id", link.id());
        data.put("rules", RulesInput.view(rules));
        return data;
    }
}
