package dev.linkpulse.events.webhooks;

import java.util.List;
import java.util.Map;

/**
 * A webhook subscription. {@code linkId}/{@code shortCode} narrow it to one link (null: the whole
 * workspace); {@code filters} to clicks whose field has one of the listed values.
 */
public record Subscription(
        String id,
        String workspaceId,
        String eventType,
        String targetUrl,
        String shortCode,
        String linkId,
        Map<String, List<String>> filters,
        String secret,
        long createdAt,
        Long failingSince,
        Long disabledAt,
        String disabledReason) {

    public Subscription {
        filters = Map.copyOf(filters);
    }

    public boolean disabled() {
        return disabledAt != null;
    }
}
