package dev.linkpulse.smartlinks;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

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

    private final ConversionStore store;
    private final Auth auth;
    private final Clock clock;

    public ConversionsApi(ConversionStore store, Auth auth, Clock clock) {
        this.store = store;
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
        } else if (amountMinor != null) {
            // Revenue is summed per currency: an amount of no known currency could be added to nothing.
            throw ApiException.validation("currency", "currency is required with amount");
        }
        String externalId = string(body, "external_id", false, 255);
        String ws = key.workspaceId();
        ConversionStore.ClickRef click = store.click(ws, clickId).orElseThrow(() -> ApiException.notFound("Click not found"));
        if (externalId != null) {
            Optional<ConversionStore.Conversion> existing = store.byExternalId(ws, externalId);
            if (existing.isPresent()) {
                Json.ok(ctx, 200, Map.of("conversion", existing.get().view(), "message", "Conversion already recorded"));
                return;
            }
        }
        ConversionStore.Conversion c = new ConversionStore.Conversion(UUID.randomUUID().toString(), clickId, click.linkId(),
                click.variantId(), event, amountMinor, currency, externalId, clock.millis());
        if (!store.insert(ws, c) && externalId != null) { // the same external_id raced in meanwhile
            Json.ok(ctx, 200, Map.of("conversion", store.byExternalId(ws, externalId).orElseThrow().view(),
                    "message", "Conversion already recorded"));
            return;
        }
        Json.ok(ctx, 201, Map.of("conversion", c.view(), "message", "Conversion recorded"));
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
