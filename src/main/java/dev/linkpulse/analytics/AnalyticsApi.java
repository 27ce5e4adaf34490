package dev.linkpulse.analytics;

import dev.linkpulse.clicks.rollups.ClickAggregates;
import dev.linkpulse.clicks.ClickFilter;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.common.Timestamps;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.Json;
import dev.linkpulse.http.QueryParams;
import dev.linkpulse.http.Routes;
import dev.linkpulse.keys.ApiKey;
import dev.linkpulse.keys.Permission;
import dev.linkpulse.links.LinkService;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The aggregate analytics endpoints of spec §4.2–4.9 (the click log is {@link ClickDetailsApi}). */
public final class AnalyticsApi implements Routes {

    private static final Optional<TrafficClass> HUMANS = Optional.of(TrafficClass.HUMAN);
    private static final List<String> SOURCE_ORDER = List.of("direct", "social", "referral", "email", "search");

    private final LinkService links;
    private final ClickAggregates clicks;
    private final Auth auth;
    private final Clock clock;
    private final Conversions conversions;

    public AnalyticsApi(LinkService links, ClickAggregates clicks, Conversions conversions, Auth auth, Clock clock) {
        this.links = links;
        this.clicks = clicks;
        this.conversions = conversions;
        this.auth = auth;
        this.clock = clock;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        String base = "/api/v1/analytics";
        routes.get(base + "/analytics/{shortUrlId}", auth.require(Permission.ANALYTICS, this::coreMetrics));
        routes.get(base + "/geographic/{shortUrlId}", auth.require(Permission.ANALYTICS, this::geographic));
        routes.get(base + "/referrers", auth.require(Permission.ANALYTICS, this::referrers));
        routes.get(base + "/user-traffic-sources", auth.require(Permission.ANALYTICS, this::trafficSources));
        routes.get(base + "/recent", auth.require(Permission.ANALYTICS, this::recent));
        routes.get(base + "/traffic-quality/{shortUrlId}", auth.require(Permission.ANALYTICS, this::trafficQuality));
        routes.get(base + "/breakdown", auth.require(Permission.ANALYTICS, this::breakdown));
        routes.get(base + "/breakdown/{shortUrlId}", auth.require(Permission.ANALYTICS, this::breakdown));
        routes.get(base + "/timeseries", auth.require(Permission.ANALYTICS, this::timeseries));
        routes.get(base + "/timeseries/{shortUrlId}", auth.require(Permission.ANALYTICS, this::timeseries));
    }

    /** The /qranalytics answers (issue 15) that mirror a link analytics answer. */
    public static final List<String> SCAN_ANSWERS = List.of("overview", "timeline", "geographic", "device", "traffic");

    /**
     * (issue 15) {@code /qranalytics/{answer}}: the workspace's link analytics answer of the same
     * kind for QR scans only (overview = 4.2's core metrics, timeline = 4.9, geographic = 4.3,
     * traffic = 4.5, device = device types, browsers and operating systems). Same code, same
     * filters; the trigger is fixed to {@code qr}.
     */
    public void scans(String answer, Context ctx, ApiKey key) {
        ctx.attribute(AnalyticsParams.FORCED_TRIGGER, dev.linkpulse.clicks.Trigger.QR);
        switch (answer) {
            case "overview" -> coreMetrics(ctx, key);
            case "timeline" -> timeseries(ctx, key);
            case "geographic" -> geographic(ctx, key);
            case "traffic" -> trafficSources(ctx, key);
            case "device" -> devices(ctx, key);
            default -> throw new IllegalArgumentException("not a scan answer: " + answer);
        }
    }

    /** The filter of a /qranalytics request (issue 15): the common filters of spec §4, humans unless asked, scans only. */
    public ClickFilter scanFilter(Context ctx, ApiKey key) {
        ctx.attribute(AnalyticsParams.FORCED_TRIGGER, dev.linkpulse.clicks.Trigger.QR);
        return filter(ctx, key, HUMANS);
    }

    /** Device types, browsers and operating systems of the filter's clicks, most first. */
    private void devices(Context ctx, ApiKey key) {
        ClickFilter f = filter(ctx, key, HUMANS);
        long total = clicks.count(f).clicks();
        Map<String, Object> data = new LinkedHashMap<>();
        for (String by : List.of("device_type", "browser", "os")) {
            data.put(by, topValues(f, by, 100, total));
        }
        data.put("total_clicks", total);
        data.put("filters", echo(f, Map.of()));
        Json.ok(ctx, data);
    }

