package dev.linkpulse.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linkpulse.http.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Short URLs (spec §3) as jmpy.me's MCP tools: create, list, read, change, delete, alias check, bulk. */
final class LinkTools implements ToolGroup {

    private static final String LINKS = "/api/v1/short-urls";

    private static Schema linkFields(Schema s) {
        return s.string("customAlias", "Custom short code: 3-50 letters, digits, '-' or '_' (case-sensitive); generated when left out")
                .string("name", "A name for the link, 1-255 characters")
                .date("expiresAt", "When the link stops redirecting (then 410 Gone); must be in the future; null clears it", true)
                .bool("trackingEnabled", "Record clicks (default true)")
                .bool("isDynamic", "Redirect with 302 so the destination can change later (default false: 301)")
                .bool("forwardQuery", "Append the visitor's query string to the destination (default true)")
                .strings("tags", "Labels for the link (replacing its tags on update): up to 20, 1-50 letters, digits, spaces, '.', "
                        + "'_' or '-'", 20)
                .string("campaignId", "The campaign the link belongs to: its id (UUID) or name")
                .string("password", "Visitors must enter this password first: 8-64 characters with a letter (never shown back)")
                .integer("maxClicks", "After this many human clicks the link goes to fallbackUrl, or answers 410 Gone", 1, 1_000_000_000)
                .string("fallbackUrl", "Where clicks past maxClicks go: an absolute http or https URL")
                .bool("conversionTracking", "Append lp_click_id=<click id> to the destination, for trackConversion");
    }

    /** Where a new link answers (issue 16): only a create chooses its host. */
    private static Schema placement(Schema s) {
        return s.choice("urlType", "The host of the short URL (default standard: the base domain)", "standard", "subdomain", "branded")
                .string("subdomain", "With urlType subdomain: one of the workspace's subdomains")
                .string("brandedDomain", "With urlType branded: one of the workspace's verified branded domains");
    }

    @Override
    public String title() {
        return "Links";
    }

    @Override
    public List<McpTool> tools() {
        return List.of(
                McpTool.changing("shortenUrl",
                        "Create a short URL for a long http(s) URL. Returns the link object; its short_url is the address to share.",
                        placement(linkFields(Schema.object().string("url", "The destination: an absolute http or https URL")))
                                .bool("qrCode", "Also answer with the new link's QR image, as a data URL in qr_code")
                                .choice("qrFormat", "The QR image's format, with qrCode (default png)", "png", "svg")
                                .required("url"),
                        call -> ToolCall.result(call.post(LINKS, call.args()))),
                McpTool.reading("listUrls",
                        "List the workspace's short URLs, newest first unless sorted otherwise, with click counts and pagination.",
                        Schema.object()
                                .integer("page", "Page number, from 1", 1, 1_000_000)
                                .integer("limit", "Links per page (default 20)", 1, 100)
                                .choice("sortBy", "Sort field (default created_at)", "created_at", "clicks", "name", "short_code")
                                .choice("sortOrder", "Sort order (default desc)", "asc", "desc")
                                .string("search", "Only links whose name, code or destination contains this text")
                                .choice("status", "Only links in this state", "active", "expired", "disabled")
                                .date("startDate", "Only links created from this day or instant", false)
                                .date("endDate", "Only links created up to this day (whole day) or instant", false),
                        call -> ToolCall.result(call.get(LINKS, Set.of("page", "limit", "sortBy", "sortOrder", "search", "status",
                                "startDate", "endDate")))),
                McpTool.reading("getUrl", "Get one short URL by id, short code or alias, with its click count.",
                        Schema.withLink(true),
                        call -> ToolCall.result(call.get(LINKS + "/" + ToolCall.segment(call.required("shortUrlId")), Set.of()))),
                McpTool.changing("updateUrl",
                        "Change a short URL: destination, name, expiry, tracking, dynamic redirect, alias (the old code stops "
                                + "working at once), query forwarding, or disable it. Only the arguments given change.",
                        linkFields(Schema.withLink(true).string("url", "New destination: an absolute http or https URL"))
                                .bool("disabled", "Disable (true) or re-enable (false) the link"),
                        call -> ToolCall.result(call.patch(LINKS + "/" + ToolCall.segment(call.required("shortUrlId")),
                                call.argsWithout("shortUrlId")))),
                McpTool.changing("deleteUrl",
                        "Delete a short URL and all its clicks, permanently; its code becomes free again.",
                        Schema.withLink(true),
                        call -> ToolCall.result(call.delete(LINKS + "/" + ToolCall.segment(call.required("shortUrlId"))))),
                McpTool.reading("listTags", "The workspace's tags, each with how many links carry it, most used first.",
                        Schema.object(),
                        call -> ToolCall.result(call.get("/api/v1/tags", Set.of()))),
                McpTool.reading("checkAliasAvailability",
                        "Check whether a custom alias can be used for a new short URL; says why not when it cannot.",
                        Schema.object().string("alias", "The alias to check").required("alias"),
                        call -> {
                            call.required("alias");
                            return ToolCall.result(call.get(LINKS + "/check-alias", Set.of("alias")));
                        }),
                McpTool.changing("bulkShortenUrls",
                        "Create many short URLs at once (up to 50,000). Each entry is a URL string or an object with url and "
                                + "the options of shortenUrl. Good rows are created even when others fail: the result lists "
                                + "created[] and failed[] (each failure with its row and error).",
                        Schema.object().property("urls", Map.of("type", "array", "minItems", 1, "maxItems", 50_000,
                                "description", "The links to create", "items", Map.of("oneOf", List.of(
                                        Map.of("type", "string", "description", "A destination URL"),
                                        placement(linkFields(Schema.object().string("url", "The destination URL"))).required("url")
                                                .build()))))
                                .required("urls"),
                        call -> {
                            if (!call.args().path("urls").isArray()) {
                                throw ToolError.invalid("urls", "urls must be an array of URLs or link objects");
                            }
                            ObjectNode body = Json.MAPPER.createObjectNode();
                            body.set("validated_urls", call.args().get("urls"));
                            return ToolCall.result(call.post("/api/v1/bulk-urls/create", body));
                        }));
    }
}
