package dev.linkpulse.smartlinks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.common.Timestamps;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.Json;
import dev.linkpulse.http.Routes;
import dev.linkpulse.keys.ApiKey;
import dev.linkpulse.keys.Permission;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code POST /api/v1/conversions} (spec §6.9): an event tied to a click of the caller's workspace,
 * idempotent by {@code external_id}. The click must be stored (clicks are stored within moments).
 */
public final class ConversionsApi implements Routes {

    private static final Set<String> FIELDS = Set.of("click_id", "event", "amount", "currency", "external_id");
    private static final Set<String> EVENTS = Set.of("lead", "signup", "sale");
    private static final Pattern CLICK_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000");

    private record Click(String linkId, String variantId) {}

    private final Jdbi jdbi;
    private final Auth auth;
    private final Clock clock;

    public ConversionsApi(Jdbi jdbi, Auth auth, Clock clock) {
        this.jdbi = jdbi;
        this.auth = auth;
        this.clock = clock;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.post("/api/v1/conversions", auth.require(Permission.WRITE, this::create));
    }

    private void create(Context ctx, ApiKey key) {
        JsonNode body = RulesInput.onlyFields(Json.objectBody(ctx), "", FIELDS);
        String clickId = string(body, "click_id", true, 36);
        if (!CLICK_ID.matcher(clickId).matches()) {
            throw ApiException.validation("click_id", "click_id must be a click id (a lower-case UUID)");
        }
        String event = string(body, "event", true, 16);
        if (!EVENTS.contains(event)) {
            throw ApiException.validation("event", "event must be lead, signup or sale");
        }
        Long amountMinor = amount(body.get("amount"));
        String currency = string(body, "currency", false, 3);
        if (currency != null) {
            if (!CURRENCY.matcher(currency).matches()) {
                throw ApiException.validation("currency", "currency must be an ISO 4217 code such as USD");
            }
            currency = currency.toUpperCase(java.util.Locale.ROOT);
        }
        String externalId = string(body, "external_id", false, 255);
        String ws = key.workspaceId();
        Click click = jdbi.withHandle(h -> h.createQuery("SELECT link_id, variant_id FROM clicks WHERE id = :id AND workspace_id = :ws")
                .bind("id", clickId).bind("ws", ws)
                .map((rs, c) -> new Click(rs.getString(1), rs.getString(2))).findOne())
                .orElseThrow(() -> ApiException.notFound("Click not found"));
        if (externalId != null) {
            Optional<Map<String, Object>> existing = find(ws, externalId);
            if (existing.isPresent()) {
                Json.ok(ctx, 200, Map.of("conversion", existing.get(), "message", "Conversion already recorded"));
                return;
            }
        }
        String id = UUID.randomUUID().toString();
        long now = clock.millis();
        String cur = currency;
        int inserted = jdbi.withHandle(h -> h.createUpdate("""
                INSERT INTO conversions (id, workspace_id, link_id, click_id, variant_id, event, amount_minor, currency, external_id,
                    created_at)
                VALUES (:id, :ws, :link, :click, :variant, :event, :amount, :currency, :external, :now)
                ON CONFLICT DO NOTHING""")
                .bind("id", id).bind("ws", ws).bind("link", click.linkId()).bind("click", clickId).bind("variant", click.variantId())
                .bind("event", event).bind("amount", amountMinor).bind("currency", cur).bind("external", externalId).bind("now", now)
                .execute());
        if (inserted == 0 && externalId != null) { // the same external_id raced in meanwhile
            Json.ok(ctx, 200, Map.of("conversion", find(ws, externalId).orElseThrow(), "message", "Conversion already recorded"));
            return;
        }
        Json.ok(ctx, 201, Map.of("conversion", view(id, clickId, click.linkId(), click.variantId(), event, amountMinor, cur,
                externalId, now), "message", "Conversion recorded"));
    }

    private Optional<Map<String, Object>> find(String ws, String externalId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM conversions WHERE workspace_id = :ws AND external_id = :ext")
                .bind("ws", ws).bind("ext", externalId)
                .map((rs, c) -> view(rs.getString("id"), rs.getString("click_id"), rs.getString("link_id"), rs.getString("variant_id"),
                        rs.getString("event"), dev.linkpulse.store.Rows.nullableLong(rs, "amount_minor"), rs.getString("currency"),
                        rs.getString("external_id"), rs.getLong("created_at")))
                .findOne());
    }

    private static Map<String, Object> view(String id, String clickId, String linkId, String variantId, String event, Long amountMinor,
            String currency, String externalId, long createdAt) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("click_id", clickId);
        m.put("short_url_id", linkId);
        m.put("variant_id", variantId);
        m.put("event", event);
        m.put("amount", amountMinor == null ? null : BigDecimal.valueOf(amountMinor, 2));
        m.put("currency", currency);
        m.put("external_id", externalId);
        m.put("created_at", Timestamps.format(createdAt));
        return m;
    }

    private static Long amount(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw ApiException.validation("amount", "amount must be a number");
        }
        BigDecimal a = node.decimalValue();
        if (a.signum() < 0 || a.compareTo(MAX_AMOUNT) > 0 || a.stripTrailingZeros().scale() > 2) {
            throw ApiException.validation("amount", "amount must be from 0 to " + MAX_AMOUNT.toPlainString()
                    + " with at most two decimals");
        }
        return a.movePointRight(2).longValueExact();
    }

    private static String string(JsonNode body, String field, boolean required, int max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.validation(field, field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.validation(field, field + " must be a string");
        }
        String s = v.textValue();
        if (s.isEmpty() || s.length() > max || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.validation(field, field + " must be 1 to " + max + " characters without control characters");
        }
        return s;
    }
}
