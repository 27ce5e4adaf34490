package dev.linkpulse.links;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.Json;
import dev.linkpulse.http.Routes;
import dev.linkpulse.keys.ApiKey;
import dev.linkpulse.keys.Permission;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/v1/bulk-urls/validate} and {@code /create}: CSV as a multipart {@code file} or
 * JSON {@code csv_content}, or (create only) JSON {@code validated_urls}.
 */
public final class BulkImportApi implements Routes {

    private final LinkService links;
    private final BulkImport bulk;
    private final Auth auth;
    private final String baseUrl;
    private final Clock clock;

    public BulkImportApi(LinkService links, Auth auth, String baseUrl, Clock clock) {
        this.links = links;
        this.bulk = new BulkImport(new ShortUrlInput(new DestinationRules(baseUrl), Hosts.baseHost(baseUrl)), links);
        this.auth = auth;
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.post("/api/v1/bulk-urls/validate", auth.require(Permission.WRITE, this::validate));
        routes.post("/api/v1/bulk-urls/create", auth.require(Permission.WRITE, this::create));
    }

    private void validate(Context ctx, ApiKey key) {
        List<BulkImport.Checked> checked = bulk.check(rows(ctx, false), clock.millis(), key.workspaceId());
        List<Map<String, Object>> results = new ArrayList<>();
        List<JsonNode> validated = new ArrayList<>();
        for (BulkImport.Checked c : checked) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("row", c.row().number());
            r.put("valid", c.valid());
            r.put("data", c.row().body());
            r.put("errors", c.errors());
            results.add(r);
            if (c.valid()) {
                validated.add(c.row().body());
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("total_rows", checked.size());
        data.put("valid_rows", validated.size());
        data.put("invalid_rows", checked.size() - validated.size());
        data.put("results", results);
        data.put("validated_urls", validated);
        Json.ok(ctx, data);
    }

    private void create(Context ctx, ApiKey key) {
        List<BulkImport.Checked> checked = bulk.check(rows(ctx, true), clock.millis(), key.workspaceId());
        List<NewShortUrl> valid = checked.stream().flatMap(c -> c.request().stream()).toList();
        List<Optional<ShortUrl>> created = links.createAll(key.workspaceId(), valid);
        List<Map<String, Object>> results = new ArrayList<>();
        int next = 0;
        int ok = 0;
        for (BulkImport.Checked c : checked) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("row", c.row().number());
            if (c.valid()) {
                Optional<ShortUrl> link = created.get(next++);
                r.put("success", link.isPresent());
                if (link.isPresent()) {
                    ok++;
                    r.put("short_url", ShortUrlView.of(link.get(), baseUrl, 0, valid.get(next - 1).tags()));
                } else {
                    r.put("error", Map.of("field", "custom_alias", "code", "ALIAS_TAKEN",
                            "message", "alias was taken while importing"));
                }
            } else {
                r.put("success", false);
                r.put("error", c.errors().get(0));
            }
            results.add(r);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("total_rows", checked.size());
        data.put("created", ok);
        data.put("failed", checked.size() - ok);
        data.put("results", results);
        Json.ok(ctx, ok > 0 ? 201 : 200, data);
    }

    private static List<BulkImport.Row> rows(Context ctx, boolean allowValidated) {
        String contentType = String.valueOf(ctx.contentType()).toLowerCase(java.util.Locale.ROOT);
        if (contentType.startsWith("multipart/form-data")) {
            return BulkImport.rowsOfCsv(uploadedCsv(ctx), "file");
        }
        JsonNode body = Json.objectBody(ctx, BulkImport.MAX_CSV_BYTES + 64 * 1024);
        JsonNode csv = body.get("csv_content");
        if (csv != null && !csv.isNull()) {
            if (!csv.isTextual()) {
                throw ApiException.validation("csv_content", "csv_content must be a string");
            }
            if (csv.textValue().getBytes(StandardCharsets.UTF_8).length > BulkImport.MAX_CSV_BYTES) {
                throw Json.tooLarge(BulkImport.MAX_CSV_BYTES);
            }
            return BulkImport.rowsOfCsv(csv.textValue(), "csv_content");
        }
        JsonNode validated = body.get("validated_urls");
        if (allowValidated && validated != null && !validated.isNull()) {
            return BulkImport.rowsOfArray(validated);
        }
        throw ApiException.validation(allowValidated ? "validated_urls" : "csv_content",
                allowValidated ? "send a CSV as multipart 'file' or 'csv_content', or 'validated_urls'"
                        : "send a CSV as multipart 'file' or 'csv_content'");
    }

    /** True when a multipart failure is one of Jetty's size limits ("max file size exceeded: …", "max length exceeded: …"). */
    private static boolean isOverMultipartLimit(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("exceeded")) {
                return true;
            }
        }
        return false;
    }

    private static String uploadedCsv(Context ctx) {
        UploadedFile file;
        try {
            file = ctx.uploadedFile("file");
        } catch (Exception e) {
            // Jetty's multipart parser fails with a checked ServletException that Kotlin rethrows
            // unchecked; only the causes tell a body over the limits from one that is malformed.
            if (isOverMultipartLimit(e)) {
                throw Json.tooLarge(BulkImport.MAX_CSV_BYTES);
            }
            throw ApiException.validation("file", "the multipart body could not be read: send one part named 'file' with the CSV");
        }
        if (file == null) {
            throw ApiException.validation("file", "multipart field 'file' with the CSV is required");
        }
        if (file.size() > BulkImport.MAX_CSV_BYTES) {
            throw Json.tooLarge(BulkImport.MAX_CSV_BYTES);
        }
        try (InputStream in = file.content()) {
            byte[] bytes = in.readNBytes(BulkImport.MAX_CSV_BYTES + 1);
            if (bytes.length > BulkImport.MAX_CSV_BYTES) {
                throw Json.tooLarge(BulkImport.MAX_CSV_BYTES);
            }
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.validation("file", "the CSV file must be UTF-8");
        } catch (IOException e) {
            throw ApiException.validation("file", "the CSV file could not be read");
        }
    }
}
