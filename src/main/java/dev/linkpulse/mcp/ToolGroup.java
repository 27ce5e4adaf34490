package dev.linkpulse.mcp;

import java.util.List;

/** The tools of one feature (links, analytics, QR codes, ...); {@link McpTools#GROUPS} lists them all. */
public interface ToolGroup {
    List<McpTool> tools();
}
