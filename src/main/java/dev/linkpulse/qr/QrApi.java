package dev.linkpulse.qr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.common.Timestamps;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.BodyFields;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /api/v1/qr-codes} and {@code /api/v1/short-urls/{id}/qr} (spec §6.3). */
public final class QrApi implements Routes {

    private static final int MAX_NAME = 255;
    // Field names a body may use; jmpy's other spellings are BodyFields.ALIASES (spec §6.1).
    private static final BodyFields CREATE_FIELDS = BodyFields.of("content_type", "content_data", "visual_settings", "is_dynamic",
            "tracking_enabled", "name", "password", "is_password_protected", "expires_at");
    private static final List<String> UPDATABLE = List.of("content_data", "name", "tracking_enabled", "password",
            "is_password_protected", "expires_at");
    private static final BodyFields VISUAL_FIELDS = BodyFields.of("foregroundColor", "backgroundColor", "size", "margin",
            "errorCorrectionLevel", "logoUrl");

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

    private volatile java.util.function.BiConsumer<QrCode, Map<String, Object>> created = (code, shown) -> { };

    /** Who hears of each code made, with the QR object as the API shows it (webhooks' qr.created). */
    public QrApi onCreate(java.util.function.BiConsumer<QrCode, Map<String, Object>> listener) {
        this.created = listener;
        return this;
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
        boolean multipart = String.valueOf(ctx.contentType()).toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data");
        Optional<QrLogo> uploaded = multipart ? uploadedLogo(ctx) : Optional.empty();
        Map<String, JsonNode> body = fields(CREATE_FIELDS, multipart ? formBody(ctx) : Json.objectBody(ctx), "");
        QrContent.Type type = QrContent.Type.parse(requiredString(body, "content_type"));
        QrContent.Parsed content = QrContent.parse(type, body.get("content_data"));
        QrStyle style = visual(body.get("visual_settings"));
        if (uploaded.isPresent()) {
            if (style.logo().isPresent()) {
                throw ApiException.validation("logo", "give the logo once: as the logo part or as visual_settings.logoUrl");
            }
            style = new QrStyle(style.foreground(), style.background(), style.size(), style.margin(), style.level(), uploaded);
        }
        boolean dynamic = bool(body, "is_dynamic", false);
        boolean tracked = bool(body, "tracking_enabled", false);
        Optional<String> password = password(body).flatMap(p -> p);
        if (password.isPresent() && !dynamic && !tracked) {
            throw ApiException.validation("password", "only a dynamic or tracked code can be password protected "
                    + "(the password guards its short URL; a static code's content is printed in it)");
        }
        Optional<String> name = name(body);
        Optional<Long> expiresAt = expiry(body).flatMap(e -> e);
        QrService.View v = qr.create(key.workspaceId(), new QrService.NewQr(content, style, dynamic, tracked, name, expiresAt),
                password);
        Map<String, Object> shown = view(v);
        created.accept(v.code(), shown);
        Json.ok(ctx, 201, Map.of("qrCode", shown));
    }

