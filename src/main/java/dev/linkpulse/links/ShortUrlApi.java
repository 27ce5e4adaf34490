package dev.linkpulse.links;

import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.common.Timestamps;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.Json;
import dev.linkpulse.http.QueryParams;
import dev.linkpulse.http.Routes;
import dev.linkpulse.keys.ApiKey;
import dev.linkpulse.keys.Permission;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/short-urls} (spec §3). */
public final class ShortUrlApi implements Routes {

    private final LinkService links;
    private final ClickStore clicks;
    private final Auth auth;
    private ShortUrlInput input;
    private final String baseUrl;
    private final Clock clock;
    private ShortUrlExtension extension = ShortUrlExtension.NONE;

    public ShortUrlApi(LinkService links, ClickStore clicks, Auth auth, String baseUrl, Clock clock) {
        this.links = links;
        this.clicks = clicks;
        this.auth = auth;
        this.input = new ShortUrlInput(new DestinationRules(baseUrl), Hosts.baseHost(baseUrl));
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    private LinkQrImages qrImages;

    /** Lets a single create answer with its link's QR image when asked ({@code qr_code: true}, issue 19). */
    public ShortUrlApi qrImages(LinkQrImages images) {
        this.qrImages = images;
        return this;
    }

    /** Adds a feature's fields to create, update and the object shown (smart links, issue 17). */
    public ShortUrlApi extend(ShortUrlExtension extension) {
        this.extension = extension;
        this.input = new ShortUrlInput(new DestinationRules(baseUrl), Hosts.baseHost(baseUrl), extension.fieldNames());
        return this;
    }

    private Map<String, Object> view(ShortUrl link, long humanClicks) {
        return view(link, humanClicks, links.tagsOf(List.of(link.id())).getOrDefault(link.id(), List.of()));
    }

    private Map<String, Object> view(ShortUrl link, long humanClicks, List<String> tags) {
        Map<String, Object> view = ShortUrlView.of(link, baseUrl, humanClicks, tags);
        extension.addFields(link, view);
        return view;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.post("/api/v1/short-urls", auth.require(Permission.WRITE, this::create));
        routes.get("/api/v1/short-urls", auth.require(Permission.READ, this::list));
        routes.get("/api/v1/short-urls/check-alias", auth.require(Permission.READ, this::checkAlias));
        routes.get("/api/v1/short-urls/{id}", auth.require(Permission.READ, this::get));
        routes.put("/api/v1/short-urls/{id}", auth.require(Permission.WRITE, this::update));
        routes.patch("/api/v1/short-urls/{id}", auth.require(Permission.WRITE, this::update));
        routes.delete("/api/v1/short-urls/{id}", auth.require(Permission.DELETE, this::delete));
        routes.get("/api/v1/tags", auth.require(Permission.READ, this::tags));
    }

    private void create(Context ctx, ApiKey key) {
        com.fasterxml.jackson.databind.JsonNode body = Json.objectBody(ctx);
        ShortUrlInput.Create request = qrImages == null
                ? new ShortUrlInput.Create(input.parseCreate(body, clock.millis()), java.util.Optional.empty())
                : input.parseSingleCreate(body, clock.millis());
        ShortUrlExtension.Change extra = extension.parse(input.canonicalCreate(body), null);
        ShortUrl created = links.create(key.workspaceId(), request.link());
        extra.applyTo(created);
        Map<String, Object> view = view(links.resolve(key.workspaceId(), created.id()).orElse(created), 0);
        // jmpy.me's qrCode: the answer carries the new link's QR image.
        request.qrFormat().ifPresent(format -> view.put("qr_code", qrImages.dataUrl((String) view.get("short_url"), format)));
        Json.ok(ctx, 201, view);
    }

    private void list(Context ctx, ApiKey key) {
        Json.write(ctx, 200, listBody(key.workspaceId(), LinkListParams.parse(ctx)));
    }

    /** The body of a link list (spec §3): {@code data.shortUrls}, {@code data.pagination} and a top-level copy. */
    public Map<String, Object> listBody(String workspaceId, LinkListQuery query) {
        LinkStore.PageOf<LinkStore.Counted> page = links.list(workspaceId, query);
        Map<String, List<String>> tags = links.tagsOf(page.items().stream().map(c -> c.link().id()).toList());
        Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("page", query.page());
        pagination.put("limit", query.limit());
        pagination.put("total", page.total());
        pagination.put("total_pages", (page.total() + query.limit() - 1) / query.limit());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("shortUrls", page.items().stream()
                .map(c -> view(c.link(), c.humanClicks(), tags.getOrDefault(c.link().id(), List.of()))).toList());
        data.put("pagination", pagination);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("data", data);
        body.put("pagination", pagination);
        return body;
    }

    /** (ext) {@code GET /api/v1/tags}: the workspace's tags with their link counts, most used first. */
    private void tags(Context ctx, ApiKey key) {
        List<Map<String, Object>> rows = links.tagCounts(key.workspaceId()).stream().map(e -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("tag", e.getKey());
            row.put("link_count", e.getValue());
            return row;
        }).toList();
        Json.ok(ctx, rows);
    }