    /** The most frequent values of one dimension, each with its clicks, uniques and share of {@code total}. */
    private List<Map<String, Object>> topValues(ClickFilter f, String by, int limit, long total) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ClickAggregates.Group g : clicks.groupBy(f, List.of(by), limit)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("value", g.values().get(0));
            row.put("clicks", g.clicks());
            row.put("unique_clicks", g.uniques());
            row.put("percentage", percent(g.clicks(), total, 1));
            rows.add(row);
        }
        return rows;
    }

    private ClickFilter filter(Context ctx, ApiKey key, Optional<TrafficClass> defaultTraffic) {
        return Scope.of(ctx, key, links, defaultTraffic).filter();
    }

    // 4.2
    private void coreMetrics(Context ctx, ApiKey key) {
        String groupBy = groupBy(ctx);
        Json.ok(ctx, core(filter(ctx, key, HUMANS), groupBy));
    }

    private static String groupBy(Context ctx) {
        return Optional.ofNullable(QueryParams.single(ctx, "groupBy"))
                .orElse(Optional.ofNullable(QueryParams.single(ctx, "group_by")).orElse("day"));
    }

    private Map<String, Object> core(ClickFilter f, String groupBy) {
        Buckets buckets = switch (groupBy) {
            case "day" -> Buckets.DAY;
            case "hour" -> Buckets.HOUR;
            default -> throw ApiException.validation("groupBy", "groupBy must be day or hour");
        };
        ClickAggregates.Count total = clicks.count(f);
        ClickAggregates.Visitors visitors = clicks.visitors(f);
        ClickAggregates.Activity activity = clicks.activity(f);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("total_clicks", total.clicks());
        data.put("unique_clicks", total.uniques());
        data.put("new_visitors", total.uniques() - visitors.returning());
        data.put("returning_visitors", visitors.returning());
        data.put("avg_session_duration", Math.round(visitors.averageSessionSeconds() * 10) / 10.0);
        data.put("active_days", activity.days());
        data.put("active_hours", activity.hours());
        data.put("conversions", conversions.of(f).view(total.clicks()));
        data.put("filters", echo(f, Map.of("groupBy", groupBy)));
        data.put("series", series(f, buckets, ZoneId.of("UTC"), "groupBy"));
        return data;
    }

    /**
     * (ext, issue 16) Analytics of a set of links, such as a campaign's: the core metrics of 4.2,
     * the top values of the main breakdowns of 4.8 and the series, under the request's filters
     * (a {@code tags} filter narrows the set further). From the links' rollups, like a workspace's.
     */
    public Map<String, Object> ofLinks(Context ctx, ApiKey key, List<String> linkIds) {
        String groupBy = groupBy(ctx);
        int limit = (int) QueryParams.integer(ctx, "limit", 10, 1, 1_000);
        ClickFilter f = AnalyticsParams.filter(ctx, key.workspaceId(), HUMANS).withLinks(linkIds);
        List<String> tags = dev.linkpulse.links.LinkListParams.tags(ctx);
        if (!tags.isEmpty()) {
            java.util.Set<String> tagged = new java.util.HashSet<>(links.idsMatching(key.workspaceId(), Optional.empty(), "tags", tags));
            f = f.withLinks(linkIds.stream().filter(tagged::contains).toList());
        }
        Map<String, Object> data = core(f, groupBy);
        long total = (Long) data.get("total_clicks");
        Map<String, Object> breakdowns = new LinkedHashMap<>();
        for (String by : List.of("country", "city", "device_type", "browser", "os", "referrer_domain", "source", "utm_source",
                "utm_medium", "utm_campaign")) {
            breakdowns.put(by, topValues(f, by, limit, total));
        }
        data.put("breakdowns", breakdowns);
        data.put("link_count", linkIds.size());
        return data;
    }

    // 4.3
    private void geographic(Context ctx, ApiKey key) {
        ClickFilter f = filter(ctx, key, HUMANS);
        long total = clicks.count(f).clicks();
        List<String> dims = List.of("country", "region", "city");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ClickAggregates.Group g : clicks.groupBy(f, dims, 1_000)) {
            String code = g.values().get(0);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("country", code == null ? null : countryName(code));
            row.put("country_code", code);
            row.put("region", g.values().get(1));
            row.put("city", g.values().get(2));
            row.put("clicks", g.clicks());
            row.put("unique_clicks", g.uniques());
            row.put("percentage", percent(g.clicks(), total, 1));
            rows.add(row);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("data", rows);
        data.put("total_locations", clicks.countGroups(f, dims));
        data.put("total_clicks", total);
        Json.ok(ctx, data);
    }

    private static String countryName(String code) {
        String name = Locale.of("", code).getDisplayCountry(Locale.ENGLISH);
        return name.isEmpty() || name.equals(code) ? code : name;
    }

    // 4.4
    private void referrers(Context ctx, ApiKey key) {
        ClickFilter f = withPresetRange(ctx, filter(ctx, key, HUMANS), this::referrerRange);
        long total = clicks.count(f).clicks();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ClickAggregates.Group g : clicks.groupBy(f, List.of("referrer_domain", "source"), 1_000)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("referrer", g.values().get(0) == null ? "Direct" : g.values().get(0));
            row.put("source_category", g.values().get(1));
            row.put("clicks", g.clicks());
            row.put("unique_visitors", g.uniques());
            row.put("percentage", percent(g.clicks(), total, 1));
            rows.add(row);
        }
        Map<String, ClickAggregates.Group> bySource = sourceGroups(f);
        Map<String, Object> trafficSources = new LinkedHashMap<>();
        trafficSources.put("social", clicksOf(bySource, "social"));
        trafficSources.put("search", clicksOf(bySource, "search"));
        trafficSources.put("direct", clicksOf(bySource, "direct"));
        trafficSources.put("other", clicksOf(bySource, "referral") + clicksOf(bySource, "email"));
        Map<String, Object> categories = new LinkedHashMap<>();
        for (String source : SOURCE_ORDER) {
            ClickAggregates.Group g = bySource.get(source);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("clicks", g == null ? 0 : g.clicks());
            c.put("unique_visitors", g == null ? 0 : g.uniques());
            c.put("percentage", percent(g == null ? 0 : g.clicks(), total, 1));
            categories.put(source, c);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("data", rows);
        data.put("traffic_sources", trafficSources);
        data.put("category_totals", categories);
        data.put("total_clicks", total);
        data.put("filters", echo(f, Map.of()));
        Json.ok(ctx, data);
    }

    private Map<String, ClickAggregates.Group> sourceGroups(ClickFilter f) {
        Map<String, ClickAggregates.Group> out = new LinkedHashMap<>();
        clicks.groupBy(f, List.of("source"), 10).forEach(g -> out.put(g.values().get(0), g));
        return out;
    }

    private static long clicksOf(Map<String, ClickAggregates.Group> groups, String source) {
        ClickAggregates.Group g = groups.get(source);
        return g == null ? 0 : g.clicks();
    }

    /** {@code days} (30, 1–365) or {@code dateRange} (7d|30d|90d|1y|all_time|custom); custom uses the dates. */
    private Optional<Duration> referrerRange(Context ctx) {
        String range = Optional.ofNullable(QueryParams.single(ctx, "dateRange")).orElse(QueryParams.single(ctx, "date_range"));
        if (range != null) {
            return switch (range) {
                case "7d" -> Optional.of(Duration.ofDays(7));
                case "30d" -> Optional.of(Duration.ofDays(30));
                case "90d" -> Optional.of(Duration.ofDays(90));
                case "1y" -> Optional.of(Duration.ofDays(365));
                case "all_time", "custom" -> Optional.empty();
                default -> throw ApiException.validation("dateRange", "dateRange must be one of: 7d, 30d, 90d, 1y, all_time, custom");
            };
        }
        long days = QueryParams.integer(ctx, "days", 30, 1, 365);
        return Optional.of(Duration.ofDays(days));
    }

    /** Applies a preset range unless the request gave dates of its own. */
    private ClickFilter withPresetRange(Context ctx, ClickFilter f, java.util.function.Function<Context, Optional<Duration>> preset) {
        Optional<Duration> span = preset.apply(ctx);
        if (f.from().isPresent() || f.to().isPresent() || span.isEmpty()) {
            return f;
        }
        return f.withRange(Optional.of(clock.millis() - span.get().toMillis()), Optional.empty());
    }

    // 4.5
    private void trafficSources(Context ctx, ApiKey key) {
        ClickFilter f = withPresetRange(ctx, filter(ctx, key, HUMANS), c -> {
            String range = Optional.ofNullable(QueryParams.single(c, "dateRange")).orElse(QueryParams.single(c, "date_range"));
            if (range == null) {
                return Optional.empty();
            }
            return switch (range) {
                case "last_hour" -> Optional.of(Duration.ofHours(1));
                case "last_24_hours" -> Optional.of(Duration.ofHours(24));
                case "last_7_days" -> Optional.of(Duration.ofDays(7));
                case "last_30_days" -> Optional.of(Duration.ofDays(30));
                case "last_year" -> Optional.of(Duration.ofDays(365));
                case "all_time", "custom" -> Optional.empty();
                default -> throw ApiException.validation("dateRange",
                        "dateRange must be one of: last_hour, last_24_hours, last_7_days, last_30_days, last_year, all_time, custom");
            };
        });
        long total = clicks.count(f).clicks();
        Map<String, ClickAggregates.Group> bySource = sourceGroups(f);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String source : SOURCE_ORDER) {
            long n = clicksOf(bySource, source);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("source", Character.toUpperCase(source.charAt(0)) + source.substring(1));
            row.put("clicks", n);
            row.put("percentage", percent(n, total, 1));
            rows.add(row);
        }
        rows.sort(Comparator.comparing((Map<String, Object> r) -> (Long) r.get("clicks")).reversed());
        Json.ok(ctx, rows);
    }

    // 4.6
    private void recent(Context ctx, ApiKey key) {
        int limit = (int) QueryParams.integer(ctx, "limit", 10, 1, 100);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LinkService.Recent r : links.recentlyClicked(key.workspaceId(), limit)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", r.link().id());
            row.put("short_code", r.link().shortCode());
            row.put("name", r.link().name());
            row.put("original_url", r.link().originalUrl());
            row.put("click_count", r.humanClicks());
            row.put("stored_clicks", r.storedClicks());
            row.put("actual_clicks", r.allClicks());
            row.put("created_at", Timestamps.format(r.link().createdAt()));
            row.put("last_clicked_at", Timestamps.formatNullable(r.lastClickedAt()));
            row.put("tracking_enabled", r.link().trackingEnabled());
            rows.add(row);
        }
        Json.ok(ctx, rows);
    }

    // 4.7
    private void trafficQuality(Context ctx, ApiKey key) {
        ClickFilter f = filter(ctx, key, Optional.empty()).withTraffic(Optional.empty());
        Map<String, Long> byClass = new LinkedHashMap<>();
        clicks.groupBy(f, List.of("traffic_class"), 10).forEach(g -> byClass.put(g.values().get(0), g.clicks()));
        long human = byClass.getOrDefault("human", 0L);
        long bot = byClass.getOrDefault("bot", 0L);
        long preview = byClass.getOrDefault("preview", 0L);
        long total = human + bot + preview;
        long suspicious = clicks.suspicious(f.withTraffic(HUMANS));
        double badShare = total == 0 ? 0 : (bot + suspicious) * 100.0 / total;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("human_clicks", human);
        data.put("bot_clicks", bot);
        data.put("preview_clicks", preview);
        data.put("bot_percentage", percent(bot, total, 2));
        data.put("suspicious_clicks", suspicious);
        data.put("traffic_health", badShare < 10 ? "good" : badShare < 30 ? "fair" : "poor");
        Json.ok(ctx, data);
    }

    // 4.8
    private void breakdown(Context ctx, ApiKey key) {
        String by = QueryParams.single(ctx, "by");
        if (by == null || by.isEmpty()) {
            throw ApiException.validation("by", "by is required");
        }
        int limit = (int) QueryParams.integer(ctx, "limit", 50, 1, 1_000);
        ZoneId zone = AnalyticsParams.zone(ctx);
        ClickFilter f = filter(ctx, key, HUMANS);
        long total = clicks.count(f).clicks();
        List<ClickAggregates.Group> groups;
        long values;
        if (by.equals("hour_of_day") || by.equals("day_of_week")) {
            long from = f.from().orElse(0L);
            long to = f.to().orElse(clock.millis() + 1);
            groups = clicks.byLocalTime(f, by.equals("hour_of_day") ? ClickAggregates.LocalUnit.HOUR_OF_DAY
                    : ClickAggregates.LocalUnit.DAY_OF_WEEK, zone, from, to);
            values = groups.size();
            groups = groups.subList(0, Math.min(limit, groups.size()));
        } else if (ClickAggregates.DIMENSIONS.containsKey(by) && !by.equals("traffic_class")) {
            groups = clicks.groupBy(f, List.of(by), limit);
            values = clicks.countGroups(f, List.of(by));
        } else {
            throw ApiException.validation("by", "by must be one of: country, region, city, device_type, browser, os, "
                    + "referrer, referrer_domain, source, utm_source, utm_medium, utm_campaign, utm_term, utm_content, hour_of_day, day_of_week");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ClickAggregates.Group g : groups) {
            Map<String, Object> row = new LinkedHashMap<>();
            String v = g.values().get(0);
            row.put("value", by.equals("hour_of_day") || by.equals("day_of_week") ? Integer.valueOf(v) : v);
            row.put("clicks", g.clicks());
            row.put("unique_clicks", g.uniques());
            row.put("percentage", percent(g.clicks(), total, 1));
            rows.add(row);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("by", by);
        data.put("data", rows);
        data.put("total", total);
        data.put("total_values", values);
        Json.ok(ctx, data);
    }

    // 4.9
    private void timeseries(Context ctx, ApiKey key) {
        String raw = Optional.ofNullable(QueryParams.single(ctx, "interval")).orElse("day");
        Buckets buckets = Buckets.parse(raw).orElseThrow(() ->
                ApiException.validation("interval", "interval must be one of: minute, hour, day, week, month"));
        ZoneId zone = AnalyticsParams.zone(ctx);
        ClickFilter f = filter(ctx, key, HUMANS);
        if (f.from().isEmpty()) {
            long to = f.to().orElse(clock.millis() + 1);
            Duration span = switch (buckets) {
                case MINUTE -> Duration.ofMinutes(60);
                case HOUR -> Duration.ofHours(48);
                case DAY -> Duration.ofDays(30);
                case WEEK -> Duration.ofDays(7 * 12);
                case MONTH -> Duration.ofDays(365);
            };
            // From the start of the bucket holding that moment: whole buckets only, so a day, week or
            // month series in UTC covers whole UTC days and comes from the rollups like any other.
            long from = buckets.floor(java.time.Instant.ofEpochMilli(to - span.toMillis()), zone).toInstant().toEpochMilli();
            f = f.withRange(Optional.of(from), f.to());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("interval", buckets.name().toLowerCase(Locale.ROOT));
        data.put("timezone", zone.getId());
        data.put("data", series(f, buckets, zone, "interval"));
        data.put("filters", echo(f, Map.of()));
        Json.ok(ctx, data);
    }

    /** Zero-filled buckets over the filter's range (or from its first click to now). */
    private List<Map<String, Object>> series(ClickFilter f, Buckets buckets, ZoneId zone, String field) {
        long to = f.to().orElse(clock.millis() + 1);
        long from;
        if (f.from().isPresent()) {
            from = f.from().get();
        } else {
            Optional<Long> earliest = clicks.earliest(f);
            if (earliest.isEmpty()) {
                return List.of();
            }
            from = earliest.get();
        }
        if (from >= to) {
            return List.of();
        }
        List<ZonedDateTime> bounds = buckets.boundaries(from, to, zone).orElseThrow(() -> ApiException.validation(field,
                "the range holds more than " + Buckets.MAX_BUCKETS + " buckets; choose a coarser " + field + " or a shorter range"));
        // Buckets cut the range; the filter's own bounds still hold inside the first and last bucket.
        List<ClickAggregates.Count> counts = clicks.series(f, bounds.stream().map(z -> z.toInstant().toEpochMilli()).toList());
        List<Map<String, Object>> out = new ArrayList<>(counts.size());
        for (int i = 0; i < counts.size(); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("bucket", Timestamps.format(bounds.get(i).toInstant().toEpochMilli()));
            row.put("label", buckets.label(bounds.get(i)));
            row.put("clicks", counts.get(i).clicks());
            row.put("unique_clicks", counts.get(i).uniques());
            out.add(row);
        }
        return out;
    }

    /** The filters applied, dates as full timestamps (spec §4.2 "filters"). */
    private static Map<String, Object> echo(ClickFilter f, Map<String, Object> extra) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("startDate", f.from().map(Timestamps::format).orElse(null));
        m.put("endDate", f.to().map(t -> Timestamps.format(t - 1)).orElse(null));
        f.country().ifPresent(v -> m.put("country", v));
        f.city().ifPresent(v -> m.put("city", v));
        f.deviceType().ifPresent(v -> m.put("device_type", v));
        f.browser().ifPresent(v -> m.put("browser", v));
        f.os().ifPresent(v -> m.put("os", v));
        f.referrerDomain().ifPresent(v -> m.put("referrer_domain", v));
        f.source().ifPresent(v -> m.put("source", v));
        m.put("traffic", f.traffic().map(TrafficClass::label).orElse("all"));
        m.put("trigger", f.trigger().label());
        m.putAll(extra);
        return m;
    }

    /** {@code part} of {@code whole} in percent, rounded to {@code decimals}; 0 when whole is 0. */
    static double percent(long part, long whole, int decimals) {
        if (whole == 0) {
            return 0;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(part * 100.0 * scale / whole) / scale;
    }
}
