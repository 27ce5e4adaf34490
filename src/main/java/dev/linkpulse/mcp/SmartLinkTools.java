package dev.linkpulse.mcp;

import java.util.List;
import java.util.Set;

/**
 * A/B tests (spec §6.6), smart-link rules and conversions (§6.9) as MCP tools. jmpy.me publishes
 * no MCP names for these, so the names follow the style of its others (createAbTest, getUrlRules, ...).
 */
final class SmartLinkTools implements ToolGroup {

    private static final String TESTS = "/api/v1/url-ab-tests";

    private static Schema test() {
        return Schema.object().string("testId", "The A/B test: its id (UUID) or its short URL's code").required("testId");
    }

    private static String path(ToolCall call) {
        return TESTS + "/" + call.id("testId");
    }

    private static Schema variant() {
        return Schema.object()
                .string("name", "The variant's name, 1-100 characters")
                .string("destinationUrl", "Where this variant sends visitors: an absolute http or https URL")
                .integer("trafficWeight", "Percent of visitors (weighted split only; the weights add up to 100)", 0, 100)
                .required("name", "destinationUrl");
    }

    private static Schema rule() {
        Schema condition = Schema.object()
                .choice("type", "What is compared", "device_type", "os", "browser", "country", "language", "query", "before", "after")
                .string("key", "The query parameter's name (type query only)")
                .string("value", "The value to match: desktop|mobile|tablet..., an OS or browser name, an ISO country code, a "
                        + "language tag, a query value, or an ISO instant for before/after")
                .required("type", "value");
        return Schema.object()
                .string("destinationUrl", "Where visitors matching every condition go: an absolute http or https URL")
                .list("conditions", "Conditions that must all hold", 1, 10, condition)
                .required("destinationUrl", "conditions");
    }

    @Override
    public String title() {
        return "A/B tests, rules and conversions";
    }

    @Override
    public List<McpTool> tools() {
        return List.of(
                McpTool.changing("createAbTest",
                        "Create an A/B test on a short URL: its visitors are split between 2-10 destination variants. The test "
                                + "starts as draft; call startAbTest to begin splitting traffic.",
                        Schema.object()
                                .string("name", "The test's name, 1-255 characters")
                                .string("primaryUrlId", "The short URL to split: its id (UUID), short code or custom alias")
                                .string("description", "What is tested, up to 2,000 characters")
                                .string("hypothesis", "What you expect, up to 2,000 characters")
                                .choice("trafficSplitMode", "equal (default) or weighted by trafficWeight", "equal", "weighted")
                                .integer("minSampleSize", "Visitors per variant before a winner can be called (default 100)", 1,
                                        1_000_000_000L)
                                .integer("confidenceLevel", "Confidence in percent for significance (default 95)", 50, 99)
                                .bool("conversionsEnabled", "Compare conversions too (default false)")
                                .list("variants", "The variants", 2, 10, variant())
                                .required("name", "primaryUrlId", "variants"),
                        call -> ToolCall.result(call.post(TESTS, call.args()))),
                McpTool.reading("listAbTests", "List the workspace's A/B tests, newest first, with pagination.",
                        Schema.object().integer("page", "Page number, from 1", 1, 1_000_000)
                                .integer("limit", "Tests per page (default 20)", 1, 100),
                        call -> ToolCall.result(call.get(TESTS, Set.of("page", "limit")))),
                McpTool.reading("getAbTest", "Get one A/B test with its status and variants.",
                        test(),
                        call -> ToolCall.result(call.get(path(call), Set.of()))),
                McpTool.changing("startAbTest", "Start (or resume) an A/B test: its short URL's visitors are split between the variants.",
                        test(),
                        call -> ToolCall.result(call.post(path(call) + "/start", null))),
                McpTool.changing("pauseAbTest", "Pause an A/B test: its short URL goes to its own destination until started again.",
                        test(),
                        call -> ToolCall.result(call.post(path(call) + "/pause", null))),
                McpTool.changing("completeAbTest",
                        "Complete an A/B test with a winner (the best variant when none is named); the winner's destination "
                                + "stays on the short URL.",
                        test().string("winnerVariantId", "The winning variant's id; leave out to take the best one"),
                        call -> ToolCall.result(call.post(path(call) + "/complete", call.argsWithout("testId")))),
                McpTool.reading("getAbTestResults",
                        "Results per variant: clicks, unique clicks, conversions, converted clicks, conversion rate "
                                + "(converted clicks / clicks), uplift, p-value, and whether the difference is significant.",
                        test(),
                        call -> ToolCall.result(call.get(path(call) + "/results", Set.of()))),
                McpTool.reading("getUrlRules", "The smart-link rules of a short URL: which visitors go to which destination.",
                        Schema.withLink(true),
                        call -> ToolCall.result(call.get("/api/v1/short-urls/" + call.id("shortUrlId") + "/rules", Set.of()))),
                McpTool.changing("setUrlRules",
                        "Replace the smart-link rules of a short URL. The first rule whose conditions all hold picks the "
                                + "destination; visitors matching none go to the link's own URL. An empty list removes the rules.",
                        Schema.withLink(true).list("rules", "The rules, in order", 0, 50, rule()).required("rules"),
                        call -> ToolCall.result(call.put("/api/v1/short-urls/" + call.id("shortUrlId") + "/rules",
                                call.argsWithout("shortUrlId")))),
                McpTool.changing("trackConversion",
                        "Record a conversion (lead, signup or sale) for a click: the click id reaches the destination as "
                                + "lp_click_id on links with conversion tracking. Feeds A/B test results and the link's and campaign's analytics.",
                        Schema.object()
                                .string("clickId", "The click's id (lp_click_id)")
                                .choice("event", "The kind of conversion", "lead", "signup", "sale")
                                .number("amount", "The sale's amount, such as 19.99", 0, 1e12)
                                .string("currency", "ISO 4217 currency of the amount, such as USD (required with amount)")
                                .string("externalId", "Your own id for the conversion (an order number), up to 255 characters")
                                .required("clickId", "event"),
                        call -> ToolCall.result(call.post("/api/v1/conversions", call.args()))));
    }
}
