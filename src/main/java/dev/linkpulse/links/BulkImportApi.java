package dev.linkpulse.links;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.BodyFields;
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

    private static final BodyFields VALIDATE_FIELDS = BodyFields.of("csv_content");
    private static final BodyFields CREATE_FIELDS = VALIDATE_FIELDS.and("validated_urls");

    private final BulkShortener results;
    private final Auth auth;

    public BulkImportApi(BulkShortener results, Auth auth) {
        this.results = results;
        this.auth = auth;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.post("/api/v1/bulk-urls/validate", auth.require(Permission.WRITE, this::validate));
        routes.post("/api/v1/bulk-urls/create", auth.require(Permission.WRITE, this::create));
    }

    private void validate(Context ctx, ApiKey key) {
        render(ctx, results.validate(key.workspaceId(), rows(ctx, false)));
    }

    private void create(Context ctx, ApiKey key) {
        render(ctx, results.create(key.workspaceId(), rows(ctx, true)));
    }

    /** jmpy's shape: the envelope, and the summary as a top-level {@code message} beside {@code data}. */
    private static void render(Context ctx, BulkShortener.Outcome outcome) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("data", outcome.data());
        body.put("message", outcome.message());
        Json.write(ctx, outcome.status(), body);
    }

    private static List<BulkImport.Row> rows(Context ctx, boolean allowValidated) {
        String contentType = String.valueOf(ctx.contentType()).toLowerCase(java.util.Locale.ROOT);
        if (contentType.startsWith("multipart/form-data")) {
            return BulkImport.rowsOfCsv(uploadedCsv(ctx), "file");
        }
        JsonNode body = (allowValidated ? CREATE_FIELDS : VALIDATE_FIELDS)
                .check(Json.objectBody(ctx, BulkImport.MAX_CSV_BYTES + 64 * 1024));
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
