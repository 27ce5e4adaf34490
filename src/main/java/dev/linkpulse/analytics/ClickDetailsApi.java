package dev.linkpulse.analytics;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickAggregates;
import dev.linkpulse.clicks.ClickFilter;
import dev.linkpulse.clicks.ClickStore;
import dev.linkpulse.common.Csv;
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
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/analytics/click-details[/:shortUrlId]}: the click log (spec §4.1) with offset
 * or cursor paging, {@code since_id}, the common filters, and CSV / NDJSON export.
 */
public final class ClickDetailsApi implements Routes {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;

    private final LinkService links;
    private final ClickStore clicks;
    private final ClickAggregates aggregates;
    private final Auth auth;
    private final Clock clock;

    public ClickDetailsApi(LinkService links, ClickStore clicks, ClickAggregates aggregates, Auth auth, Clock clock) {
        this.links = links;
        this.clicks = clicks;
        this.aggregates = aggregates;
        this.auth = auth;
        this.clock = clock;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/api/v1/analytics/click-details", auth.require(Permission.ANALYTICS, this::log));
        routes.get("/api/v1/analytics/click-details/{shortUrlId}", auth.require(Permission.ANALYTICS, this::log));
    }

    private void log(Context ctx, ApiKey key) throws IOException {
        String format = Optional.ofNullable(QueryParams.single(ctx, "format")).orElse("json");
        if (!format.equals("json") && !format.equals("csv") && !format.equals("ndjson")) {
            throw ApiException.validation("format", "format must be json, csv or ndjson");
        }
        int limit = (int) QueryParams.integer(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        long offset = QueryParams.integer(ctx, "offset", 0, 0, Long.MAX_VALUE);
        Optional<ClickStore.Position> cursor = Optional.ofNullable(QueryParams.single(ctx, "cursor")).map(ClickDetailsApi::decodeCursor);
        if (cursor.isPresent() && offset > 0) {
            throw ApiException.validation("cursor", "use cursor or offset, not both");
        }
        Scope scope = Scope.of(ctx, key, links, Optional.empty());
        ClickFilter filter = scope.filter();
        String id = scope.link().map(ShortUrl::id).orElse(null);
        Map<String, String> codes = new HashMap<>();
        scope.link().ifPresent(l -> codes.put(l.id(), l.shortCode()));
        ClickFilter f = filter;
        Optional<ClickStore.Position> since = Optional.ofNullable(QueryParams.single(ctx, "since_id")).map(s ->
                clicks.positionOf(f, s).orElseThrow(() -> ApiException.validation("since_id",
                        "since_id names no click of this " + (id == null ? "workspace" : "link"))));

        if (!format.equals("json")) {
            export(ctx, f, format, scope.link().map(ShortUrl::shortCode).orElse("workspace"), codes);
            return;
        }
        List<Click> page = clicks.page(f, limit + 1, offset, cursor, since);
        boolean more = page.size() > limit;
        if (more) {
            page = page.subList(0, limit);
        }
        fillCodes(codes, page);
        long total;
        if (since.isPresent()) {
            total = clicks.countNewer(f, since.get());
        } else if (f.isUnfiltered()) {
            // The counters hold it: no scan of the log.
            total = f.linkId().map(clicks::countOfLink).orElseGet(() -> clicks.countOfWorkspace(key.workspaceId()));
        } else {
            total = aggregates.count(f).clicks();
        }
        Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("limit", limit);
        pagination.put("offset", offset);
        pagination.put("total", total);
        pagination.put("next_cursor", more ? encodeCursor(page.get(page.size() - 1)) : null);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("data", page.stream().map(c -> ClickRecordView.of(c, codes.get(c.linkId()))).toList());
        data.put("pagination", pagination);
        Json.ok(ctx, data);
    }

    private void fillCodes(Map<String, String> codes, List<Click> page) {
        List<String> missing = page.stream().map(Click::linkId).filter(l -> !codes.containsKey(l)).distinct().toList();
        if (!missing.isEmpty()) {
            codes.putAll(links.codesOf(missing));
        }
    }

    private void export(Context ctx, ClickFilter f, String format, String scope, Map<String, String> codes) throws IOException {
        String date = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
        String safeScope = scope.replaceAll("[^A-Za-z0-9_-]", "_");
        ctx.header("Content-Disposition", "attachment; filename=\"clicks-" + safeScope + "-" + date + "." + format + "\"");
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(format.equals("csv") ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8");
        ctx.status(200);
        OutputStream bytes = new BufferedOutputStream(ctx.outputStream(), 64 * 1024);
        Writer out = new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), 64 * 1024);
        if (format.equals("csv")) {
            out.write(ClickRecordView.FIELDS.stream().map(Csv::field).collect(Collectors.joining(",")));
            out.write("\r\n");
        }
        // One generator for the whole stream, encoding straight to UTF-8 bytes (the char-based one
        // was the export's largest cost); it must not close the response when it is done.
        JsonGenerator json = Json.MAPPER.getFactory().createGenerator(bytes, JsonEncoding.UTF8)
                .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        json.setRootValueSeparator(null);
        List<Click> buffer = new ArrayList<>(500);
        try {
            clicks.forEach(f, click -> {
                buffer.add(click);
                if (buffer.size() == 500) {
                    writeRows(out, json, buffer, codes, format);
                    buffer.clear();
                }
            });
            writeRows(out, json, buffer, codes, format);
        } catch (UncheckedIOException e) {
            return; // the client went away
        }
        out.flush();
        json.flush();
        bytes.flush();
    }

    private void writeRows(Writer out, JsonGenerator json, List<Click> rows, Map<String, String> codes, String format) {
        if (rows.isEmpty()) {
            return;
        }
        fillCodes(codes, rows);
        try {
            if (format.equals("csv")) {
                StringBuilder line = new StringBuilder(1024);
                for (Click c : rows) {
                    line.setLength(0);
                    String[] values = ClickRecordView.values(c, codes.get(c.linkId()));
                    for (int i = 0; i < values.length; i++) {
                        line.append(i == 0 ? "" : ",").append(Csv.cell(values[i]));
                    }
                    out.append(line).append("\r\n");
                }
            } else {
                for (Click c : rows) {
                    ClickRecordView.write(json, c, codes.get(c.linkId()));
                    json.writeRaw('\n');
                }
                json.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String encodeCursor(Click last) {
        String raw = "1:" + last.clickedAt() + ":" + last.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static ClickStore.Position decodeCursor(String cursor) {
        try {
            if (cursor.length() > 200) {
                throw new IllegalArgumentException();
            }
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split(":", 3);
            if (parts.length != 3 || !parts[0].equals("1") || !parts[2].matches("[0-9a-f-]{36}")) {
                throw new IllegalArgumentException();
            }
            return new ClickStore.Position(Long.parseLong(parts[1]), parts[2]);
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("cursor", "cursor is not one this server gave out");
        }
    }
}
