package dev.linkpulse.mcp;

import java.util.List;
import java.util.Set;

/** Subdomains and branded domains (spec §6.5) as MCP tools, under jmpy.me's names where its MCP server has them. */
final class DomainTools implements ToolGroup {

    private static final String DOMAINS = "/api/v1/domains";

    private static Schema described(Schema s) {
        return s.string("name", "A name for it, up to 255 characters").string("description", "A description, up to 1,000 characters");
    }

    private static Schema removal(String id, String what) {
        return Schema.object().string(id, what).required(id)
                .bool("force", "Delete even while short URLs use it, deleting those links too (default false: refused)");
    }

    @Override
    public String title() {
        return "Domains";
    }

    @Override
    public List<McpTool> tools() {
        return List.of(
                McpTool.reading("checkSubdomainAvailability",
                        "Check whether a subdomain of this server's domain (shop for shop.<domain>) can be created; says why not.",
                        Schema.object().string("subdomain", "The label: 3-63 of a-z, 0-9 and '-'").required("subdomain"),
                        call -> ToolCall.result(call.get(DOMAINS + "/check-subdomain/" + call.id("subdomain"), Set.of()))),
                McpTool.changing("createSubdomain",
                        "Create a subdomain of this server's domain; short URLs with urlType subdomain can then live on it.",
                        described(Schema.object().string("subdomain", "The label: 3-63 of a-z, 0-9 and '-', not starting or "
                                + "ending with '-'")).required("subdomain"),
                        call -> ToolCall.result(call.post(DOMAINS + "/subdomains", call.args()))),
                McpTool.reading("getUserSubdomains",
                        "List the workspace's subdomains with their full host names and how many short URLs use each.",
                        Schema.object(),
                        call -> ToolCall.result(call.get(DOMAINS + "/subdomains", Set.of()))),
                McpTool.changing("deleteSubdomain", "Delete a subdomain (refused while short URLs use it, unless force).",
                        removal("subdomainId", "The subdomain's id (UUID) or label"),
                        call -> ToolCall.result(call.delete(DOMAINS + "/subdomains/" + call.id("subdomainId"), Set.of("force")))),
                McpTool.changing("createBrandedDomain",
                        "Add your own domain (go.example.com) for short URLs. Returns the DNS TXT record to publish; then "
                                + "call verifyBrandedDomain.",
                        described(Schema.object().string("domain", "The host name, such as go.example.com")).required("domain"),
                        call -> ToolCall.result(call.post(DOMAINS + "/branded", call.args()))),
                McpTool.reading("listBrandedDomains", "List the workspace's branded domains with their verification state.",
                        Schema.object(),
                        call -> ToolCall.result(call.get(DOMAINS + "/branded", Set.of()))),
                McpTool.changing("verifyBrandedDomain",
                        "Check the branded domain's DNS TXT record now; once it matches, the domain is verified and takes links.",
                        Schema.object().string("domainId", "The branded domain's id (UUID) or host name").required("domainId"),
                        call -> ToolCall.result(call.post(DOMAINS + "/branded/" + call.id("domainId") + "/verify", null))),
                McpTool.changing("deleteBrandedDomain", "Delete a branded domain (refused while short URLs use it, unless force).",
                        removal("domainId", "The branded domain's id (UUID) or host name"),
                        call -> ToolCall.result(call.delete(DOMAINS + "/branded/" + call.id("domainId"), Set.of("force")))));
    }
}
