package dev.linkpulse.mcp;

import java.util.List;

/** The tools of one feature (links, analytics, QR codes, ...); {@link McpTools#GROUPS} lists them all. */
public interface ToolGroup {
    /** What the group is about, as the dashboard lists it ("QR codes"). */
    String title();

    List<McpTool> tools();
}
