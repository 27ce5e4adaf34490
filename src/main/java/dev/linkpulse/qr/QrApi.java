package dev.linkpulse.qr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.common.Timestamps;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.Json;
import dev.linkpulse.http.JsonFields;
import dev.linkpulse.http.QueryParams;
import dev.linkpulse.http.Routes;
import dev.linkpulse.keys.ApiKey;
import dev.linkpulse.keys.Permission;
import dev.linkpulse.links.LinkService;
import dev.linkpulse.links.ShortUrl;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /api/v1/qr-codes} and {@code /api/v1/short-urls/{id}/qr} (spec §6.3). */
public final class QrApi implements Routes {

    private static final int MAX_NAME = 255;
    // Field names a body may use, each with jmpy's other spelling (spec §6.1).
    private static final Map<String, String> CREATE_FIELDS = Map.ofEntries(
            Map.entry("content_type", "content_type"), Map.entry("contentType", "content_type"),
            Map.entry("content_data", "content_data"), Map.entry("contentData", "content_data"),
            Map.entry("visual_settings", "visual_settings"), Map.entry("visualSettings", "visual_settings"),
            Map.entry("is_dynamic", "is_dynamic"), Map.entry("isDynamic", "is_dynamic"), Map.entry("dynamic", "is_dynamic"),
            Map.entry("tracking_enabled", "tracking_enabled"), Map.entry("trackingEnabled", "tracking_enabled"),
            Map.entry("name", "name"), Map.entry("password", "password"),
            Map.entry("is_password_protected", "is_password_protected"), Map.entry("isPasswordProtected", "is_password_protected"),
            Map.entry("expires_at", "expires_at"), Map.entry("expiresAt", "expires_at"));
    private static final List<String> UPDATABLE = List.of("content_data", "name", "tracking_enabled", "password",
            "is_password_protected", "expires_at");
    private static final Map<String, String> VISUAL_FIELDS = Map.ofEntries(
            Map.entry("foregroundColor", "foregroundColor"), Map.entry("foreground_color", "foregroundColor"),
            Map.entry("backgroundColor", "backgroundColor"), Map.entry("background_color", "backgroundColor"),
            Map.entry("size", "size"), Map.entry("margin", "margin"),
            Map.entry("errorCorrectionLevel", "errorCorrectionLevel"), Map.entry("error_correction_level", "errorCorrectionLevel"),
            Map.entry("logoUrl", "logoUrl"), Map.entry("logo_url", "logoUrl"));

    private final QrService qr;
    private final LinkService links;
    private final Auth auth;
    private final RenderGate gate;
    private final Clock clock;

    public QrApi(QrService qr, LinkService links, Auth auth, RenderGate gate, Clock clock) {
        this.qr = qr;
        this.links = links;
        this.auth = auth;
        this.gate = gate;
        this.clock = clock;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.post("/api/v1/qr-codes/generate", auth.require(Permission.WRITE, this::create));
        routes.get("/api/v1/qr-codes", auth.require(Permission.READ, this::list));
        routes.get("/api/v1/qr-codes/{id}", auth.require(Permission.READ, this::get));
        routes.put("/api/v1/qr-codes/{id}", auth.require(Permission.WRITE, this::update));
        routes.delete("/api/v1/qr-codes/{id}", auth.require(Permission.DELETE, this::delete));
        routes.get("/api/v1/qr-codes/{id}/image", auth.require(Permission.READ, this::image));
        routes.get("/api/v1/short-urls/{id}/qr", auth.require(Permission.READ, this::linkImage));
    }

    private void create(Context ctx, ApiKey key) {
        Map<String, JsonNode> body = canonical(Json.objectBody(ctx), CREATE_FIELDS, "");
        QrContent.Type type = QrContent.Type.parse(requiredString(body, "content_type"));
        QrContent.Parsed content = QrContent.parse(type, body.get("content_data"));
        QrStyle style = visual(body.get("visual_settings"));
        boolean dynamic = bool(body, "is_dynamic", false);
        boolean tracked = bool(body, "tracking_enabled", false);
        refusePassword(body);
        Optional<String> name = name(body);
        Optional<Long> expiresAt = expiry(body).flatMap(e -> e);
        QrService.View v = qr.create(key.workspaceId(), new QrService.NewQr(content, style, dynamic, tracked, name, expiresAt));
        Json.ok(ctx, 201, Map.of("qrCode", view(v)));
    }

