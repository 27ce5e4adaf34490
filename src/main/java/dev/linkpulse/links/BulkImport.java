package dev.linkpulse.links;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linkpulse.common.Csv;
import dev.linkpulse.http.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Bulk import (jmpy.me parity): rows from a CSV file or from {@code validated_urls}, each checked
 * exactly like a single create, with a result per row.
 */
final class BulkImport {

    static final int MAX_CSV_BYTES = 5 * 1024 * 1024;
    static final int MAX_ROWS = 50_000;

    /** CSV header names (lower case) and the body field each one fills. */
    private static final Map<String, String> COLUMNS = Map.ofEntries(
            Map.entry("url", "url"), Map.entry("original_url", "url"), Map.entry("long_url", "url"),
            Map.entry("destination", "url"),
            Map.entry("custom_alias", "custom_alias"), Map.entry("alias", "custom_alias"),
            Map.entry("name", "name"), Map.entry("title", "name"),
            Map.entry("expires_at", "expires_at"),
            Map.entry("tracking_enabled", "tracking_enabled"), Map.entry("is_dynamic", "is_dynamic"),
            Map.entry("forward_query", "forward_query"),
            // jmpy's camelCase headers (spec §6.1), lower-cased as every header is
            Map.entry("customalias", "custom_alias"), Map.entry("expiresat", "expires_at"),
            Map.entry("trackingenabled", "tracking_enabled"), Map.entry("isdynamic", "is_dynamic"),
            Map.entry("dynamic", "is_dynamic"), Map.entry("forwardquery", "forward_query"),
            Map.entry("campaignid", "campaign_id"),
            // campaigns, tags and domains (issue 16)
            Map.entry("tags", "tags"), Map.entry("campaign_id", "campaign_id"), Map.entry("campaign", "campaign_id"),
            Map.entry("domain", "domain"));
    private static final Set<String> BOOLEAN_FIELDS = Set.of("tracking_enabled", "is_dynamic", "forward_query");

    /** One input row: its number (1 = first data row) and the fields as a create body. */
    record Row(int number, JsonNode body) {}

    /** A checked row: the request when valid, else its errors. */
    record Checked(Row row, Optional<NewShortUrl> request, List<Map<String, Object>> errors) {
        boolean valid() {
            return request.isPresent();
        }
    }

    private final ShortUrlInput input;
    private final LinkService links;

    BulkImport(ShortUrlInput input, LinkService links) {
        this.input = input;
        this.links = links;
    }

    /** Rows of a CSV document; {@code field} names the input in errors. */
    static List<Row> rowsOfCsv(String csv, String field) {
        Csv.Result parsed = Csv.parse(csv);
        if (parsed.problem().isPresent()) {
            Csv.Problem p = parsed.problem().get();
            throw ApiException.validation(field, "CSV is malformed at line " + p.line() + ": " + p.message(),
                    Map.of("line", p.line()));
        }
        List<List<String>> records = parsed.records();
        if (records.isEmpty()) {
            throw ApiException.validation(field, "CSV is empty: it needs a header row with a url column");
        }
        List<String> header = records.get(0).stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
        if (header.stream().noneMatch(h -> "url".equals(COLUMNS.get(h)))) {
            throw ApiException.validation(field, "CSV header must name a url column (url, original_url, long_url or destination)");
        }
        if (records.size() - 1 > MAX_ROWS) {
            throw ApiException.validation(field, "CSV has more than " + MAX_ROWS + " rows", Map.of("max_rows", MAX_ROWS));
        }
        List<Row> rows = new ArrayList<>();
        for (int r = 1; r < records.size(); r++) {
            List<String> record = records.get(r);
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            for (int c = 0; c < header.size() && c < record.size(); c++) {
                String target = COLUMNS.get(header.get(c));
                String value = record.get(c).strip();
                if (target == null || value.isEmpty() || body.has(target)) {
                    continue;
                }
                if (target.equals("tags")) {
                    // One cell holds the row's tags, comma-separated ("a,b" quoted in the CSV).
                    var tags = body.putArray("tags");
                    for (String t : value.split(",", -1)) {
                        String tag = dev.linkpulse.http.JsonFields.withoutOuterSpaces(t);
                        if (!tag.isEmpty()) {
                            tags.add(tag);
                        }
                    }
                } else if (BOOLEAN_FIELDS.contains(target)) {
                    Boolean b = parseBoolean(value);
                    if (b != null) {
                        body.put(target, b);
                    } else {
                        body.put(target, value); // left a string: checking reports it as not a boolean
                    }
                } else {
                    body.put(target, value);
                }
            }
            rows.add(new Row(r, body));
        }
        return rows;
    }

    /** Rows of a {@code validated_urls} array. */
    static List<Row> rowsOfArray(JsonNode array) {
        if (!array.isArray()) {
            throw ApiException.validation("validated_urls", "validated_urls must be an array of objects");
        }
        if (array.isEmpty() || array.size() > MAX_ROWS) {
            throw ApiException.validation("validated_urls", "validated_urls must hold 1 to " + MAX_ROWS + " entries");
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode entry = array.get(i);
            rows.add(new Row(i + 1, entry.isObject() ? entry : JsonNodeFactory.instance.objectNode().set("url", entry)));
        }
        return rows;
    }

    private static Boolean parseBoolean(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "y" -> Boolean.TRUE;
            case "false", "0", "no", "n" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** Checks every row as a single create would, plus aliases repeated within the import or taken. */
    List<Checked> check(List<Row> rows, long nowMillis, String workspaceId) {
        List<Checked> out = new ArrayList<>(rows.size());
        Map<String, Integer> aliasRows = new HashMap<>();
        for (Row row : rows) {
            try {
                NewShortUrl request = input.parseCreate(row.body(), nowMillis);
                if (request.campaign().isPresent()) {
                    links.campaignIdOf(workspaceId, request.campaign().get(), "campaign_id");
                }
                links.checkDomain(workspaceId, request);
                if (request.customAlias().isPresent()) {
                    String alias = request.customAlias().get();
                    Integer earlier = aliasRows.putIfAbsent(ShortUrl.cacheKey(request.domain(), alias), row.number());
                    if (earlier != null) {
                        out.add(invalid(row, "custom_alias", "ALIAS_TAKEN", "alias repeats row " + earlier));
                        continue;
                    }
                    if (!links.isAliasAvailable(request.domain(), alias)) {
                        out.add(invalid(row, "custom_alias", "ALIAS_TAKEN", "alias is already in use or reserved"));
                        continue;
                    }
                }
                out.add(new Checked(row, Optional.of(request), List.of()));
            } catch (ApiException e) {
                Object field = e.details().getOrDefault("field", "");
                out.add(invalid(row, String.valueOf(field), e.code(), e.getMessage()));
            }
        }
        return out;
    }

    private static Checked invalid(Row row, String field, String code, String message) {
        Map<String, Object> error = new java.util.LinkedHashMap<>();
        error.put("field", field);
        error.put("code", code);
        error.put("message", message);
        return new Checked(row, Optional.empty(), List.of(error));
    }
}
