package dev.linkpulse.links;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.common.Timestamps;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.BodyFields;
import dev.linkpulse.http.JsonFields;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads and checks the body of a create request (spec §3); every error names its field. */
final class ShortUrlInput {

    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_-]{3,50}");
    static final int MAX_NAME = 255;

    /**
     * What a create body may hold. The fields of features this server does not have yet (QR codes
     * made with a link) are named so they are refused as unsupported rather than as unknown.
     */
    static final BodyFields CREATE_FIELDS = BodyFields.of("url", "custom_alias", "name", "expires_at",
            "tracking_enabled", "is_dynamic", "forward_query", "campaign_id", "tags", "url_type", "branded_domain",
            "subdomain", "domain", "qr_code", "qr_format");
    /** What an update body may hold: the create fields, and {@code disabled}. */
    static final BodyFields UPDATE_FIELDS = CREATE_FIELDS.and("disabled");

    private final DestinationRules destinations;
    private final BodyFields createFields;
    private final BodyFields updateFields;
    private final String baseHost;

    ShortUrlInput(DestinationRules destinations, String baseHost) {
        this(destinations, baseHost, java.util.Set.of());
    }

    /** With the fields of features that extend links (smart links), which they check themselves. */
    ShortUrlInput(DestinationRules destinations, String baseHost, java.util.Set<String> extensionFields) {
        this.destinations = destinations;
        this.baseHost = baseHost;
        String[] extra = extensionFields.toArray(String[]::new);
        this.createFields = CREATE_FIELDS.and(extra);
        this.updateFields = UPDATE_FIELDS.and(extra);
    }

    /** The host a new link answers on: its url_type and domain ('' standard, a subdomain label, a branded host). */
    record Placement(String urlType, String domain) {}

    /**
     * Reads {@code url_type}, {@code subdomain}, {@code branded_domain} and (ext, the bulk CSV's column)
     * {@code domain}, a host name that says all three. Whether the workspace may use the domain is
     * checked when the link is created.
     */
    Placement placement(JsonNode body) {
        Optional<String> type = JsonFields.string(body, "url_type");
        Optional<String> sub = JsonFields.string(body, "subdomain").map(v -> v.toLowerCase(java.util.Locale.ROOT));
        Optional<String> branded = JsonFields.string(body, "branded_domain").map(v -> v.toLowerCase(java.util.Locale.ROOT));
        Optional<String> host = JsonFields.string(body, "domain").map(v -> v.toLowerCase(java.util.Locale.ROOT));
        if (host.isPresent()) {
            if (type.isPresent() || sub.isPresent() || branded.isPresent()) {
                throw ApiException.validation("domain", "give domain, or url_type with subdomain or branded_domain, not both");
            }
            String h = host.get();
            if (h.equals(baseHost)) {
                return new Placement(ShortUrl.STANDARD, "");
            }
            if (h.endsWith("." + baseHost) && Hosts.isLabel(h.substring(0, h.length() - baseHost.length() - 1))) {
                return new Placement(ShortUrl.SUBDOMAIN, h.substring(0, h.length() - baseHost.length() - 1));
            }
            if (!Hosts.isHostname(h)) {
                throw ApiException.validation("domain", "domain must be a host name such as go.example.com");
            }
            return new Placement(ShortUrl.BRANDED, h);
        }
        String t = type.orElse(sub.isPresent() ? ShortUrl.SUBDOMAIN : branded.isPresent() ? ShortUrl.BRANDED : ShortUrl.STANDARD);
        switch (t) {
            case ShortUrl.STANDARD -> {
                if (sub.isPresent() || branded.isPresent()) {
                    throw ApiException.validation("url_type", "a standard link has no subdomain or branded_domain");
                }
                return new Placement(ShortUrl.STANDARD, "");
            }
            case ShortUrl.SUBDOMAIN -> {
                if (branded.isPresent()) {
                    throw ApiException.validation("branded_domain", "a subdomain link has no branded_domain");
                }
                String label = sub.orElseThrow(() -> ApiException.validation("subdomain", "subdomain is required when url_type is subdomain"));
                if (label.endsWith("." + baseHost)) {
                    label = label.substring(0, label.length() - baseHost.length() - 1);
                }
                if (!Hosts.isLabel(label)) {
                    throw ApiException.validation("subdomain", "subdomain must be 1 to 63 of a-z, 0-9 and '-'");
                }
                return new Placement(ShortUrl.SUBDOMAIN, label);
            }
            case ShortUrl.BRANDED -> {
                if (sub.isPresent()) {
                    throw ApiException.validation("subdomain", "a branded link has no subdomain");
                }
                String h = branded.orElseThrow(() -> ApiException.validation("branded_domain",
                        "branded_domain is required when url_type is branded"));
                if (!Hosts.isHostname(h)) {
                    throw ApiException.validation("branded_domain", "branded_domain must be a host name such as go.example.com");
                }
                return new Placement(ShortUrl.BRANDED, h);
            }
            default -> throw ApiException.validation("url_type", "url_type must be one of: standard, subdomain, branded");
        }
    }


    /** A create body under its canonical field names (jmpy's spellings renamed), for the fields other features read. */
    JsonNode canonicalCreate(JsonNode raw) {
        return createFields.check(raw);
    }

    /** The same for an update body. */
    JsonNode canonicalUpdate(JsonNode raw) {
        return updateFields.check(raw);
    }

    /** A single create: the link, and the format of the QR image its answer should carry, if asked for. */
    record Create(NewShortUrl link, Optional<String> qrFormat) {}

    /**
     * A single create's body, which may ask for the link's QR image with it: {@code qr_code: true}
     * and {@code qr_format} png (default) or svg. Bulk rows cannot ({@link #parseCreate} refuses).
     */
    Create parseSingleCreate(JsonNode raw, long nowMillis) {
        com.fasterxml.jackson.databind.node.ObjectNode body = createFields.check(raw).deepCopy();
        JsonNode asked = body.remove("qr_code");
        JsonNode format = body.remove("qr_format");
        boolean qr = asked != null && !asked.isNull();
        if (qr && !asked.isBoolean()) {
            throw ApiException.validation("qr_code", "qr_code must be true or false");
        }
        qr = qr && asked.booleanValue();
        Optional<String> qrFormat = Optional.empty();
        if (format != null && !format.isNull()) {
            if (!qr) {
                throw ApiException.validation("qr_format", "qr_format goes with qr_code: true");
            }
            String f = format.isTextual() ? format.textValue().toLowerCase(java.util.Locale.ROOT) : "";
            if (!f.equals("png") && !f.equals("svg")) {
                throw ApiException.validation("qr_format", "qr_format must be png or svg");
            }
            qrFormat = Optional.of(f);
        } else if (qr) {
            qrFormat = Optional.of("png");
        }
        return new Create(parseCreate(body, nowMillis), qrFormat);
    }

    NewShortUrl parseCreate(JsonNode raw, long nowMillis) {
        JsonNode body = createFields.check(raw);
        refuseUnsupported(body);
        String url = destinations.check(JsonFields.withoutOuterSpaces(JsonFields.requiredString(body, "url")));
        Optional<String> alias = JsonFields.string(body, "custom_alias").map(ShortUrlInput::checkAlias);
        Optional<String> name = JsonFields.string(body, "name").map(ShortUrlInput::checkName);
        Optional<Long> expiresAt = JsonFields.string(body, "expires_at").map(v -> checkExpiry(v, nowMillis));
        Placement placement = placement(body);
        return new NewShortUrl(url, alias, name, expiresAt,
                JsonFields.bool(body, "tracking_enabled", true),
                JsonFields.bool(body, "is_dynamic", false),
                JsonFields.bool(body, "forward_query", true),
                JsonFields.string(body, "campaign_id").map(ShortUrlInput::checkCampaign),
                Tags.ofJson(body.get("tags"), "tags"),
                placement.urlType(), placement.domain());
    }

    /** A partial update: only the fields present change; {@code null} clears name and expiry. */
    LinkUpdate parseUpdate(JsonNode raw, long nowMillis) {
        JsonNode body = updateFields.check(raw);
        refuseUnsupported(body);
        for (String field : new String[] {"url_type", "subdomain", "branded_domain", "domain"}) {
            if (body.has(field)) {
                throw ApiException.validation(field, field + " is set when a link is created; create a new link for another domain");
            }
        }
        Optional<String> url = present(body, "url")
                ? Optional.of(destinations.check(JsonFields.withoutOuterSpaces(JsonFields.requiredString(body, "url"))))
                : Optional.empty();
        Optional<Optional<String>> name = present(body, "name")
                ? Optional.of(JsonFields.string(body, "name").map(ShortUrlInput::checkName))
                : Optional.empty();
        Optional<Optional<Long>> expiresAt = present(body, "expires_at")
                ? Optional.of(JsonFields.string(body, "expires_at").map(v -> checkExpiry(v, nowMillis)))
                : Optional.empty();
        Optional<String> alias = present(body, "custom_alias")
                ? Optional.of(checkAlias(JsonFields.requiredString(body, "custom_alias")))
                : Optional.empty();
        return new LinkUpdate(url, name, expiresAt,
                optionalBool(body, "tracking_enabled"),
                optionalBool(body, "is_dynamic"),
                alias,
                optionalBool(body, "forward_query"),
                optionalBool(body, "disabled"),
                present(body, "campaign_id")
                        ? Optional.of(JsonFields.string(body, "campaign_id").map(ShortUrlInput::checkCampaign))
                        : Optional.empty(),
                present(body, "tags") ? Optional.of(Tags.ofJson(body.get("tags"), "tags")) : Optional.empty());
    }

    /**
     * jmpy's link fields that ask for a QR code with the link, where the answer cannot carry one (bulk
     * rows, updates): a value that asks for one is a 400, never dropped; the values that ask for
     * nothing ({@code qr_code: false}, nulls) pass.
     */
    private static void refuseUnsupported(JsonNode body) {
        if (BodyFields.given(body, "qr_format")) {
            throw notSupported("qr_format");
        }
        if (BodyFields.given(body, "qr_code") && !(body.get("qr_code").isBoolean() && !body.get("qr_code").booleanValue())) {
            throw notSupported("qr_code");
        }
    }

    private static ApiException notSupported(String field) {
        // QR codes exist (issue 15), but as their own objects: a link body does not make one.
        return ApiException.validation(field, field + " is not supported here (only a single create answers with the "
                + "link's QR image): get it from GET /api/v1/short-urls/{id}/qr, or make a tracked QR code with "
                + "POST /api/v1/qr-codes/generate",
                java.util.Map.of("reason", "not_supported"));
    }

    private static boolean present(JsonNode body, String field) {
        return body.has(field);
    }

    private static Optional<Boolean> optionalBool(JsonNode body, String field) {
        if (!body.has(field)) {
            return Optional.empty();
        }
        if (!body.get(field).isBoolean()) {
            throw ApiException.validation(field, field + " must be true or false");
        }
        return Optional.of(body.get(field).booleanValue());
    }

    static String checkAlias(String alias) {
        if (!ALIAS.matcher(alias).matches()) {
            throw ApiException.validation("custom_alias",
                    "custom_alias must be 3 to 50 characters of letters, digits, '-' and '_'");
        }
        return alias;
    }

    /** A campaign as a body names it: its id or its name. */
    static String checkCampaign(String campaign) {
        if (campaign.isEmpty() || campaign.length() > 100 || campaign.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.validation("campaign_id", "campaign_id must be a campaign's id or name (1 to 100 characters)");
        }
        return campaign;
    }

    static String checkName(String name) {
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > MAX_NAME) {
            throw ApiException.validation("name", "name must be 1 to " + MAX_NAME + " characters");
        }
        if (name.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
            throw ApiException.validation("name", "name must not contain control characters");
        }
        return name;
    }

    static long checkExpiry(String value, long nowMillis) {
        Instant at = Timestamps.parse(value).orElseThrow(() -> ApiException.validation("expires_at",
                "expires_at must be " + Timestamps.EXPECTED + ", such as 2030-01-15T14:32:00.000Z"));
        if (at.toEpochMilli() <= nowMillis) {
            throw ApiException.validation("expires_at", "expires_at must be in the future");
        }
        return at.toEpochMilli();
    }
}
