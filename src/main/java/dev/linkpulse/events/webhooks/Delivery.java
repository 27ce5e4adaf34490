package dev.linkpulse.events.webhooks;

/** One message to one subscription, and how its delivery went so far. {@code id} is the webhook-id. */
public record Delivery(
        String id,
        String subscriptionId,
        String workspaceId,
        String event,
        String payload,
        String status,
        int attempts,
        long createdAt,
        long nextAttemptAt,
        long retryUntil,
        Long lastAttemptAt,
        Integer lastStatusCode,
        String lastError,
        Long deliveredAt) {

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
}