    private void list(Context ctx, ApiKey key) {
        int page = (int) QueryParams.integer(ctx, "page", 1, 1, 1_000_000);
        int limit = (int) QueryParams.integer(ctx, "limit", 50, 1, 100);
        String type = oneOf(ctx, "qrType", "qr_type", "all", List.of("static", "dynamic", "tracked", "all"));
        String sortBy = oneOf(ctx, "sortBy", "sort", "created_at", List.of("name", "scans", "created_at"));
        String order = oneOf(ctx, "sortOrder", "order", "desc", List.of("asc", "desc"));
        String search = QueryParams.single(ctx, "search");
        if (search != null && search.length() > 200) {
            throw ApiException.validation("search", "search must be at most 200 characters");
        }
        String range = oneOf(ctx, "dateRange", "date_range", "all_time", List.of("7d", "30d", "90d", "1y", "all_time"));
        Optional<Long> from = switch (range) {
            case "7d" -> Optional.of(clock.millis() - Duration.ofDays(7).toMillis());
            case "30d" -> Optional.of(clock.millis() - Duration.ofDays(30).toMillis());
            case "90d" -> Optional.of(clock.millis() - Duration.ofDays(90).toMillis());
            case "1y" -> Optional.of(clock.millis() - Duration.ofDays(365).toMillis());
            default -> Optional.empty();
        };
        QrService.Page result = qr.list(key.workspaceId(), new QrListQuery(page, limit, type,
                Optional.ofNullable(search).filter(s -> !s.isEmpty()), from, sortBy, order.equals("asc")));
        long totalPages = (result.total() + limit - 1) / limit;
        Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("page", page);
        pagination.put("limit", limit);
        pagination.put("totalCount", result.total());
        pagination.put("totalPages", totalPages);
        pagination.put("hasNext", page < totalPages);
        pagination.put("hasPrev", page > 1);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("qrCodes", result.items().stream().map(this::view).toList());
        data.put("pagination", pagination);
        Json.ok(ctx, data);
    }

    private QrService.View find(Context ctx, ApiKey key) {
        return qr.find(key.workspaceId(), ctx.pathParam("id")).orElseThrow(() -> ApiException.notFound("QR code not found"));
    }

    private void get(Context ctx, ApiKey key) {
        Json.ok(ctx, Map.of("qrCode", view(find(ctx, key))));
    }

    private void update(Context ctx, ApiKey key) {
        QrService.View current = find(ctx, key);
        Map<String, JsonNode> body = canonical(Json.objectBody(ctx), CREATE_FIELDS, "");
        for (String field : body.keySet()) {
            if (!UPDATABLE.contains(field)) {
                throw ApiException.validation(field, field + " cannot be changed"
                        + (field.equals("visual_settings") ? ": visual settings are fixed once a code is made" : ""));
            }
        }
        Optional<QrContent.Parsed> content = body.containsKey("content_data")
                ? Optional.of(QrContent.parse(QrContent.Type.parse(current.code().contentType()), body.get("content_data")))
                : Optional.empty();
        refusePassword(body);
        Optional<Optional<String>> name = body.containsKey("name") ? Optional.of(name(body)) : Optional.empty();
        Optional<Boolean> tracked = body.containsKey("tracking_enabled") ? Optional.of(bool(body, "tracking_enabled", false))
                : Optional.empty();
        QrService.View updated = qr.update(current, new QrService.QrUpdate(content, name, tracked, expiry(body)));
        Json.ok(ctx, Map.of("qrCode", view(updated)));
    }

    private void delete(Context ctx, ApiKey key) {
        qr.delete(find(ctx, key));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("data", Map.of("message", "QR code deleted successfully"));
        body.put("timestamp", Timestamps.format(clock.millis()));
        Json.write(ctx, 200, body);
    }

    private void image(Context ctx, ApiKey key) {
        QrService.View v = find(ctx, key);
        QrRenderer.Format format = format(ctx);
        Optional<Integer> size = sizeParam(ctx);
        QrStyle style = QrService.styleOf(v.code(), size);
        send(ctx, format, "qr-" + v.code().id(), gate.render(ctx, () -> QrRenderer.render(v.code().content(), style, format)));
    }

