package dev.linkpulse.events.webhooks;

import java.util.List;
import java.util.Map;

/**
 * A webhook subscription. {@code linkId}/{@code shortCode} narrow it to one link (null: the whole
 * workspace); {@code filters} to clicks whose field has one of the listed values; {@code qrCodeId}
 * to the scans of one QR code.
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
        String disabledReason,
        String qrCodeId) {

    public Subscription {
        filters = Map.copyOf(filters);
    }

    /** A subscription without a QR code (issue 15: {@code qrCodeId} narrows click events to one code's scans). */
    public Subscription(String id, String workspaceId, String eventType, String targetUrl, String shortCode, String linkId,
            Map<String, List<String>> filters, String secret, long createdAt, Long failingSince, Long disabledAt,
            String disabledReason) {
        this(id, workspaceId, eventType, targetUrl, shortCode, linkId, filters, secret, createdAt, failingSince, disabledAt,
                disabledReason, null);
    }

    public boolean disabled() {
        return disabledAt != null;
    }
}
