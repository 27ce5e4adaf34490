package dev.linkpulse.mcp;

import java.util.List;
import java.util.Set;

/** Campaigns (spec §6.4) as MCP tools, under jmpy.me's names where its MCP server has them (createCampaign, listCampaigns, ...). */
final class CampaignTools implements ToolGroup {

    private static final String CAMPAIGNS = "/api/v1/campaigns";

    private static Schema campaign() {
        return Schema.object().string("campaignId", "The campaign: its id (UUID) or its name").required("campaignId");
    }

    private static Schema fields(Schema s) {
        return s.string("description", "What the campaign is for, up to 1,000 characters")
                .date("startDate", "When the campaign starts (its status is scheduled before); null clears it", true)
                .date("endDate", "The campaign's last day or instant (its status is ended after); null clears it", true)
                .strings("tags", "Tags to filter campaigns and their links by", 20)
                .choice("status", "archived to archive the campaign, active to take it out of the archive (otherwise the "
                        + "status follows the dates)", "archived", "active");
    }

    private static String path(ToolCall call) {
        return CAMPAIGNS + "/" + call.id("campaignId");
    }

    @Override
    public String title() {
        return "Campaigns";
    }

    @Override
    public List<McpTool> tools() {
        return List.of(
                McpTool.changing("createCampaign",
                        "Create a campaign to group short URLs and measure them together. Names are unique in the workspace.",
                        fields(Schema.object().string("name", "The campaign's name, 1-100 characters, no '/'")).required("name"),
                        call -> ToolCall.result(call.post(CAMPAIGNS, call.args()))),
                McpTool.reading("listCampaigns",
                        "List the workspace's campaigns with their status, link count and total clicks.",
                        Schema.object()
                                .integer("page", "Page number, from 1", 1, 1_000_000)
                                .integer("limit", "Campaigns per page (default 20)", 1, 100)
                                .choice("status", "Only campaigns in this state", "active", "scheduled", "ended", "archived")
                                .string("search", "Only campaigns whose name contains this text")
                                .choice("range", "Only campaigns created in this window", "24h", "7d", "30d", "90d", "1y", "all")
                                .date("startDate", "Only campaigns created from this day or instant", false)
                                .date("endDate", "Only campaigns created up to this day or instant", false),
                        call -> ToolCall.result(call.get(CAMPAIGNS, Set.of("page", "limit", "status", "search", "range", "startDate",
                                "endDate")))),
                McpTool.reading("getCampaign", "Get one campaign with its status, link count and total clicks.",
                        campaign(),
                        call -> ToolCall.result(call.get(path(call), Set.of()))),
                McpTool.changing("updateCampaign",
                        "Change a campaign's name, description, dates, tags, or archive it. Only the arguments given change.",
                        fields(campaign().string("name", "New name, 1-100 characters, no '/'")),
                        call -> ToolCall.result(call.put(path(call), call.argsWithout("campaignId")))),
                McpTool.changing("deleteCampaign", "Delete a campaign; its short URLs are kept, outside any campaign.",
                        campaign(),
                        call -> ToolCall.result(call.delete(path(call)))),
                McpTool.reading("getCampaignUrls", "List the short URLs in a campaign, with click counts and pagination.",
                        campaign().integer("page", "Page number, from 1", 1, 1_000_000)
                                .integer("limit", "Links per page (default 20)", 1, 100),
                        call -> ToolCall.result(call.get(path(call) + "/urls", Set.of("page", "limit")))),
                McpTool.changing("assignUrlToCampaign",
                        "Put a short URL into a campaign (a link is in at most one campaign; this moves it).",
                        campaign().string("shortUrlId", "The short URL: its id (UUID), short code or custom alias")
                                .required("shortUrlId"),
                        call -> ToolCall.result(call.post(path(call) + "/urls/" + call.id("shortUrlId"), null))),
                McpTool.changing("removeUrlFromCampaign", "Take a short URL out of a campaign; the link itself is kept.",
                        campaign().string("shortUrlId", "The short URL: its id (UUID), short code or custom alias")
                                .required("shortUrlId"),
                        call -> ToolCall.result(call.delete(path(call) + "/urls/" + call.id("shortUrlId")))),
                McpTool.reading("getCampaignAnalytics",
                        "Clicks of all a campaign's short URLs together: totals, unique clicks, breakdowns and a series.",
                        campaign().window(),
                        call -> ToolCall.result(call.get(path(call) + "/analytics", Set.of("startDate", "endDate")))));
    }
}
