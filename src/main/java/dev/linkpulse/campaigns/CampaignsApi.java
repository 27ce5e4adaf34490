package dev.linkpulse.campaigns;

import dev.linkpulse.analytics.AnalyticsApi;
import dev.linkpulse.common.Timestamps;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.Json;
import dev.linkpulse.http.QueryParams;
import dev.linkpulse.http.Routes;
import dev.linkpulse.keys.ApiKey;
import dev.linkpulse.keys.Permission;
import dev.linkpulse.links.LinkListParams;
import dev.linkpulse.links.ShortUrl;
import dev.linkpulse.links.ShortUrlApi;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code /api/v1/campaigns} (spec §6.4): campaigns by id or URL-encoded name, their links and analytics. */
public final class CampaignsApi implements Routes {

    private static final String BASE = "/api/v1/campaigns";

    private final CampaignService campaigns;
    private final ShortUrlApi shortUrls;
    private final AnalyticsApi analytics;
    private final Auth auth;

    public CampaignsApi(CampaignService campaigns, ShortUrlApi shortUrls, AnalyticsApi analytics, Auth auth) {
        this.campaigns = campaigns;
        this.shortUrls = shortUrls;
        this.analytics = analytics;
        this.auth = auth;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get(BASE, auth.require(Permission.READ, this::list));
        routes.post(BASE, auth.require(Permission.WRITE, this::create));
        routes.get(BASE + "/{id}", auth.require(Permission.READ, this::get));
        routes.put(BASE + "/{id}", auth.require(Permission.WRITE, this::update));
        routes.patch(BASE + "/{id}", auth.require(Permission.WRITE, this::update));
        routes.delete(BASE + "/{id}", auth.require(Permission.DELETE, this::delete));
        routes.get(BASE + "/{id}/urls", auth.require(Permission.READ, this::urls));
        routes.post(BASE + "/{id}/urls/{shortUrlId}", auth.require(Permission.WRITE, this::addUrl));
        routes.delete(BASE + "/{id}/urls/{shortUrlId}", auth.require(Permission.WRITE, this::removeUrl));
        routes.get(BASE + "/{id}/analytics", auth.require(Permission.ANALYTICS, this::analytics));
    }

    private Campaign find(Context ctx, ApiKey key) {
        return campaigns.resolve(key.workspaceId(), ctx.pathParam("id"))
                .orElseThrow(() -> ApiException.notFound("Campaign not found"));
    }