    private void checkAlias(Context ctx, ApiKey key) {
        String alias = QueryParams.single(ctx, "alias");
        if (alias == null || alias.isEmpty()) {
            throw ApiException.validation("alias", "alias is required");
        }
        if (alias.length() > 200 || alias.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.validation("alias", "alias must be 3 to 50 characters of letters, digits, '-' and '_'");
        }
        String problem = null;
        try {
            ShortUrlInput.checkAlias(alias);
        } catch (ApiException e) {
            problem = e.getMessage();
        }
        // The host: domain=<host>, or url_type with subdomain / branded_domain, as a create body says it.
        com.fasterxml.jackson.databind.node.ObjectNode where = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (String p : new String[] {"domain", "url_type", "subdomain", "branded_domain"}) {
            String v = QueryParams.single(ctx, p);
            if (v != null && !v.isEmpty()) {
                if (v.length() > 253 || v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw ApiException.validation(p, p + " must be a host name");
                }
                where.put(p, v);
            }
        }
        ShortUrlInput.Placement placement = input.placement(where);
        boolean available = problem == null && links.isAliasAvailable(placement.domain(), alias);
        ShortUrl probe = new ShortUrl("", key.workspaceId(), alias, true, "", null, true, false, true, false, null, null, 0, 0,
                placement.urlType(), placement.domain());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("available", available);
        data.put("alias", alias);
        data.put("url_type", placement.urlType());
        data.put("full_url", problem == null ? ShortUrlView.shortUrl(probe, baseUrl) : null);
        data.put("message", available ? "Alias is available"
                : problem != null ? problem.replace("custom_alias", "alias") : "Alias is already in use or reserved");
        Json.ok(ctx, data);
    }

    /** The workspace's link named by a path value (UUID, code or alias), or a 404. */
    public ShortUrl find(String workspaceId, String idOrCode) {
        return links.resolve(workspaceId, idOrCode).orElseThrow(() -> ApiException.notFound("Short URL not found"));
    }

    /** A link as the API shows it, with its clicks and tags. */
    public Map<String, Object> render(ShortUrl link) {
        return view(link, humanClicks(link));
    }

    private ShortUrl find(Context ctx, ApiKey key) {
        return links.resolve(key.workspaceId(), ctx.pathParam("id"))
                .orElseThrow(() -> ApiException.notFound("Short URL not found"));
    }

    private void get(Context ctx, ApiKey key) {
        ShortUrl link = find(ctx, key);
        Json.ok(ctx, view(link, humanClicks(link)));
    }

    private void update(Context ctx, ApiKey key) {
        ShortUrl link = find(ctx, key);
        com.fasterxml.jackson.databind.JsonNode body = Json.objectBody(ctx);
        LinkUpdate change = input.parseUpdate(body, clock.millis());
        ShortUrlExtension.Change extra = extension.parse(input.canonicalUpdate(body), link);
        ShortUrl updated = links.update(link, change);
        extra.applyTo(updated);
        Json.ok(ctx, view(links.resolve(key.workspaceId(), updated.id()).orElse(updated), humanClicks(updated)));
    }

    private void delete(Context ctx, ApiKey key) {
        links.delete(find(ctx, key));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("data", Map.of("message", "Short URL deleted successfully"));
        body.put("timestamp", Timestamps.format(clock.millis()));
        Json.write(ctx, 200, body);
    }

    private long humanClicks(ShortUrl link) {
        return clicks.humanClicks(List.of(link.id())).getOrDefault(link.id(), 0L);
    }
}
