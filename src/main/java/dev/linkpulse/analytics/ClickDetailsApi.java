package dev.linkpulse.analytics;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickFilter;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.common.Csv;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/analytics/click-details[/:shortUrlId]}: the click log (spec §4.1) with offset
 * or cursor paging, {@code since_id}, the common filters, and CSV / NDJSON export.
 */
public final class ClickDetailsApi implements Routes {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;
    /** Rows an export reads at once: each page is its own short read, so no transaction spans a download. */
    static final int EXPORT_PAGE = 5_000;
    /** Exports one workspace may run at once: each holds a connection to a client for as long as it reads. */
    static final int MAX_EXPORTS_PER_WORKSPACE = 2;
    /** What a refused export is told to wait, in seconds: an export of a large log takes about that long. */
    static final long EXPORT_RETRY_AFTER_SECONDS = 10;

    private final LinkService links;
    private final ClickStore clicks;
    private final Conversions conversions;
    private final Auth auth;
    private final Clock clock;
    private final String baseUrl;
    private final ConcurrentHashMap<String, Semaphore> exportsByWorkspace = new ConcurrentHashMap<>();

    public ClickDetailsApi(LinkService links, ClickStore clicks, Conversions conversions, Auth auth, Clock clock, String baseUrl) {
        this.baseUrl = baseUrl;
        this.links = links;
        this.clicks = clicks;
        this.conversions = conversions;
        this.auth = auth;
        this.clock = clock;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/api/v1/analytics/click-details", auth.require(Permission.ANALYTICS, this::log));
        routes.get("/api/v1/analytics/click-details/{shortUrlId}", auth.require(Permission.ANALYTICS, this::log));
    }

    /**
     * Which view of the log a request asks for. Without {@code since_id}: every matching click,
     * newest first by clicked_at then id, paged by offset or a time cursor. With it: the clicks
     * stored after that click, newest stored first (storage sequence), paged by offset or a sequence
     * cursor; a click stored late, with an old clicked_at, is still "newer" than the clicks stored
     * before it, so polling with the first id of the previous answer never misses or repeats one.
     */
    private record View(Optional<Long> sinceSeq, Optional<ClickStore.Position> timeCursor, Optional<Long> seqCursor) {}