    private void list(Context ctx, ApiKey key) {
        int page = (int) QueryParams.integer(ctx, "page", 1, 1, 1_000_000);
        int limit = (int) QueryParams.integer(ctx, "limit", 20, 1, 100);
        Optional<Campaign.Status> status = Optional.ofNullable(QueryParams.single(ctx, "status")).map(s -> switch (s) {
            case "active" -> Campaign.Status.ACTIVE;
            case "scheduled" -> Campaign.Status.SCHEDULED;
            case "ended" -> Campaign.Status.ENDED;
            case "archived" -> Campaign.Status.ARCHIVED;
            default -> throw ApiException.validation("status", "status must be one of: active, scheduled, ended, archived");
        });
        Optional<String> search = Optional.ofNullable(QueryParams.single(ctx, "search")).filter(s -> !s.isEmpty());
        if (search.isPresent() && (search.get().length() > 200 || search.get().chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            throw ApiException.validation("search", "search must be at most 200 printable characters");
        }
        Optional<Long> from = QueryParams.date(ctx, "start_date", "startDate", false);
        Optional<Long> before = QueryParams.date(ctx, "end_date", "endDate", true);
        String range = QueryParams.single(ctx, "range");
        if (range != null) {
            Optional<Duration> span = switch (range) {
                case "24h" -> Optional.of(Duration.ofHours(24));
                case "7d" -> Optional.of(Duration.ofDays(7));
                case "30d" -> Optional.of(Duration.ofDays(30));
                case "90d" -> Optional.of(Duration.ofDays(90));
                case "1y" -> Optional.of(Duration.ofDays(365));
                case "all" -> Optional.empty();
                default -> throw ApiException.validation("range", "range must be one of: 24h, 7d, 30d, 90d, 1y, all");
            };
            if (span.isPresent() && from.isEmpty()) {
                from = Optional.of(campaigns.now() - span.get().toMillis());
            }
        }
        if (from.isPresent() && before.isPresent() && from.get() >= before.get()) {
            throw ApiException.validation("end_date", "end_date must be after start_date");
        }
        CampaignStore.Page result = campaigns.list(key.workspaceId(),
                new CampaignStore.ListQuery(page, limit, status, search, from, before));
        long now = campaigns.now();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("page", page);
        meta.put("limit", limit);
        meta.put("total", result.total());
        meta.put("total_pages", (result.total() + limit - 1) / limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("data", campaigns.counted(key.workspaceId(), result.items()).stream().map(c -> view(c, now)).toList());
        body.put("meta", meta);
        Json.write(ctx, 200, body);
    }

    private void create(Context ctx, ApiKey key) {
        Campaign c = campaigns.create(key.workspaceId(), CampaignInput.parse(Json.objectBody(ctx), true));
        Json.ok(ctx, 201, view(new CampaignService.Counted(c, 0, 0), campaigns.now()));
    }

    private void get(Context ctx, ApiKey key) {
        Json.ok(ctx, counted(find(ctx, key)));
    }

    private void update(Context ctx, ApiKey key) {
        Campaign current = find(ctx, key);
        Campaign updated = campaigns.update(current, CampaignInput.parse(Json.objectBody(ctx), false));
        Json.ok(ctx, counted(updated));
    }

    private void delete(Context ctx, ApiKey key) {
        campaigns.delete(find(ctx, key));
        Json.ok(ctx, Map.of("message", "Campaign deleted successfully; its links were kept"));
    }

    private void urls(Context ctx, ApiKey key) {
        Campaign c = find(ctx, key);
        Json.write(ctx, 200, shortUrls.listBody(key.workspaceId(), LinkListParams.parse(ctx).inCampaign(c.id())));
    }

    private void addUrl(Context ctx, ApiKey key) {
        dev.linkpulse.http.BodyFields.none(ctx);
        Campaign c = find(ctx, key);
        ShortUrl link = shortUrls.find(key.workspaceId(), ctx.pathParam("shortUrlId"));
        Json.ok(ctx, shortUrls.render(campaigns.add(c, link)));
    }

    private void removeUrl(Context ctx, ApiKey key) {
        Campaign c = find(ctx, key);
        ShortUrl link = shortUrls.find(key.workspaceId(), ctx.pathParam("shortUrlId"));
        campaigns.remove(c, link);
        Json.ok(ctx, Map.of("message", "Short URL removed from the campaign"));
    }

    private void analytics(Context ctx, ApiKey key) {
        Campaign c = find(ctx, key);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("campaign_id", c.id());
        data.put("campaign_name", c.name());
        data.putAll(analytics.ofLinks(ctx, key, campaigns.linkIds(c)));
        Json.ok(ctx, data);
    }

    private Map<String, Object> counted(Campaign c) {
        return view(campaigns.counted(c.workspaceId(), List.of(c)).get(0), campaigns.now());
    }

    static Map<String, Object> view(CampaignService.Counted counted, long now) {
        Campaign c = counted.campaign();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("name", c.name());
        m.put("description", c.description());
        m.put("status", c.statusAt(now).name().toLowerCase(Locale.ROOT));
        m.put("start_date", Timestamps.formatNullable(c.startDate()));
        // Stored exclusive; shown as the campaign's last moment, as the analytics filters echo an end date.
        m.put("end_date", c.endDate() == null ? null : Timestamps.format(c.endDate() - 1));
        m.put("tags", c.tags());
        m.put("url_count", counted.urlCount());
        m.put("total_clicks", counted.totalClicks());
        m.put("created_at", Timestamps.format(c.createdAt()));
        m.put("updated_at", Timestamps.format(c.updatedAt()));
        return m;
    }
}
