package dev.linkpulse.mcp;

import dev.linkpulse.events.webhooks.Webhooks;
import java.util.List;
import java.util.Set;

/** Webhook subscriptions (spec §6.7) as MCP tools; jmpy.me publishes no MCP names for them, so they follow its style. */
final class WebhookTools implements ToolGroup {

    private static final String HOOKS = "/api/v1/webhooks/subscriptions";

    private static Schema hook() {
        return Schema.object().string("webhookId", "The subscription's id (UUID)").required("webhookId");
    }

    @Override
    public String title() {
        return "Webhooks";
    }

    @Override
    public List<McpTool> tools() {
        return List.of(
                McpTool.changing("createWebhook",
                        "Subscribe an https URL to events (a link created, a click, a visitor's first click of the day, a QR code created or scanned). Each "
                                + "delivery is a signed POST (Standard Webhooks). The secret is returned once: keep it.",
                        Schema.object()
                                .choice("eventType", "The event to deliver", Webhooks.EVENTS.stream().sorted().toArray(String[]::new))
                                .string("targetUrl", "Where deliveries are POSTed: a public https URL")
                                .string("shortCode", "Only events of this short URL (its code or alias)")
                                .string("qrCodeId", "Only this QR code's scans (for qr.scanned, link.clicked and link.clicked.unique)")
                                .map("filters", "Only clicks whose fields match: {country: [\"US\"], device_type: [\"mobile\"], "
                                        + "browser, os, traffic_class, source, referrer_domain, utm_source, utm_medium, utm_campaign}")
                                .required("eventType", "targetUrl"),
                        call -> ToolCall.result(call.post(HOOKS, call.args()))),
                McpTool.reading("listWebhooks", "List the workspace's webhook subscriptions with their state and delivery counts.",
                        Schema.object(),
                        call -> ToolCall.result(call.get(HOOKS, Set.of()))),
                McpTool.reading("getWebhookDeliveries",
                        "The deliveries of a subscription, newest first: status, attempts, response code and next retry.",
                        hook().integer("page", "Page number, from 1", 1, 1_000_000)
                                .integer("limit", "Deliveries per page (default 20)", 1, 100)
                                .choice("status", "Only deliveries in this state", "pending", "delivered", "failed"),
                        call -> ToolCall.result(call.get(HOOKS + "/" + call.id("webhookId") + "/deliveries",
                                Set.of("page", "limit", "status")))),
                McpTool.changing("rotateWebhookSecret",
                        "Give a subscription a new signing secret, returned once: deliveries from now on (pending ones "
                                + "included) are signed with it.",
                        hook(),
                        call -> ToolCall.result(call.post(HOOKS + "/" + call.id("webhookId") + "/rotate-secret", null))),
                McpTool.changing("retryWebhookDeliveries",
                        "Send a subscription's failed and pending deliveries again now (and re-enable it if it was disabled), "
                                + "instead of waiting for their next retry.",
                        hook(),
                        call -> ToolCall.result(call.post(HOOKS + "/" + call.id("webhookId") + "/retry", null))),
                McpTool.changing("deleteWebhook", "Delete a webhook subscription; nothing more is delivered to it.",
                        hook(),
                        call -> ToolCall.result(call.delete(HOOKS + "/" + call.id("webhookId")))));
    }
}
