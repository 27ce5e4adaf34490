package dev.linkpulse.events.webhooks;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** SQL for {@code webhook_subscriptions}, {@code webhook_deliveries} and {@code webhook_position}. */
final class WebhookStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, List<String>>> FILTERS = new TypeReference<>() {};

    private static final RowMapper<Subscription> SUBSCRIPTION = (rs, ctx) -> new Subscription(
            rs.getString("id"), rs.getString("workspace_id"), rs.getString("event_type"), rs.getString("target_url"),
            rs.getString("short_code"), rs.getString("link_id"), filters(rs.getString("filters")), rs.getString("secret"),
            rs.getLong("created_at"), nullableLong(rs, "failing_since"), nullableLong(rs, "disabled_at"),
            rs.getString("disabled_reason"), rs.getString("qr_code_id"));

    private static final RowMapper<Delivery> DELIVERY = (rs, ctx) -> new Delivery(
            rs.getString("id"), rs.getString("subscription_id"), rs.getString("workspace_id"), rs.getString("event"),
            rs.getString("payload"), rs.getString("status"), rs.getInt("attempts"), rs.getLong("created_at"),
            rs.getLong("next_attempt_at"), rs.getLong("retry_until"), nullableLong(rs, "last_attempt_at"),
            rs.getObject("last_status_code") == null ? null : rs.getInt("last_status_code"), rs.getString("last_error"),
            nullableLong(rs, "delivered_at"));

    private final Jdbi jdbi;

    WebhookStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    private static Long nullableLong(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Map<String, List<String>> filters(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, FILTERS);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored webhook filters are not JSON", e);
        }
    }

    private static String filtersJson(Map<String, List<String>> filters) {
        if (filters.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(new java.util.TreeMap<>(filters));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void insert(Subscription s) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO webhook_subscriptions (id, workspace_id, event_type, target_url, "
                        + "short_code, link_id, filters, secret, created_at, qr_code_id) VALUES (:id, :ws, :event, :url, :code, :link, "
                        + ":filters, :secret, :at, :qr)")
                .bind("id", s.id()).bind("ws", s.workspaceId()).bind("event", s.eventType()).bind("url", s.targetUrl())
                .bind("code", s.shortCode()).bind("link", s.linkId()).bind("filters", filtersJson(s.filters()))
                .bind("secret", s.secret()).bind("at", s.createdAt()).bind("qr", s.qrCodeId())
                .execute());
    }

    List<Subscription> list(String workspaceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM webhook_subscriptions WHERE workspace_id = :ws "
                        + "ORDER BY created_at DESC, id DESC")
                .bind("ws", workspaceId).map(SUBSCRIPTION).list());
    }

    Optional<Subscription> find(String workspaceId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM webhook_subscriptions WHERE workspace_id = :ws AND id = :id")
                .bind("ws", workspaceId).bind("id", id).map(SUBSCRIPTION).findOne());
    }

    Optional<Subscription> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM webhook_subscriptions WHERE id = :id")
                .bind("id", id).map(SUBSCRIPTION).findOne());
    }

    /** Enabled subscriptions to any of these events, of every workspace. */
    List<Subscription> enabledFor(List<String> events) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM webhook_subscriptions WHERE disabled_at IS NULL "
                        + "AND event_type IN (<events>) ORDER BY id")
                .bindList("events", events).map(SUBSCRIPTION).list());
    }

    /** Enabled subscriptions of a workspace to one event. */
    List<Subscription> enabledFor(String workspaceId, String event) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM webhook_subscriptions WHERE workspace_id = :ws "
                        + "AND disabled_at IS NULL AND event_type = :event ORDER BY id")
                .bind("ws", workspaceId).bind("event", event).map(SUBSCRIPTION).list());
    }

    boolean delete(String workspaceId, String id) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM webhook_deliveries WHERE subscription_id = :id AND workspace_id = :ws")
                    .bind("id", id).bind("ws", workspaceId).execute();
            return h.createUpdate("DELETE FROM webhook_subscriptions WHERE id = :id AND workspace_id = :ws")
                    .bind("id", id).bind("ws", workspaceId).execute() == 1;
        });
    }

    boolean rotateSecret(String workspaceId, String id, String secret) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE webhook_subscriptions SET secret = :secret WHERE id = :id "
                        + "AND workspace_id = :ws")
                .bind("secret", secret).bind("id", id).bind("ws", workspaceId).execute() == 1);
    }

    /**
     * "Retry now": enables the subscription again and makes every delivery of it that is pending or
     * was given up due now, with a fresh retry window. Returns how many deliveries it rescheduled.
     */
    int retryNow(String workspaceId, String id, Optional<String> deliveryId, long now, long retryUntil) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("UPDATE webhook_subscriptions SET disabled_at = NULL, disabled_reason = NULL, failing_since = NULL "
                            + "WHERE id = :id AND workspace_id = :ws")
                    .bind("id", id).bind("ws", workspaceId).execute();
            String one = deliveryId.isPresent() ? " AND id = :delivery" : "";
            var update = h.createUpdate("UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = :now, "
                            + "retry_until = :until WHERE subscription_id = :id AND workspace_id = :ws "
                            + "AND status IN ('pending', 'failed')" + one)
                    .bind("now", now).bind("until", retryUntil).bind("id", id).bind("ws", workspaceId);
            deliveryId.ifPresent(d -> update.bind("delivery", d));
            return update.execute();
        });
    }

    Optional<Delivery> delivery(String workspaceId, String subscriptionId, String deliveryId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM webhook_deliveries WHERE id = :id AND subscription_id = :sub "
                        + "AND workspace_id = :ws")
                .bind("id", deliveryId).bind("sub", subscriptionId).bind("ws", workspaceId).map(DELIVERY).findOne());
    }

    /** The subscription's deliveries, newest first. */
    List<Delivery> deliveries(String workspaceId, String subscriptionId, Optional<String> status, int limit, long offset) {
        String byStatus = status.isPresent() ? " AND status = :status" : "";
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT * FROM webhook_deliveries WHERE subscription_id = :sub AND workspace_id = :ws"
                            + byStatus + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
                    .bind("sub", subscriptionId).bind("ws", workspaceId).bind("limit", limit).bind("offset", offset);
            status.ifPresent(s -> q.bind("status", s));
            return q.map(DELIVERY).list();
        });
    }

    long countDeliveries(String workspaceId, String subscriptionId, Optional<String> status) {
        String byStatus = status.isPresent() ? " AND status = :status" : "";
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT COUNT(*) FROM webhook_deliveries WHERE subscription_id = :sub AND workspace_id = :ws"
                            + byStatus)
                    .bind("sub", subscriptionId).bind("ws", workspaceId);
            status.ifPresent(s -> q.bind("status", s));
            return q.mapTo(Long.class).one();
        });
    }

    /** Counts of every subscription's deliveries by status, for the list view. */
    Map<String, Map<String, Long>> deliveryCounts(String workspaceId) {
        Map<String, Map<String, Long>> out = new java.util.HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT subscription_id, status, COUNT(*) AS n FROM webhook_deliveries "
                        + "WHERE workspace_id = :ws GROUP BY subscription_id, status")
                .bind("ws", workspaceId)
                .map((rs, ctx) -> {
                    out.computeIfAbsent(rs.getString("subscription_id"), k -> new java.util.HashMap<>())
                            .put(rs.getString("status"), rs.getLong("n"));
                    return null;
                }).list());
        return out;
    }

    void enqueue(Handle h, List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        var batch = h.prepareBatch("INSERT INTO webhook_deliveries (id, subscription_id, workspace_id, event, payload, status, "
                + "attempts, created_at, next_attempt_at, retry_until) VALUES (:id, :sub, :ws, :event, :payload, 'pending', 0, "
                + ":at, :next, :until)");
        for (Delivery d : deliveries) {
            batch.bind("id", d.id()).bind("sub", d.subscriptionId()).bind("ws", d.workspaceId()).bind("event", d.event())
                    .bind("payload", d.payload()).bind("at", d.createdAt()).bind("next", d.nextAttemptAt())
                    .bind("until", d.retryUntil()).add();
        }
        batch.execute();
    }

    void enqueue(List<Delivery> deliveries) {
        jdbi.useTransaction(h -> enqueue(h, deliveries));
    }

    long position() {
        return jdbi.withHandle(h -> h.createQuery("SELECT last_seq FROM webhook_position WHERE id = 1").mapTo(Long.class).one());
    }

    /**
     * Moves the position from {@code from} to {@code to} and stores the deliveries made from the
     * clicks in between, in one transaction; false (nothing written) when another process moved
     * the position first, so no click is turned into deliveries twice.
     */
    boolean advance(long from, long to, List<Delivery> deliveries) {
        return jdbi.inTransaction(h -> {
            int moved = h.createUpdate("UPDATE webhook_position SET last_seq = :to WHERE id = 1 AND last_seq = :from")
                    .bind("to", to).bind("from", from).execute();
            if (moved != 1) {
                h.rollback();
                return false;
            }
            enqueue(h, deliveries);
            return true;
        });
    }

    /** Pending deliveries due by {@code now} whose subscription is enabled, oldest due first. */
    List<Delivery> due(long now, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT d.* FROM webhook_deliveries d JOIN webhook_subscriptions s "
                        + "ON s.id = d.subscription_id WHERE d.status = 'pending' AND d.next_attempt_at <= :now "
                        + "AND s.disabled_at IS NULL ORDER BY d.next_attempt_at, d.id LIMIT :limit")
                .bind("now", now).bind("limit", limit).map(DELIVERY).list());
    }

    /** Takes a due delivery for one attempt by moving its next attempt past the attempt's end; false when another sender took it. */
    boolean claim(Delivery d, long leaseUntil) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE webhook_deliveries SET next_attempt_at = :lease WHERE id = :id "
                        + "AND status = 'pending' AND next_attempt_at = :seen")
                .bind("lease", leaseUntil).bind("id", d.id()).bind("seen", d.nextAttemptAt()).execute() == 1);
    }

    void delivered(Delivery d, long now, int status) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_attempt_at = :now, "
                            + "last_status_code = :code, last_error = NULL, delivered_at = :now WHERE id = :id")
                    .bind("now", now).bind("code", status).bind("id", d.id()).execute();
            h.createUpdate("UPDATE webhook_subscriptions SET failing_since = NULL WHERE id = :sub AND failing_since IS NOT NULL")
                    .bind("sub", d.subscriptionId()).execute();
        });
    }

    /**
     * Records a failed attempt: due again at {@code nextAttempt}, or given up ({@code failed})
     * when that is empty. The subscription is marked failing from now, unless it already was.
     */
    void attemptFailed(Delivery d, long now, Integer status, String error, Optional<Long> nextAttempt) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE webhook_deliveries SET status = :st, attempts = attempts + 1, last_attempt_at = :now, "
                            + "last_status_code = :code, last_error = :error, next_attempt_at = :next WHERE id = :id")
                    .bind("st", nextAttempt.isPresent() ? Delivery.PENDING : Delivery.FAILED).bind("now", now)
                    .bind("code", status).bind("error", error).bind("next", nextAttempt.orElse(now)).bind("id", d.id())
                    .execute();
            h.createUpdate("UPDATE webhook_subscriptions SET failing_since = :now WHERE id = :sub AND failing_since IS NULL")
                    .bind("now", now).bind("sub", d.subscriptionId()).execute();
        });
    }

    /** Disables a subscription that has been failing since before {@code failingBefore}; true when it did. */
    boolean disableIfFailingSince(String subscriptionId, long failingBefore, long now, String reason) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE webhook_subscriptions SET disabled_at = :now, disabled_reason = :reason "
                        + "WHERE id = :id AND disabled_at IS NULL AND failing_since IS NOT NULL AND failing_since <= :before")
                .bind("now", now).bind("reason", reason).bind("id", subscriptionId).bind("before", failingBefore)
                .execute() == 1);
    }

    /** How many deliveries wait to be sent (due or not). */
    long pendingCount() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'")
                .mapTo(Long.class).one());
    }
}