    private void log(Context ctx, ApiKey key) throws IOException {
        String format = Optional.ofNullable(QueryParams.single(ctx, "format")).orElse("json");
        if (!format.equals("json") && !format.equals("csv") && !format.equals("ndjson")) {
            throw ApiException.validation("format", "format must be json, csv or ndjson");
        }
        int limit = (int) QueryParams.integer(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        long offset = QueryParams.integer(ctx, "offset", 0, 0, Long.MAX_VALUE);
        String rawCursor = QueryParams.single(ctx, "cursor");
        String sinceId = QueryParams.single(ctx, "since_id");
        if (rawCursor != null && offset > 0) {
            throw ApiException.validation("cursor", "use cursor or offset, not both");
        }
        Optional<ClickStore.Position> timeCursor = sinceId == null ? Optional.ofNullable(rawCursor).map(ClickDetailsApi::decodeCursor)
                : Optional.empty();
        Optional<Long> seqCursor = sinceId != null ? Optional.ofNullable(rawCursor).map(ClickDetailsApi::decodeSinceCursor)
                : Optional.empty();
        Scope scope = Scope.of(ctx, key, links, Optional.empty());
        ClickFilter f = scope.filter();
        Map<String, String> codes = new HashMap<>();
        scope.link().ifPresent(l -> codes.put(l.id(), l.shortCode()));
        Optional<Long> since = Optional.ofNullable(sinceId).map(s -> clicks.seqOf(f, s).orElseThrow(() -> ApiException.validation(
                "since_id", "since_id names no click of this " + (scope.link().isEmpty() ? "workspace" : "link"))));
        View view = new View(since, timeCursor, seqCursor);

        if (!format.equals("json")) {
            Semaphore exports = exportsByWorkspace.computeIfAbsent(key.workspaceId(), k -> new Semaphore(MAX_EXPORTS_PER_WORKSPACE));
            if (!exports.tryAcquire()) {
                throw tooManyExports(ctx);
            }
            try {
                export(ctx, f, view, format, scope.link().map(ShortUrl::shortCode).orElse("workspace"), codes);
            } finally {
                exports.release();
            }
            return;
        }
        List<Click> page;
        String nextCursor = null;
        if (since.isPresent()) {
            List<ClickStore.Stored> rows = clicks.newestStored(f, since.get(), seqCursor, limit + 1, offset);
            if (rows.size() > limit) {
                rows = rows.subList(0, limit);
                nextCursor = encodeSinceCursor(rows.get(rows.size() - 1).seq());
            }
            page = rows.stream().map(ClickStore.Stored::click).toList();
        } else {
            page = clicks.page(f, limit + 1, offset, timeCursor);
            if (page.size() > limit) {
                page = page.subList(0, limit);
                nextCursor = encodeCursor(page.get(page.size() - 1));
            }
        }
        fillCodes(codes, page);
        long total;
        if (since.isPresent()) {
            total = clicks.countStoredAfter(f, since.get());
        } else if (f.isUnfiltered()) {
            // The counters hold it (retention takes its deletions off them too): no scan of the log.
            total = f.linkId().map(clicks::countOfLink).orElseGet(() -> clicks.countOfWorkspace(key.workspaceId()));
        } else {
            total = clicks.count(f);
        }
        Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("limit", limit);
        pagination.put("offset", offset);
        pagination.put("total", total);
        pagination.put("next_cursor", nextCursor);
        Map<String, Object> data = new LinkedHashMap<>();
        Set<String> unique = clicks.firstOfDay(page);
        data.put("data", page.stream().map(c -> record(c, codes, unique)).toList());
        data.put("pagination", pagination);
        // Apart from the records (issue 17): a click's record is the same in the log, the exports,
        // webhooks and Kafka, and conversions come after the click.
        data.put("conversions", conversions.ofClicks(key.workspaceId(), page.stream().map(Click::id).toList()));
        Json.ok(ctx, data);
    }

    /** The click as the log shows it, with its link's short URL and whether it was its visitor's first that day. */
    Map<String, Object> record(Click c, Map<String, String> codes, Set<String> firstOfDay) {
        String code = codes.get(c.linkId());
        return ClickRecordView.of(c, code, shortUrl(baseUrl, code), firstOfDay.contains(c.id()));
    }

    static String shortUrl(String baseUrl, String code) {
        return code == null ? null : baseUrl + "/" + code;
    }

    private ApiException tooManyExports(Context ctx) {
        ctx.header("Retry-After", Long.toString(EXPORT_RETRY_AFTER_SECONDS));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("limit", MAX_EXPORTS_PER_WORKSPACE);
        details.put("remaining", 0);
        details.put("reset_at", Timestamps.format(clock.millis() + EXPORT_RETRY_AFTER_SECONDS * 1_000));
        details.put("class", "export");
        return new ApiException(429, "RATE_LIMIT_EXCEEDED", "This workspace already runs " + MAX_EXPORTS_PER_WORKSPACE
                + " exports; retry after one has finished", details);
    }

    private void fillCodes(Map<String, String> codes, List<Click> page) {
        List<String> missing = page.stream().map(Click::linkId).filter(l -> !codes.containsKey(l)).distinct().toList();
        if (!missing.isEmpty()) {
            codes.putAll(links.codesOf(missing));
        }
    }

    private void export(Context ctx, ClickFilter f, View view, String format, String scope, Map<String, String> codes) throws IOException {
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
        try {
            // Keyset pages, in the order of the JSON view, each read one ahead (ExportPages): each read
            // ends before its rows are written, so a slow client holds no transaction, snapshot or
            // connection of the store.
            if (view.sinceSeq().isPresent()) {
                long since = view.sinceSeq().get();
                ExportPages.write((Optional<Long> before) -> {
                    List<ClickStore.Stored> rows = clicks.newestStored(f, since, before, EXPORT_PAGE, 0);
                    List<Click> page = rows.stream().map(ClickStore.Stored::click).toList();
                    return new ExportPages.Page<>(page, clicks.firstOfDay(page),
                            rows.size() < EXPORT_PAGE ? Optional.empty() : Optional.of(rows.getLast().seq()));
                }, page -> writeRows(out, json, page, codes, format));
            } else {
                ExportPages.write((Optional<ClickStore.Position> olderThan) -> {
                    List<Click> page = clicks.page(f, EXPORT_PAGE, 0, olderThan);
                    return new ExportPages.Page<>(page, clicks.firstOfDay(page), page.size() < EXPORT_PAGE ? Optional.empty()
                            : Optional.of(new ClickStore.Position(page.getLast().clickedAt(), page.getLast().id())));
                }, page -> writeRows(out, json, page, codes, format));
            }
        } catch (UncheckedIOException e) {
            return; // the client went away
        }
        out.flush();
        json.flush();
        bytes.flush();
    }

    private void writeRows(Writer out, JsonGenerator json, ExportPages.Page<?> page, Map<String, String> codes, String format) {
        List<Click> rows = page.rows();
        if (rows.isEmpty()) {
            return;
        }
        fillCodes(codes, rows);
        Set<String> unique = page.unique();
        try {
            if (format.equals("csv")) {
                StringBuilder line = new StringBuilder(1024);
                for (Click c : rows) {
                    line.setLength(0);
                    String code = codes.get(c.linkId());
                    String[] values = ClickRecordView.values(c, code, shortUrl(baseUrl, code), unique.contains(c.id()));
                    for (int i = 0; i < values.length; i++) {
                        line.append(i == 0 ? "" : ",").append(Csv.cell(values[i]));
                    }
                    out.append(line).append("\r\n");
                }
            } else {
                for (Click c : rows) {
                    String code = codes.get(c.linkId());
                    ClickRecordView.write(json, c, code, shortUrl(baseUrl, code), unique.contains(c.id()));
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

    /** A cursor of the since_id view: a place in storage order. */
    static String encodeSinceCursor(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("2:" + seq).getBytes(StandardCharsets.UTF_8));
    }

    static long decodeSinceCursor(String cursor) {
        try {
            if (cursor.length() > 200) {
                throw new IllegalArgumentException();
            }
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!raw.matches("2:[0-9]{1,18}")) {
                throw new IllegalArgumentException();
            }
            return Long.parseLong(raw.substring(2));
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("cursor", "cursor is not one this server gave out for this since_id");
        }
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
