package dev.linkpulse.mcp;

import java.util.List;

/**
 * Every tool group the MCP server offers: the one place a feature's tools are registered. Adding a
 * feature's tools is one {@link ToolGroup} class (see {@link LinkTools}) and one entry here.
 */
public final class McpTools {

    public static final List<ToolGroup> GROUPS = List.of(
            new LinkTools(),
            new AnalyticsTools(),
            new QrTools(),
            new CampaignTools(),
            new DomainTools(),
            new SmartLinkTools(),
            new WebhookTools());

    private McpTools() {}

    public static List<McpTool> all() {
        return GROUPS.stream().flatMap(g -> g.tools().stream()).toList();
    }
}