    /**
     * The multipart form of generate (issue 15): the fields of the JSON body as form fields (objects
     * such as content_data and visual_settings as JSON text, booleans as true/false) and the logo as
     * a file part named {@code logo}.
     */
    private static JsonNode formBody(Context ctx) {
        com.fasterxml.jackson.databind.node.ObjectNode body = Json.MAPPER.createObjectNode();
        Map<String, List<String>> form;
        try {
            form = ctx.formParamMap();
        } catch (RuntimeException e) {
            throw ApiException.validation("body", "the multipart body could not be read");
        }
        java.util.Set<String> files = ctx.uploadedFileMap().keySet();
        for (Map.Entry<String, List<String>> e : form.entrySet()) {
            String name = e.getKey();
            if (files.contains(name)) {
                continue; // a file part: uploadedLogo reads it
            }
            if (e.getValue().size() != 1) {
                throw ApiException.validation(name, name + " must be given once");
            }
            String value = e.getValue().get(0);
            String field = BodyFields.ALIASES.getOrDefault(name, name);
            switch (field) {
                case "content_data", "visual_settings" -> {
                    try {
                        body.set(name, Json.MAPPER.readTree(value));
                    } catch (java.io.IOException | RuntimeException bad) {
                        throw ApiException.validation(field, field + " must be a JSON object");
                    }
                }
                case "is_dynamic", "tracking_enabled", "is_password_protected" -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        throw ApiException.validation(field, field + " must be true or false");
                    }
                    body.put(name, Boolean.parseBoolean(value));
                }
                default -> body.put(name, value);
            }
        }
        return body;
    }

    /** The {@code logo} file part, checked like a data-URL logo (PNG, JPEG or GIF, at most {@link QrLogo#MAX_BYTES}). */
    private static Optional<QrLogo> uploadedLogo(Context ctx) {
        Map<String, List<io.javalin.http.UploadedFile>> files;
        try {
            files = ctx.uploadedFileMap();
        } catch (RuntimeException e) {
            // Jetty's multipart limits and malformed bodies both land here: either way the logo part is to blame.
            throw ApiException.validation("logo", "the multipart body could not be read: send the logo as a file part named "
                    + "'logo' of at most " + QrLogo.MAX_BYTES + " bytes");
        }
        Optional<QrLogo> logo = Optional.empty();
        for (String name : files.keySet()) {
            if (!name.equals("logo")) {
                throw ApiException.validation(name, "the only file part is 'logo'");
            }
        }
        List<io.javalin.http.UploadedFile> logos = files.getOrDefault("logo", List.of());
        if (logos.size() > 1) {
            throw ApiException.validation("logo", "give one logo");
        }
        if (logos.size() == 1) {
            io.javalin.http.UploadedFile f = logos.get(0);
            if (f.size() > QrLogo.MAX_BYTES) {
                throw ApiException.validation("logo", "logo must be at most " + QrLogo.MAX_BYTES + " bytes", Map.of("max_bytes", QrLogo.MAX_BYTES));
            }
            try (java.io.InputStream in = f.content()) {
                logo = Optional.of(QrLogo.fromBytes("logo", in.readNBytes(QrLogo.MAX_BYTES + 1)));
            } catch (java.io.IOException e) {
                throw ApiException.validation("logo", "logo could not be read");
            }
        }
        return logo;
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
        Map<String, JsonNode> body = fields(CREATE_FIELDS, Json.objectBody(ctx), "");
        for (String field : body.keySet()) {
            if (!UPDATABLE.contains(field)) {
                throw ApiException.validation(field, field + " cannot be changed"
                        + (field.equals("visual_settings") ? ": visual settings are fixed once a code is made" : ""));
            }
        }
        Optional<QrContent.Parsed> content = body.containsKey("content_data")
                ? Optional.of(QrContent.parse(QrContent.Type.parse(current.code().contentType()), body.get("content_data")))
                : Optional.empty();
        Optional<Optional<String>> password = password(body);
        if (password.isPresent() && password.get().isPresent() && current.link().isEmpty()) {
            throw ApiException.validation("password", "only a dynamic or tracked code can be password protected "
                    + "(the password guards its short URL)");
        }
        Optional<Optional<String>> name = body.containsKey("name") ? Optional.of(name(body)) : Optional.empty();
        Optional<Boolean> tracked = body.containsKey("tracking_enabled") ? Optional.of(bool(body, "tracking_enabled", false))
                : Optional.empty();
        QrService.View updated = qr.update(current, new QrService.QrUpdate(content, name, tracked, expiry(body)), password);
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

    /**
     * The body's fields under their canonical names (http/BodyFields, spec §6.1); an unknown field is
     * a 400 naming it, with {@code prefix} for a nested object such as visual_settings.
     */
    private static Map<String, JsonNode> fields(BodyFields known, JsonNode body, String prefix) {
        com.fasterxml.jackson.databind.node.ObjectNode checked;
        try {
            checked = known.check(body);
        } catch (ApiException e) {
            if (prefix.isEmpty()) {
                throw e;
            }
            Map<String, Object> more = new LinkedHashMap<>(e.details());
            String name = String.valueOf(more.remove("field"));
            String field = prefix + name;
            String message = e.getMessage().replace("'" + name + "'", "'" + field + "'");
            throw ApiException.validation(field, message.contains(field) ? message : field + ": " + message, more);
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        checked.properties().forEach(f -> out.put(f.getKey(), f.getValue()));
        return out;
    }

    private static QrStyle visual(JsonNode node) {
        if (node == null || node.isNull()) {
            return QrStyle.DEFAULT;
        }
        if (!node.isObject()) {
            throw ApiException.validation("visual_settings", "visual_settings must be an object");
        }
        Map<String, JsonNode> v = fields(VISUAL_FIELDS, node, "visual_settings.");
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

    /**
     * {@code password} and {@code is_password_protected} (issue 15): the password of the code's short
     * URL (a smart-link password: the scanner gets the password form). Present: a new password or
     * (inner empty) none; absent: unchanged. {@code is_password_protected: false} removes it; true
     * alone cannot set one.
     */
    private static Optional<Optional<String>> password(Map<String, JsonNode> body) {
        JsonNode flag = body.get("is_password_protected");
        if (flag != null && !flag.isNull() && !flag.isBoolean()) {
            throw ApiException.validation("is_password_protected", "is_password_protected must be true or false");
        }
        JsonNode p = body.get("password");
        if (p != null && !p.isNull()) {
            if (!p.isTextual()) {
                throw ApiException.validation("password", "password must be a string");
            }
            if (flag != null && flag.isBoolean() && !flag.booleanValue()) {
                throw ApiException.validation("is_password_protected", "is_password_protected is false but a password is given");
            }
            return Optional.of(Optional.of(p.textValue()));
        }
        if (flag != null && flag.isBoolean() && flag.booleanValue()) {
            throw ApiException.validation("password", "give the password to protect the code with");
        }
        if ((p != null && p.isNull()) || (flag != null && flag.isBoolean())) {
            return Optional.of(Optional.empty());
        }
        return Optional.empty();
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
        m.put("is_password_protected", v.passwordProtected());
        m.put("source", c.source());
        m.put("created_at", Timestamps.format(c.createdAt()));
        m.put("updated_at", Timestamps.format(c.updatedAt()));
        m.put("downloadUrl", qr.baseUrl() + "/api/v1/qr-codes/" + c.id() + "/image?format=png");
        return m;
    }
}
