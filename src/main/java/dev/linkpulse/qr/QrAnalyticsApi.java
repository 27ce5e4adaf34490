package dev.linkpulse.qr;

import dev.linkpulse.analytics.AnalyticsApi;
import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickFilter;
import dev.linkpulse.clicks.Trigger;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.clicks.rollups.ClickAggregates;
import dev.linkpulse.common.Timestamps;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.Json;
import dev.linkpulse.http.QueryParams;
import dev.linkpulse.http.Routes;
import dev.linkpulse.keys.ApiKey;
import dev.linkpulse.keys.Permission;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/qranalytics} (spec §6.3, issue 15): scans of the workspace's tracked QR codes.
 * recent and top-performers are QR-shaped; the rest are the link analytics answers, computed by
 * {@link AnalyticsApi} with the trigger fixed to {@code qr}.
 */
public final class QrAnalyticsApi implements Routes {

    private final AnalyticsApi analytics;
    private final ClickAggregates aggregates;
    private final ClickStore clicks;
    private final QrService qr;
    private final Auth auth;

    public QrAnalyticsApi(AnalyticsApi analytics, ClickAggregates aggregates, ClickStore clicks, QrService qr, Auth auth) {
        this.analytics = analytics;
        this.aggregates = aggregates;
        this.clicks = clicks;
        this.qr = qr;
        this.auth = auth;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        String base = "/api/v1/qranalytics/";
        routes.get(base + "recent", auth.require(Permission.ANALYTICS, this::recent));
        routes.get(base + "top-performers", auth.require(Permission.ANALYTICS, this::topPerformers));
        for (String answer : AnalyticsApi.SCAN_ANSWERS) {
            routes.get(base + answer, auth.require(Permission.ANALYTICS, (ctx, key) -> analytics.scans(answer, ctx, key)));
        }
    }

    /** The newest scans (every traffic class, as the click log shows them), newest first. */
    private void recent(Context ctx, ApiKey key) {
        int limit = (int) QueryParams.integer(ctx, "limit", 10, 1, 100);
        List<Click> page = clicks.page(ClickFilter.of(key.workspaceId()).withTrigger(Trigger.QR), limit, 0, Optional.empty());
        Map<String, QrCode> codes = qr.byIds(key.workspaceId(), page.stream().map(Click::qrCodeId).toList());
        Set<String> unique = clicks.firstOfDay(page);
        List<Map<String, Object>> rows = new ArrayList<>(page.size());
        for (Click c : page) {
            QrCode code = codes.get(c.qrCodeId());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", c.id());
            row.put("qr_code_id", c.qrCodeId());
            row.put("qr_code_name", code == null ? null : code.name());
            row.put("scanned_at", Timestamps.format(c.clickedAt()));
            row.put("is_unique", unique.contains(c.id()));
            row.put("content_type", code == null ? null : code.contentType());
            row.put("country", c.country());
            row.put("country_code", c.country());
            row.put("city", c.city());
            row.put("device_type", c.deviceType());
            row.put("browser", c.browser());
            row.put("os", c.os());
            row.put("referrer", c.referrer());
            rows.add(row);
        }
        Json.ok(ctx, rows);
    }

    /** The codes with the most scans under the request's filters (humans unless {@code traffic} says otherwise). */
    private void topPerformers(Context ctx, ApiKey key) {
        int limit = (int) QueryParams.integer(ctx, "limit", 10, 1, 100);
        ClickFilter f = analytics.scanFilter(ctx, key);
        long total = aggregates.count(f).clicks();
        List<ClickAggregates.Group> groups = aggregates.groupBy(f, List.of("qr_code_id"), limit);
        Map<String, QrCode> codes = qr.byIds(key.workspaceId(), groups.stream().map(g -> g.values().get(0)).toList());
        List<Map<String, Object>> rows = new ArrayList<>(groups.size());
        for (ClickAggregates.Group g : groups) {
            QrCode code = codes.get(g.values().get(0));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("qr_code_id", g.values().get(0));
            row.put("name", code == null ? null : code.name());
            row.put("content_type", code == null ? null : code.contentType());
            row.put("short_url_id", code == null ? null : code.shortUrlId());
            row.put("scans", g.clicks());
            row.put("unique_scans", g.uniques());
            row.put("percentage", total == 0 ? 0 : Math.round(g.clicks() * 1000.0 / total) / 10.0);
            rows.add(row);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("data", rows);
        data.put("total_scans", total);
        Json.ok(ctx, data);
    }
}
