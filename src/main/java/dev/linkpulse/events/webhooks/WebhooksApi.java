package dev.linkpulse.events.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.common.Timestamps;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.Json;
import dev.linkpulse.http.QueryParams;
import dev.linkpulse.http.Routes;
import dev.linkpulse.keys.ApiKey;
import dev.linkpulse.keys.Permission;
import dev.linkpulse.links.LinkService;
import dev.linkpulse.links.ShortUrl;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/webhooks/subscriptions} (spec §6.7). Every route needs {@code analytics}: a
 * subscription to clicks reads the click log as it grows.
 */
public final class WebhooksApi implements Routes {

    private static final String BASE = "/api/v1/webhooks/subscriptions";
    private static final Pattern UUID_SHAPE = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern MESSAGE_ID = Pattern.compile("msg_[0-9a-f]{32}");

    private final Webhooks webhooks;
    private final LinkService links;
    private final Auth auth;

    public WebhooksApi(Webhooks webhooks, LinkService links, Auth auth) {
        this.webhooks = webhooks;
        this.links = links;
        this.auth = auth;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.post(BASE, auth.require(Permission.ANALYTICS, this::create));
        routes.get(BASE, auth.require(Permission.ANALYTICS, this::list));
        routes.get(BASE + "/{id}", auth.require(Permission.ANALYTICS, this::get));
        routes.delete(BASE + "/{id}", auth.require(Permission.ANALYTICS, this::delete));
        routes.get(BASE + "/{id}/deliveries", auth.require(Permission.ANALYTICS, this::deliveries));
        routes.post(BASE + "/{id}/rotate-secret", auth.require(Permission.ANALYTICS, this::rotate));
        routes.post(BASE + "/{id}/retry", auth.require(Permission.ANALYTICS, this::retry));
        routes.post(BASE + "/{id}/deliveries/{deliveryId}/retry", auth.require(Permission.ANALYTICS, this::retryOne));
    }

    private void create(Context ctx, ApiKey caller) {
        SubscriptionRequest r = SubscriptionRequest.parse(Json.objectBody(ctx));
        String linkId = null;
        String code = null;
        if (r.shortCode().isPresent()) {
            ShortUrl link = links.resolve(caller.workspaceId(), r.shortCode().get())
                    .orElseThrow(() -> ApiException.validation("short_code", "no short URL " + r.shortCode().get() + " in this workspace"));
            linkId = link.id();
            code = link.shortCode();
        }
        if (r.qrCodeId().isPresent() && !webhooks.qrCodeExists(caller.workspaceId(), r.qrCodeId().get())) {
            throw ApiException.validation("qr_code_id", "no QR code " + r.qrCodeId().get() + " in this workspace");
        }
        try {
            webhooks.guard().check(r.targetUrl()); // last: it may ask DNS
        } catch (TargetGuard.Refused e) {
            throw ApiException.validation("target_url", e.getMessage());
        }
        String secret = WebhookSignature.newSecret();
        Subscription s = new Subscription(UUID.randomUUID().toString(), caller.workspaceId(), r.eventType(), r.targetUrl(), code,
                linkId, r.filters(), secret, webhooks.clock().millis(), null, null, null, r.qrCodeId().orElse(null));
        webhooks.store().insert(s);
        Map<String, Object> view = view(s, Map.of());
        view.put("secret", secret);
        Json.ok(ctx, 201, view);
    }

    private void list(Context ctx, ApiKey caller) {
        Map<String, Map<String, Long>> counts = webhooks.store().deliveryCounts(caller.workspaceId());
        Json.ok(ctx, webhooks.store().list(caller.workspaceId()).stream()
                .map(s -> view(s, counts.getOrDefault(s.id(), Map.of()))).toList());
    }

    private void get(Context ctx, ApiKey caller) {
        Subscription s = find(ctx, caller);
        Json.ok(ctx, view(s, webhooks.store().deliveryCounts(caller.workspaceId()).getOrDefault(s.id(), Map.of())));
    }

    private void delete(Context ctx, ApiKey caller) {
        Subscription s = find(ctx, caller);
        webhooks.store().delete(caller.workspaceId(), s.id());
        Json.ok(ctx, Map.of("message", "Webhook subscription deleted successfully", "id", s.id()));
    }

    private void rotate(Context ctx, ApiKey caller) {
        Subscription s = find(ctx, caller);
        noBody(ctx);
        String secret = WebhookSignature.newSecret();
        webhooks.store().rotateSecret(caller.workspaceId(), s.id(), secret);
        // Deliveries still pending are signed with the new secret when they are next sent.
        Json.ok(ctx, Map.of("id", s.id(), "secret", secret));
    }