    private void linkImage(Context ctx, ApiKey key) {
        ShortUrl link = links.resolve(key.workspaceId(), ctx.pathParam("id"))
                .orElseThrow(() -> ApiException.notFound("Short URL not found"));
        QrRenderer.Format format = format(ctx);
        int size = sizeParam(ctx).orElse(300);
        int fg = colourParam(ctx, "foregroundColor", 0x000000);
        int bg = colourParam(ctx, "backgroundColor", 0xFFFFFF);
        QrStyle.checkContrast("foregroundColor", fg, bg);
        String margin = QueryParams.single(ctx, "margin");
        int m = margin == null ? 4 : QrStyle.checkMargin("margin", QueryParams.parseInteger("margin", margin, -1, 1_000));
        String level = QueryParams.single(ctx, "errorCorrectionLevel");
        QrStyle style = new QrStyle(fg, bg, size, m, level == null ? QrStyle.DEFAULT.level() : QrStyle.parseLevel("errorCorrectionLevel", level),
                Optional.empty());
        String text = qr.shortUrl(link);
        send(ctx, format, "qr-" + link.shortCode(), gate.render(ctx, () -> QrRenderer.render(text, style, format)));
    }

    private static void send(Context ctx, QrRenderer.Format format, String name, byte[] image) {
        String ext = format == QrRenderer.Format.PNG ? "png" : "svg";
        ctx.status(200).contentType(format.mediaType).header("Content-Disposition", "inline; filename=\"" + name + "." + ext + "\"")
                .header("Cache-Control", "private, no-store").header("X-Content-Type-Options", "nosniff").result(image);
    }

    private static QrRenderer.Format format(Context ctx) {
        String raw = QueryParams.single(ctx, "format");
        if (raw == null || raw.isEmpty() || raw.equals("png")) {
            return QrRenderer.Format.PNG;
        }
        if (raw.equals("svg")) {
            return QrRenderer.Format.SVG;
        }
        throw ApiException.validation("format", "format must be png or svg");
    }

    private static Optional<Integer> sizeParam(Context ctx) {
        String raw = QueryParams.single(ctx, "size");
        if (raw == null || raw.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(QrStyle.checkSize("size", QueryParams.parseInteger("size", raw, Integer.MIN_VALUE, Integer.MAX_VALUE)));
    }

    private static int colourParam(Context ctx, String name, int fallback) {
        String raw = QueryParams.single(ctx, name);
        return raw == null || raw.isEmpty() ? fallback : QrStyle.parseColour(name, raw);
    }

    private static String oneOf(Context ctx, String name, String other, String fallback, List<String> allowed) {
        String a = QueryParams.single(ctx, name);
        String raw = a != null ? a : QueryParams.single(ctx, other);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        if (!allowed.contains(raw)) {
            throw ApiException.validation(a != null ? name : other, name + " must be one of " + String.join(", ", allowed));
        }
        return raw;
    }

    /** The body's fields under their canonical names; an unknown field is a 400 naming it (spec §6.1). */
    private static Map<String, JsonNode> canonical(JsonNode body, Map<String, String> known, String prefix) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = body.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = known.get(e.getKey());
            if (name == null) {
                unknown.add(prefix + e.getKey());
            } else if (out.put(name, e.getValue()) != null) {
                throw ApiException.validation(prefix + name, prefix + name + " is given under two spellings");
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiException.validation(unknown.get(0), "Unknown field(s): " + String.join(", ", unknown), Map.of("unknown", unknown));
        }
        return out;
    }

    private static QrStyle visual(JsonNode node) {
        if (node == null || node.isNull()) {
            return QrStyle.DEFAULT;
        }
        if (!node.isObject()) {
            throw ApiException.validation("visual_settings", "visual_settings must be an object");
        }
        Map<String, JsonNode> v = canonical(node, VISUAL_FIELDS, "visual_settings.");
        QrStyle d = QrStyle.DEFAULT;
        int fg = text(v, "foregroundColor").map(s -> QrStyle.parseColour("visual_settings.foregroundColor", s)).orElse(d.foreground());
        int bg = text(v, "backgroundColor").map(s -> QrStyle.parseColour("visual_settings.backgroundColor", s)).orElse(d.background());
        QrStyle.checkContrast("visual_settings.foregroundColor", fg, bg);
        int size = integer(v, "size").map(n -> QrStyle.checkSize("visual_settings.size", n)).orElse(d.size());
        int margin = integer(v, "margin").map(n -> QrStyle.checkMargin("visual_settings.margin", n)).orElse(d.margin());
        var level = text(v, "errorCorrectionLevel").map(s -> QrStyle.parseLevel("visual_settings.errorCorrectionLevel", s))
                .orElse(d.level());
        Optional<QrLogo> logo = text(v, "logoUrl").filter(s -> !s.isEmpty())
                .map(s -> QrLogo.fromDataUrl("visual_settings.logoUrl", s));
        return new QrStyle(fg, bg, size, margin, level, logo);
    }

