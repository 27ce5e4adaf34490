package dev.linkpulse.smartlinks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.Json;
import dev.linkpulse.http.QueryParams;
import dev.linkpulse.http.Routes;
import dev.linkpulse.keys.ApiKey;
import dev.linkpulse.keys.Permission;
import dev.linkpulse.links.DestinationRules;
import dev.linkpulse.links.LinkService;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/** {@code /api/v1/url-ab-tests} (spec §6.6), with jmpy's shapes: {@code data: {test, message}}. */
public final class AbTestApi implements Routes {

    private final AbTests tests;
    private final AbTestInput input;
    private final Auth auth;

    public AbTestApi(Jdbi jdbi, LinkService links, SmartLinks smart, Auth auth, String baseUrl, Clock clock) {
        this.tests = new AbTests(jdbi, links, smart, clock);
        this.input = new AbTestInput(new DestinationRules(baseUrl));
        this.auth = auth;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.post("/api/v1/url-ab-tests", auth.require(Permission.WRITE, this::create));
        routes.get("/api/v1/url-ab-tests", auth.require(Permission.READ, this::list));
        routes.get("/api/v1/url-ab-tests/{id}", auth.require(Permission.READ, this::get));
        routes.post("/api/v1/url-ab-tests/{id}/start", auth.require(Permission.WRITE, this::start));
        routes.post("/api/v1/url-ab-tests/{id}/pause", auth.require(Permission.WRITE, this::pause));
        routes.post("/api/v1/url-ab-tests/{id}/complete", auth.require(Permission.WRITE, this::complete));
        routes.get("/api/v1/url-ab-tests/{id}/results", auth.require(Permission.ANALYTICS, this::results));
    }

    private static void answer(Context ctx, int status, AbTest t, String message) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("test", AbTests.view(t));
        data.put("message", message);
        Json.ok(ctx, status, data);
    }

    private void create(Context ctx, ApiKey key) {
        AbTest t = tests.create(key.workspaceId(), input.parse(Json.objectBody(ctx)));
        answer(ctx, 201, t, "A/B test created");
    }

    private void list(Context ctx, ApiKey key) {
        long page = QueryParams.integer(ctx, "page", 1, 1, 1_000_000);
        long limit = QueryParams.integer(ctx, "limit", 20, 1, 100);
        Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("page", page);
        pagination.put("limit", limit);
        pagination.put("total", tests.count(key.workspaceId()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tests", tests.page(key.workspaceId(), (int) limit, (int) ((page - 1) * limit)).stream().map(AbTests::view).toList());
        data.put("pagination", pagination);
        Json.ok(ctx, data);
    }

    private AbTest find(Context ctx, ApiKey key) {
        return tests.find(key.workspaceId(), ctx.pathParam("id"));
    }

    private void get(Context ctx, ApiKey key) {
        answer(ctx, 200, find(ctx, key), "A/B test retrieved");
    }

    private void start(Context ctx, ApiKey key) {
        dev.linkpulse.http.BodyFields.none(ctx);
        answer(ctx, 200, tests.start(find(ctx, key)), "A/B test started");
    }

    private void pause(Context ctx, ApiKey key) {
        dev.linkpulse.http.BodyFields.none(ctx);
        answer(ctx, 200, tests.pause(find(ctx, key)), "A/B test paused");
    }

    private void complete(Context ctx, ApiKey key) {
        AbTest t = find(ctx, key);
        Optional<String> winner = Optional.empty();
        if (ctx.contentLength() > 0) { // the body is optional
            JsonNode body = RulesInput.onlyFields(Json.objectBody(ctx), "", Set.of("winner_variant_id"));
            JsonNode w = body.get("winner_variant_id");
            if (w != null && !w.isNull()) {
                if (!w.isTextual()) {
                    throw ApiException.validation("winner_variant_id", "winner_variant_id must be a string");
                }
                winner = Optional.of(w.textValue());
            }
        }
        answer(ctx, 200, tests.complete(t, winner), "A/B test completed");
    }

    private void results(Context ctx, ApiKey key) {
        Json.ok(ctx, tests.results(find(ctx, key)));
    }
}