    private void retry(Context ctx, ApiKey caller) {
        Subscription s = find(ctx, caller);
        noBody(ctx);
        long now = webhooks.clock().millis();
        int n = webhooks.store().retryNow(caller.workspaceId(), s.id(), Optional.empty(), now, webhooks.retryUntil(now));
        webhooks.clicksStored();
        Json.ok(ctx, Map.of("id", s.id(), "status", "active", "rescheduled", n));
    }

    private void retryOne(Context ctx, ApiKey caller) {
        Subscription s = find(ctx, caller);
        noBody(ctx);
        String deliveryId = ctx.pathParam("deliveryId");
        if (!MESSAGE_ID.matcher(deliveryId).matches()
                || webhooks.store().delivery(caller.workspaceId(), s.id(), deliveryId).isEmpty()) {
            throw ApiException.notFound("Webhook delivery not found");
        }
        long now = webhooks.clock().millis();
        int n = webhooks.store().retryNow(caller.workspaceId(), s.id(), Optional.of(deliveryId), now, webhooks.retryUntil(now));
        Json.ok(ctx, Map.of("id", deliveryId, "rescheduled", n));
    }

    private void deliveries(Context ctx, ApiKey caller) {
        Subscription s = find(ctx, caller);
        int limit = (int) QueryParams.integer(ctx, "limit", 20, 1, 100);
        int page = (int) QueryParams.integer(ctx, "page", 1, 1, 1_000_000);
        String rawStatus = QueryParams.single(ctx, "status");
        Optional<String> status = Optional.ofNullable(rawStatus);
        if (status.isPresent() && !List.of(Delivery.PENDING, Delivery.DELIVERED, Delivery.FAILED).contains(status.get())) {
            throw ApiException.validation("status", "status must be pending, delivered or failed");
        }
        List<Delivery> rows = webhooks.store().deliveries(caller.workspaceId(), s.id(), status, limit, (long) (page - 1) * limit);
        long total = webhooks.store().countDeliveries(caller.workspaceId(), s.id(), status);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("deliveries", rows.stream().map(WebhooksApi::view).toList());
        data.put("pagination", Map.of("page", page, "limit", limit, "total", total));
        Json.ok(ctx, data);
    }

    private Subscription find(Context ctx, ApiKey caller) {
        String id = ctx.pathParam("id");
        if (!UUID_SHAPE.matcher(id).matches()) {
            throw ApiException.notFound("Webhook subscription not found");
        }
        return webhooks.store().find(caller.workspaceId(), id)
                .orElseThrow(() -> ApiException.notFound("Webhook subscription not found"));
    }

    /** Actions take no body; one that comes with fields is refused rather than ignored. */
    private static void noBody(Context ctx) {
        if (ctx.contentLength() <= 0 && ctx.header("Transfer-Encoding") == null) {
            return;
        }
        JsonNode node = Json.objectBody(ctx);
        if (node.size() > 0) {
            String first = node.fieldNames().next();
            throw ApiException.validation(first, "unknown field " + first + "; this action takes no body");
        }
    }

    private static Map<String, Object> view(Subscription s, Map<String, Long> counts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("event_type", s.eventType());
        m.put("target_url", s.targetUrl());
        m.put("short_code", s.shortCode());
        m.put("short_url_id", s.linkId());
        m.put("qr_code_id", s.qrCodeId());
        m.put("filters", s.filters().isEmpty() ? null : s.filters());
        m.put("status", s.disabled() ? "disabled" : s.failingSince() != null ? "failing" : "active");
        m.put("failing_since", Timestamps.formatNullable(s.failingSince()));
        m.put("disabled_at", Timestamps.formatNullable(s.disabledAt()));
        m.put("disabled_reason", s.disabledReason());
        m.put("created_at", Timestamps.format(s.createdAt()));
        m.put("deliveries", Map.of(
                "pending", counts.getOrDefault(Delivery.PENDING, 0L),
                "delivered", counts.getOrDefault(Delivery.DELIVERED, 0L),
                "failed", counts.getOrDefault(Delivery.FAILED, 0L)));
        return m;
    }

    private static Map<String, Object> view(Delivery d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("event", d.event());
        m.put("status", d.status());
        m.put("attempts", d.attempts());
        m.put("last_status_code", d.lastStatusCode());
        m.put("last_error", d.lastError());
        m.put("created_at", Timestamps.format(d.createdAt()));
        m.put("last_attempt_at", Timestamps.formatNullable(d.lastAttemptAt()));
        m.put("next_attempt_at", d.status().equals(Delivery.PENDING) ? Timestamps.format(d.nextAttemptAt()) : null);
        m.put("delivered_at", Timestamps.formatNullable(d.deliveredAt()));
        m.put("payload", Json.MAPPER.valueToTree(parse(d.payload())));
        return m;
    }

    private static Object parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            return json;
        }
    }
}
