package dev.linkpulse.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.http.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Click logs and analytics (spec §4) as jmpy.me's MCP tools; each needs a key with the analytics permission. */
final class AnalyticsTools implements ToolGroup {

    private static final String BASE = "/api/v1/analytics";
    private static final Set<String> WINDOW = Set.of("startDate", "endDate");

    private static Set<String> with(Set<String> a, String... more) {
        Set<String> out = new java.util.HashSet<>(a);
        out.addAll(List.of(more));
        return out;
    }

    /** The per-link path, or the workspace's when the link is optional and left out. */
    private static String scoped(ToolCall call, String path) {
        JsonNode id = call.args().get("shortUrlId");
        return id == null || id.isNull() ? path : path + "/" + ToolCall.segment(call.required("shortUrlId"));
    }

    private static Map<String, Object> breakdowns(ToolCall call, Map<String, String> byKey) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : byKey.entrySet()) {
            JsonNode reply = call.get(scoped(call, BASE + "/breakdown"), with(WINDOW, "limit"), Map.of("by", e.getValue()));
            out.put(e.getKey(), Json.MAPPER.convertValue(reply.path("data").path("data"), Object.class));
            out.putIfAbsent("total", reply.path("data").path("total").asLong());
        }
        return out;
    }

    private static Map<String, Object> devices(ToolCall call) {
        Map<String, String> by = new LinkedHashMap<>();
        by.put("device_types", "device_type");
        by.put("browsers", "browser");
        by.put("operating_systems", "os");
        return breakdowns(call, by);
    }

    private static Map<String, Object> utm(ToolCall call) {
        Map<String, String> by = new LinkedHashMap<>();
        for (String tag : List.of("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")) {
            by.put(tag, tag);
        }
        return breakdowns(call, by);
    }

    private static Map<String, Object> distribution(ToolCall call, String by, int buckets) {
        JsonNode reply = call.get(scoped(call, BASE + "/breakdown"), WINDOW, Map.of("by", by, "limit", Integer.toString(buckets)));
        return ToolCall.result(reply);
    }

    private static Schema analytics(boolean linkRequired) {
        return Schema.withLink(linkRequired).window();
    }

    @Override
    public String title() {
        return "Analytics";
    }

    @Override
    public List<McpTool> tools() {
        return List.of(
                McpTool.reading("getUrlClickLogs",
                        "Read the raw click log, newest first: one record per click with time, masked IP, country, city, "
                                + "device, browser, OS, referrer, UTM tags and is_unique. Page with limit/offset or with the "
                                + "returned pagination.next_cursor; sinceId returns only clicks newer than that click.",
                        analytics(false)
                                .integer("limit", "Clicks per page (default 100)", 1, 1_000)
                                .integer("offset", "Clicks to skip", 0, Long.MAX_VALUE)
                                .string("cursor", "pagination.next_cursor of the previous page")
                                .string("sinceId", "Only clicks stored after this click id")
                                .string("country", "Only clicks from this ISO country code, such as US")
                                .choice("traffic", "Which traffic (default all)", "human", "bot", "preview", "all"),
                        call -> ToolCall.result(call.get(scoped(call, BASE + "/click-details"),
                                with(WINDOW, "limit", "offset", "cursor", "sinceId", "country", "traffic")))),
                McpTool.reading("getUrlAnalytics",
                        "Core metrics of a short URL: total and unique clicks, new and returning visitors, session length, "
                                + "active days and hours, and a series by day or hour.",
                        analytics(true).choice("groupBy", "Series granularity (default day)", "day", "hour"),
                        call -> ToolCall.result(call.get(scoped(call, BASE + "/analytics"), with(WINDOW, "groupBy")))),
                McpTool.reading("getUrlTimelineAnalytics",
                        "Clicks and unique clicks over time for a short URL, in buckets of a chosen size and time zone, "
                                + "empty buckets included.",
                        analytics(true).choice("interval", "Bucket size (default day)", "minute", "hour", "day", "week", "month")
                                .string("timezone", "IANA time zone of the buckets, such as Europe/Paris (default UTC)"),
                        call -> ToolCall.result(call.get(scoped(call, BASE + "/timeseries"), with(WINDOW, "interval", "timezone")))),
                McpTool.reading("getUrlGeographicAnalytics",
                        "Where a short URL's clicks come from: country, region and city with clicks and percentage.",
                        analytics(true),
                        call -> ToolCall.result(call.get(scoped(call, BASE + "/geographic"), WINDOW))),
                McpTool.reading("getUrlDeviceAnalytics",
                        "Clicks of a short URL by device type, browser and operating system, each with unique clicks and percentage.",
                        analytics(true).integer("limit", "Values per breakdown (default 50)", 1, 1_000),
                        AnalyticsTools::devices),
                McpTool.reading("getUrlUTMAnalytics",
                        "Clicks of a short URL by the UTM tags of the visits (utm_source, utm_medium, utm_campaign, utm_term, "
                                + "utm_content).",
                        analytics(true).integer("limit", "Values per tag (default 50)", 1, 1_000),
                        AnalyticsTools::utm),
                McpTool.reading("getUrlTrafficQualityAnalytics",
                        "Human, bot and link-preview clicks of a short URL, suspicious clicks and an overall traffic health.",
                        analytics(true),
                        call -> ToolCall.result(call.get(scoped(call, BASE + "/traffic-quality"), WINDOW))),
                McpTool.reading("getTopPerformingUrls",
                        "The workspace's short URLs with the most human clicks (all time), best first.",
                        Schema.object().integer("limit", "How many links (default 10)", 1, 100),
                        call -> {
                            Map<String, String> fixed = Map.of("sort", "clicks", "order", "desc",
                                    "limit", call.args().path("limit").asText("10"));
                            Map<String, Object> out = ToolCall.result(call.get("/api/v1/short-urls", Set.of(), fixed));
                            out.put("urls", out.remove("shortUrls"));
                            return out;
                        }),
                McpTool.reading("getHourlyDistribution",
                        "Clicks by hour of the day (UTC, 0-23) for one short URL or, without shortUrlId, the whole workspace.",
                        analytics(false),
                        call -> distribution(call, "hour_of_day", 24)),
                McpTool.reading("getWeeklyDistribution",
                        "Clicks by day of the week for one short URL or, without shortUrlId, the whole workspace.",
                        analytics(false),
                        call -> distribution(call, "day_of_week", 7)),
                McpTool.reading("getCompleteAnalytics",
                        "Everything about a short URL's clicks in one call: core metrics, geography, devices, referrers, "
                                + "traffic sources, UTM tags, traffic quality, and hourly and weekly distributions.",
                        analytics(true),
                        call -> {
                            Map<String, Object> out = new LinkedHashMap<>();
                            out.put("overview", ToolCall.result(call.get(scoped(call, BASE + "/analytics"), WINDOW)));
                            out.put("geographic", ToolCall.result(call.get(scoped(call, BASE + "/geographic"), WINDOW)));
                            out.put("devices", devices(call));
                            Map<String, String> sources = new LinkedHashMap<>();
                            sources.put("referrers", "referrer_domain");
                            sources.put("sources", "source");
                            out.put("traffic_sources", breakdowns(call, sources));
                            out.put("utm", utm(call));
                            out.put("traffic_quality", ToolCall.result(call.get(scoped(call, BASE + "/traffic-quality"), WINDOW)));
                            out.put("hourly", distribution(call, "hour_of_day", 24));
                            out.put("weekly", distribution(call, "day_of_week", 7));
                            return out;
                        }));
    }
}
