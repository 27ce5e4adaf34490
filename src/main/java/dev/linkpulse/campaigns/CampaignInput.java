package dev.linkpulse.campaigns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.JsonFields;
import dev.linkpulse.http.QueryParams;
import dev.linkpulse.links.Tags;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and checks campaign bodies (spec §6.4). Unknown fields are refused, naming them (§6.1);
 * the dates take jmpy's two spellings. Every error names its field.
 */
final class CampaignInput {

    static final int MAX_NAME = 100;
    static final int MAX_DESCRIPTION = 1_000;
    private static final Set<String> FIELDS = Set.of("name", "description", "start_date", "startDate", "end_date", "endDate",
            "tags", "status");

    private CampaignInput() {}

    /** A create or a partial update: for the nullable fields an inner empty means "clear". */
    record Fields(Optional<String> name, Optional<Optional<String>> description, Optional<Optional<Long>> startDate,
            Optional<Optional<Long>> endDate, Optional<List<String>> tags, Optional<Boolean> archived) {}

    static Fields parse(JsonNode body, boolean create) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                throw ApiException.validation(field, "unknown field " + field + "; a campaign takes: name, description, "
                        + "start_date, end_date, tags, status");
            }
        }
        Optional<String> name = create || body.has("name")
                ? Optional.of(checkName(JsonFields.withoutOuterSpaces(JsonFields.requiredString(body, "name"))))
                : Optional.empty();
        Optional<Optional<String>> description = body.has("description")
                ? Optional.of(JsonFields.string(body, "description").map(CampaignInput::checkDescription))
                : Optional.empty();
        Optional<Optional<Long>> start = date(body, "start_date", "startDate", false);
        Optional<Optional<Long>> end = date(body, "end_date", "endDate", true);
        Optional<List<String>> tags = body.has("tags") ? Optional.of(Tags.ofJson(body.get("tags"), "tags")) : Optional.empty();
        Optional<Boolean> archived = JsonFields.string(body, "status").map(s -> switch (s) {
            case "archived" -> true;
            case "active" -> false;
            default -> throw ApiException.validation("status",
                    "status follows the dates; it can only be set to archived, or to active to take a campaign out of the archive");
        });
        if (body.has("status") && body.get("status").isNull()) {
            throw ApiException.validation("status", "status must be archived or active");
        }
        return new Fields(name, description, start, end, tags, archived);
    }

    static String checkName(String name) {
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > MAX_NAME) {
            throw ApiException.validation("name", "name must be 1 to " + MAX_NAME + " characters");
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.validation("name", "name must not contain control characters");
        }
        if (name.contains("/")) {
            // A campaign is addressed by its URL-encoded name, and servers refuse an encoded '/' in a path.
            throw ApiException.validation("name", "name must not contain '/'");
        }
        return name;
    }

    private static String checkDescription(String d) {
        if (d.codePointCount(0, d.length()) > MAX_DESCRIPTION) {
            throw ApiException.validation("description", "description must be at most " + MAX_DESCRIPTION + " characters");
        }
        if (d.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f)) {
            throw ApiException.validation("description", "description must not contain control characters");
        }
        return d;
    }

    private static Optional<Optional<Long>> date(JsonNode body, String name, String other, boolean end) {
        if (body.has(name) && body.has(other)) {
            throw ApiException.validation(other, "give " + name + " or " + other + ", not both");
        }
        String field = body.has(name) ? name : body.has(other) ? other : null;
        if (field == null) {
            return Optional.empty();
        }
        return Optional.of(JsonFields.string(body, field).map(v -> QueryParams.parseDate(field, v, end)));
    }
}