    private static Optional<String> text(Map<String, JsonNode> v, String field) {
        JsonNode n = v.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw ApiException.validation("visual_settings." + field, "visual_settings." + field + " must be a string");
        }
        return Optional.of(n.textValue());
    }

    private static Optional<Long> integer(Map<String, JsonNode> v, String field) {
        JsonNode n = v.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw ApiException.validation("visual_settings." + field, "visual_settings." + field + " must be an integer");
        }
        return Optional.of(n.longValue());
    }

    private static String requiredString(Map<String, JsonNode> body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            throw ApiException.validation(field, field + " is required");
        }
        if (!n.isTextual()) {
            throw ApiException.validation(field, field + " must be a string");
        }
        return n.textValue();
    }

    private static boolean bool(Map<String, JsonNode> body, String field, boolean fallback) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw ApiException.validation(field, field + " must be true or false");
        }
        return n.booleanValue();
    }

    private static Optional<String> name(Map<String, JsonNode> body) {
        JsonNode n = body.get("name");
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw ApiException.validation("name", "name must be a string");
        }
        String name = JsonFields.withoutOuterSpaces(n.textValue());
        if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.validation("name", "name must be 1 to " + MAX_NAME + " characters without control characters");
        }
        return Optional.of(name);
    }

    /** Passwords on codes belong with smart-link passwords, which are not built yet: refused rather than ignored. */
    private static void refusePassword(Map<String, JsonNode> body) {
        JsonNode p = body.get("password");
        if (p != null && !p.isNull()) {
            throw ApiException.validation("password", "password protection of QR codes is not supported yet");
        }
        JsonNode flag = body.get("is_password_protected");
        if (flag != null && !flag.isNull() && !(flag.isBoolean() && !flag.booleanValue())) {
            throw ApiException.validation("is_password_protected", "password protection of QR codes is not supported yet");
        }
    }

    /** Present: a new expiry or (inner empty) none; absent: unchanged. */
    private Optional<Optional<Long>> expiry(Map<String, JsonNode> body) {
        if (!body.containsKey("expires_at")) {
            return Optional.empty();
        }
        JsonNode n = body.get("expires_at");
        if (n.isNull()) {
            return Optional.of(Optional.empty());
        }
        if (!n.isTextual()) {
            throw ApiException.validation("expires_at", "expires_at must be a string");
        }
        Instant at = Timestamps.parse(n.textValue()).orElseThrow(() -> ApiException.validation("expires_at",
                "expires_at must be " + Timestamps.EXPECTED));
        if (at.toEpochMilli() <= clock.millis()) {
            throw ApiException.validation("expires_at", "expires_at must be in the future");
        }
        return Optional.of(Optional.of(at.toEpochMilli()));
    }

    private Map<String, Object> view(QrService.View v) {
        QrCode c = v.code();
        Map<String, Object> visual = new LinkedHashMap<>();
        visual.put("foregroundColor", QrStyle.formatColour(c.foreground()));
        visual.put("backgroundColor", QrStyle.formatColour(c.background()));
        visual.put("size", c.size());
        visual.put("margin", c.margin());
        visual.put("errorCorrectionLevel", c.errorLevel());
        visual.put("logoUrl", c.logo());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("name", c.name());
        m.put("content_type", c.contentType());
        try {
            m.put("content_data", Json.MAPPER.readTree(c.contentData()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        m.put("content", c.content());
        m.put("visual_settings", visual);
        m.put("is_dynamic", c.dynamic());
        m.put("tracking_enabled", c.trackingEnabled());
        m.put("short_url_id", c.shortUrlId());
        m.put("short_url", v.link().map(qr::shortUrl).orElse(null));
        m.put("scan_count", v.scans());
        m.put("last_scanned_at", Timestamps.formatNullable(v.lastScannedAt()));
        m.put("expires_at", Timestamps.formatNullable(c.expiresAt()));
        m.put("is_password_protected", false);
        m.put("source", c.source());
        m.put("created_at", Timestamps.format(c.createdAt()));
        m.put("updated_at", Timestamps.format(c.updatedAt()));
        m.put("downloadUrl", qr.baseUrl() + "/api/v1/qr-codes/" + c.id() + "/image?format=png");
        return m;
    }
}
