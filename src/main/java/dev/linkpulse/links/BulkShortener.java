package dev.linkpulse.links;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks and creates the rows of a bulk import and describes the outcome in jmpy.me's documented
 * shapes (validate: {@code validation}, {@code preview}; create: {@code results}, {@code created[]},
 * {@code failed[]}), keeping Linkpulse's own fields beside them. Used by the REST API and by MCP.
 */
public final class BulkShortener {

    /** What an import answers: the {@code data} payload, a one-line summary, and the HTTP status. */
    public record Outcome(Map<String, Object> data, String message, int status) {}

    private final LinkService links;
    private final BulkImport bulk;
    private final String baseUrl;
    private final Clock clock;

    public BulkShortener(LinkService links, String baseUrl, Clock clock) {
        this.links = links;
        this.bulk = new BulkImport(new ShortUrlInput(new DestinationRules(baseUrl), Hosts.baseHost(baseUrl)), links);
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    /** Creates one link per entry of an array of create bodies (or bare URL strings), as {@code validated_urls}. */
    public Outcome createAll(String workspaceId, JsonNode entries) {
        return create(workspaceId, BulkImport.rowsOfArray(entries));
    }

    Outcome validate(String workspaceId, List<BulkImport.Row> rows) {
        List<BulkImport.Checked> checked = bulk.check(rows, clock.millis(), workspaceId);
        List<Map<String, Object>> results = new ArrayList<>();
        List<JsonNode> validated = new ArrayList<>();
        List<Map<String, Object>> validUrls = new ArrayList<>();
        List<Map<String, Object>> invalidUrls = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        for (BulkImport.Checked c : checked) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("row", c.row().number());
            r.put("valid", c.valid());
            r.put("data", c.row().body());
            r.put("errors", c.errors());
            results.add(r);
            Map<String, Object> preview = new LinkedHashMap<>();
            preview.put("row", c.row().number());
            preview.put("url", text(c.row().body(), "url"));
            preview.put("custom_alias", text(c.row().body(), "custom_alias"));
            preview.put("name", text(c.row().body(), "name"));
            if (c.valid()) {
                validated.add(c.row().body());
                validUrls.add(preview);
            } else {
                preview.put("errors", c.errors());
                invalidUrls.add(preview);
                for (Map<String, Object> e : c.errors()) {
                    Map<String, Object> withRow = new LinkedHashMap<>();
                    withRow.put("row", c.row().number());
                    withRow.putAll(e);
                    errors.add(withRow);
                }
            }
        }
        int valid = validated.size();
        int invalid = checked.size() - valid;
        Map<String, Object> validation = new LinkedHashMap<>();
        validation.put("is_valid", invalid == 0);
        validation.put("total_rows", checked.size());
        validation.put("valid_rows", valid);
        validation.put("invalid_rows", invalid);
        validation.put("errors", errors);
        Map<String, Object> preview = new LinkedHashMap<>();
        preview.put("will_create", valid);
        preview.put("will_skip", invalid);
        // No per-account quota here: the most one import may hold.
        preview.put("available_limit", BulkImport.MAX_ROWS);
        preview.put("valid_urls", validUrls);
        preview.put("invalid_urls", invalidUrls);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("validation", validation);
        data.put("preview", preview);
        data.put("total_rows", checked.size());
        data.put("valid_rows", valid);
        data.put("invalid_rows", invalid);
        data.put("results", results);
        data.put("validated_urls", validated);
        return new Outcome(data, valid + " of " + checked.size() + " rows are valid and will be created", 200);
    }

    Outcome create(String workspaceId, List<BulkImport.Row> rows) {
        List<BulkImport.Checked> checked = bulk.check(rows, clock.millis(), workspaceId);
        List<NewShortUrl> valid = checked.stream().flatMap(c -> c.request().stream()).toList();
        List<Optional<ShortUrl>> made = links.createAll(workspaceId, valid);
        List<Map<String, Object>> results = new ArrayList<>();
        List<Map<String, Object>> created = new ArrayList<>();
        List<Map<String, Object>> failed = new ArrayList<>();
        int next = 0;
        for (BulkImport.Checked c : checked) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("row", c.row().number());
            Map<String, Object> error = null;
            if (c.valid()) {
                Optional<ShortUrl> link = made.get(next++);
                r.put("success", link.isPresent());
                if (link.isPresent()) {
                    Map<String, Object> view = ShortUrlView.of(link.get(), baseUrl, 0, valid.get(next - 1).tags());
                    r.put("short_url", view);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("row", c.row().number());
                    row.putAll(view);
                    created.add(row);
                } else {
                    error = Map.of("field", "custom_alias", "code", "ALIAS_TAKEN", "message", "alias was taken while importing");
                }
            } else {
                r.put("success", false);
                error = c.errors().get(0);
            }
            if (error != null) {
                r.put("error", error);
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("row", c.row().number());
                f.put("url", text(c.row().body(), "url"));
                f.put("custom_alias", text(c.row().body(), "custom_alias"));
                f.put("error", error);
                failed.add(f);
            }
            results.add(r);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("total_rows", checked.size());
        data.put("created_count", created.size());
        data.put("failed_count", failed.size());
        data.put("results", results);
        data.put("created", created);
        data.put("failed", failed);
        return new Outcome(data, "Created " + created.size() + " of " + checked.size() + " short URLs"
                + (failed.isEmpty() ? "" : "; " + failed.size() + " failed"), created.isEmpty() ? 200 : 201);
    }

    /** A row's field as the client sent it (text, or null when absent or not text). */
    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null) {
            for (Map.Entry<String, String> alias : dev.linkpulse.http.BodyFields.ALIASES.entrySet()) {
                if (alias.getValue().equals(field) && body.has(alias.getKey())) {
                    n = body.get(alias.getKey());
                }
            }
        }
        return n != null && n.isTextual() ? n.textValue() : null;
    }
}
