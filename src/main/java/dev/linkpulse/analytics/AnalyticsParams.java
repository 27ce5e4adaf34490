package dev.linkpulse.analytics;

import dev.linkpulse.clicks.ClickFilter;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Trigger;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.QueryParams;
import io.javalin.http.Context;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The common filters of spec §4, read from the query; every bad value is a 400 naming it. */
final class AnalyticsParams {

    private static final Set<String> DEVICE_TYPES =
            Set.of("desktop", "mobile", "tablet", "tv", "console", "wearable", "bot", "unknown");
    private static final Set<String> SOURCES = Set.of("direct", "social", "search", "email", "referral");

    /** A request attribute that fixes the trigger (the /qranalytics answers, issue 15). */
    static final String FORCED_TRIGGER = "linkpulse.trigger";

    private AnalyticsParams() {}

    /**
     * The filter of a request. {@code defaultTraffic} applies when {@code traffic} is absent:
     * aggregates count humans, the raw log shows all ({@code all} means no class filter).
     */
    static ClickFilter filter(Context ctx, String workspaceId, Optional<TrafficClass> defaultTraffic) {
        Optional<Long> from = QueryParams.date(ctx, "startDate", "start_date", false);
        Optional<Long> to = QueryParams.date(ctx, "endDate", "end_date", true);
        if (from.isPresent() && to.isPresent() && from.get() >= to.get()) {
            throw ApiException.validation("endDate", "endDate must be after startDate");
        }
        Optional<String> country = text(ctx, "country", 2).map(c -> {
            if (!c.matches("[A-Za-z]{2}")) {
                throw ApiException.validation("country", "country must be an ISO 3166-1 alpha-2 code such as US");
            }
            return c.toUpperCase(Locale.ROOT);
        });
        Optional<String> deviceType = oneOf(ctx, "device_type", DEVICE_TYPES);
        Optional<String> source = oneOf(ctx, "source", SOURCES);
        Optional<TrafficClass> traffic = Optional.ofNullable(QueryParams.single(ctx, "traffic"))
                .map(t -> switch (t) {
                    case "human" -> Optional.of(TrafficClass.HUMAN);
                    case "bot" -> Optional.of(TrafficClass.BOT);
                    case "preview" -> Optional.of(TrafficClass.PREVIEW);
                    case "all" -> Optional.<TrafficClass>empty();
                    default -> throw ApiException.validation("traffic", "traffic must be one of: human, bot, preview, all");
                })
                .orElse(defaultTraffic);
        return new ClickFilter(workspaceId, Optional.empty(), from, to, country, text(ctx, "city", 255),
                deviceType, text(ctx, "browser", 100), text(ctx, "os", 100),
                text(ctx, "referrer_domain", 253).map(d -> d.toLowerCase(Locale.ROOT)), source, traffic, Optional.empty(),
                trigger(ctx));
    }

    /** {@code trigger=link|qr|all} (issue 15): plain clicks, QR scans, or both (the default). */
    static Trigger trigger(Context ctx) {
        Trigger forced = ctx.attribute(FORCED_TRIGGER);
        if (forced != null) {
            return forced; // /qranalytics: scans only, whatever the query says
        }
        String raw = QueryParams.single(ctx, "trigger");
        if (raw == null || raw.isEmpty()) {
            return Trigger.ALL;
        }
        return switch (raw) {
            case "all" -> Trigger.ALL;
            case "link" -> Trigger.LINK;
            case "qr" -> Trigger.QR;
            default -> throw ApiException.validation("trigger", "trigger must be one of: link, qr, all");
        };
    }

    private static Optional<String> text(Context ctx, String name, int max) {
        String v = QueryParams.single(ctx, name);
        if (v == null || v.isEmpty()) {
            return Optional.empty();
        }
        if (v.length() > max || v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.validation(name, name + " must be at most " + max + " printable characters");
        }
        return Optional.of(v);
    }

    private static Optional<String> oneOf(Context ctx, String name, Set<String> allowed) {
        return text(ctx, name, 32).map(v -> {
            if (!allowed.contains(v)) {
                throw ApiException.validation(name, name + " must be one of: " + String.join(", ", allowed.stream().sorted().toList()));
            }
            return v;
        });
    }

    static ZoneId zone(Context ctx) {
        String raw = QueryParams.single(ctx, "timezone");
        if (raw == null || raw.isEmpty()) {
            return ZoneId.of("UTC");
        }
        try {
            if (raw.length() > 64) {
                throw new DateTimeException("too long");
            }
            return ZoneId.of(raw);
        } catch (DateTimeException e) {
            throw ApiException.validation("timezone", "timezone must be an IANA time zone such as Europe/Berlin");
        }
    }
}
