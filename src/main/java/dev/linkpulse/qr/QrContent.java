package dev.linkpulse.qr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.http.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The eight content types of a QR code (spec §6.3) and the standard text each encodes to: a URL,
 * plain text, {@code WIFI:}, vCard 3.0, {@code mailto:}, {@code tel:}, {@code SMSTO:} and
 * {@code geo:}. Validation names the field as {@code content_data.<name>}.
 */
public final class QrContent {

    /** The most text a code holds comfortably at level H with a logo; longer content makes unscannable codes. */
    public static final int MAX_ENCODED = 1_200;
    private static final int MAX_FIELD = 1_000;

    public enum Type {
        URL("url"), TEXT("text"), WIFI("wifi"), VCARD("vcard"), EMAIL("email"), PHONE("phone"), SMS("sms"), LOCATION("location");

        public final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        public static Type parse(String value) {
            for (Type t : values()) {
                if (t.wire.equals(value)) {
                    return t;
                }
            }
            throw ApiException.validation("content_type",
                    "content_type must be one of url, text, wifi, vcard, email, phone, sms, location");
        }
    }

    /** A validated content: its type, the fields as given (canonical names) and the text the code encodes. */
    public record Parsed(Type type, Map<String, Object> data, String encoded) {}

    // Field names per type; a camelCase spelling maps to the canonical snake_case one.
    private static final Map<Type, Set<String>> FIELDS = Map.of(
            Type.URL, Set.of("url"),
            Type.TEXT, Set.of("text"),
            Type.WIFI, Set.of("ssid", "password", "encryption", "hidden"),
            Type.VCARD, Set.of("first_name", "last_name", "organization", "title", "phone", "email", "website", "address", "note"),
            Type.EMAIL, Set.of("email", "subject", "body"),
            Type.PHONE, Set.of("phone"),
            Type.SMS, Set.of("phone", "message"),
            Type.LOCATION, Set.of("latitude", "longitude"));
    private static final Map<String, String> ALIASES = Map.of(
            "firstName", "first_name", "lastName", "last_name", "company", "organization", "url", "url",
            "lat", "latitude", "lng", "longitude", "lon", "longitude", "phoneNumber", "phone", "phone_number", "phone");

    private QrContent() {}

    public static Parsed parse(Type type, JsonNode data) {
        if (data == null || data.isNull() || data.isMissingNode()) {
            throw ApiException.validation("content_data", "content_data is required");
        }
        if (!data.isObject()) {
            throw ApiException.validation("content_data", "content_data must be an object");
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = data.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = ALIASES.getOrDefault(e.getKey(), e.getKey());
            if (!FIELDS.get(type).contains(name)) {
                unknown.add(e.getKey());
            } else if (fields.put(name, e.getValue()) != null) {
                throw ApiException.validation("content_data." + name, "content_data." + name + " is given twice");
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiException.validation("content_data." + unknown.get(0), "Unknown field(s) in content_data for "
                    + type.wire + ": " + String.join(", ", unknown), Map.of("unknown", unknown));
        }
        Reader r = new Reader(fields);
        String encoded = switch (type) {
            case URL -> url(r.required("url"));
            case TEXT -> r.required("text");
            case WIFI -> wifi(r);
            case VCARD -> vcard(r);
            case EMAIL -> email(r);
            case PHONE -> "tel:" + phone(r.required("phone"), "phone");
            case SMS -> "SMSTO:" + phone(r.required("phone"), "phone") + ":" + r.optional("message");
            case LOCATION -> "geo:" + coordinate(r, "latitude", 90) + "," + coordinate(r, "longitude", 180);
        };
        if (encoded.length() > MAX_ENCODED) {
            throw ApiException.validation("content_data", "content_data encodes to more than " + MAX_ENCODED + " characters",
                    Map.of("max", MAX_ENCODED));
        }
        return new Parsed(type, r.given, encoded);
    }

    /** An absolute http(s) URL; a code for javascript: or file: would be a trap for whoever scans it. */
    static String url(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawUserInfo() == null) {
                return value;
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw ApiException.validation("content_data.url", "content_data.url must be an absolute http or https URL");
    }

    private static String wifi(Reader r) {
        String ssid = r.required("ssid");
        String encryption = r.optional("encryption");
        String auth = switch (encryption.toUpperCase(Locale.ROOT)) {
            case "", "WPA", "WPA2", "WPA3" -> "WPA";
            case "WEP" -> "WEP";
            case "NOPASS", "NONE" -> "nopass";
            default -> throw ApiException.validation("content_data.encryption",
                    "content_data.encryption must be WPA, WEP or nopass");
        };
        String password = r.optional("password");
        if (!auth.equals("nopass") && password.isEmpty()) {
            throw ApiException.validation("content_data.password", "content_data.password is required for " + auth);
        }
        StringBuilder out = new StringBuilder("WIFI:T:").append(auth).append(";S:").append(wifiEscape(ssid)).append(';');
        if (!auth.equals("nopass")) {
            out.append("P:").append(wifiEscape(password)).append(';');
        }
        if (r.bool("hidden")) {
            out.append("H:true;");
        }
        return out.append(';').toString();
    }

    /** The WIFI: format escapes \ ; , : and " with a backslash. */
    static String wifiEscape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == ';' || c == ',' || c == ':' || c == '"') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String vcard(Reader r) {
        String first = r.optional("first_name");
        String last = r.optional("last_name");
        String org = r.optional("organization");
        if (first.isEmpty() && last.isEmpty() && org.isEmpty()) {
            throw ApiException.validation("content_data.first_name",
                    "content_data needs first_name, last_name or organization for a vcard");
        }
        // vCard 3.0 (RFC 2426): CRLF line ends, text values escape \ , ; and newlines.
        StringBuilder out = new StringBuilder("BEGIN:VCARD\r\nVERSION:3.0\r\n");
        out.append("N:").append(vEscape(last)).append(';').append(vEscape(first)).append(";;;\r\n");
        String full = (first + " " + last).strip();
        out.append("FN:").append(vEscape(full.isEmpty() ? org : full)).append("\r\n");
        if (!org.isEmpty()) {
            out.append("ORG:").append(vEscape(org)).append("\r\n");
        }
        line(out, "TITLE", vEscape(r.optional("title")));
        String phone = r.optional("phone");
        line(out, "TEL", phone.isEmpty() ? "" : phone(phone, "phone"));
        String email = r.optional("email");
        line(out, "EMAIL", email.isEmpty() ? "" : address(email, "email"));
        String website = r.optional("website");
        if (!website.isEmpty()) {
            try {
                line(out, "URL", url(website));
            } catch (ApiException e) {
                throw ApiException.validation("content_data.website", "content_data.website must be an absolute http or https URL");
            }
        }
        String adr = r.optional("address");
        if (!adr.isEmpty()) {
            out.append("ADR:;;").append(vEscape(adr)).append(";;;;\r\n");
        }
        line(out, "NOTE", vEscape(r.optional("note")));
        return out.append("END:VCARD").toString();
    }

    private static void line(StringBuilder out, String name, String value) {
        if (!value.isEmpty()) {
            out.append(name).append(':').append(value).append("\r\n");
        }
    }

    static String vEscape(String value) {
        return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\r\n", "\\n").replace("\n", "\\n")
                .replace("\r", "\\n");
    }

    private static String email(Reader r) {
        String to = address(r.required("email"), "email");
        // RFC 6068: hfields percent-encoded; a space is %20, never '+'.
        List<String> query = new ArrayList<>();
        String subject = r.optional("subject");
        if (!subject.isEmpty()) {
            query.add("subject=" + pct(subject));
        }
        String body = r.optional("body");
        if (!body.isEmpty()) {
            query.add("body=" + pct(body));
        }
        return "mailto:" + to + (query.isEmpty() ? "" : "?" + String.join("&", query));
    }

    private static String pct(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String address(String value, String field) {
        if (!value.matches("[A-Za-z0-9.!#$%&'*+/=^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+")) {
            throw ApiException.validation("content_data." + field, "content_data." + field + " must be an email address");
        }
        return value;
    }

    /** A phone number: an optional leading +, then 3 to 20 digits; spaces, dots, dashes and brackets are dropped. */
    static String phone(String value, String field) {
        String compact = value.replaceAll("[\\s().-]", "");
        if (!compact.matches("\\+?[0-9]{3,20}")) {
            throw ApiException.validation("content_data." + field,
                    "content_data." + field + " must be a phone number (digits, optionally starting with +)");
        }
        return compact;
    }

    private static String coordinate(Reader r, String field, double max) {
        JsonNode node = r.given.containsKey(field) ? r.fields.get(field) : null;
        String name = "content_data." + field;
        if (node == null || node.isNull()) {
            throw ApiException.validation(name, name + " is required");
        }
        double value;
        if (node.isNumber()) {
            value = node.doubleValue();
        } else if (node.isTextual() && node.textValue().strip().matches("[+-]?[0-9]{1,3}(\\.[0-9]{1,12})?")) {
            value = Double.parseDouble(node.textValue().strip());
        } else {
            throw ApiException.validation(name, name + " must be a number");
        }
        if (!Double.isFinite(value) || value < -max || value > max) {
            throw ApiException.validation(name, name + " must be between -" + (int) max + " and " + (int) max);
        }
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** Reads fields of content_data as strings, remembering what was given for the stored object. */
    private static final class Reader {
        final Map<String, JsonNode> fields;
        final Map<String, Object> given = new LinkedHashMap<>();

        Reader(Map<String, JsonNode> fields) {
            this.fields = fields;
            for (Map.Entry<String, JsonNode> e : fields.entrySet()) {
                JsonNode v = e.getValue();
                given.put(e.getKey(), v.isNull() ? null : v.isBoolean() ? v.booleanValue() : v.isNumber() ? v.numberValue()
                        : v.isTextual() ? v.textValue() : v.toString());
            }
        }

        String required(String field) {
            String value = optional(field);
            if (value.isEmpty()) {
                throw ApiException.validation("content_data." + field, "content_data." + field + " is required");
            }
            return value;
        }

        String optional(String field) {
            JsonNode node = fields.get(field);
            if (node == null || node.isNull()) {
                return "";
            }
            String name = "content_data." + field;
            if (!node.isTextual()) {
                throw ApiException.validation(name, name + " must be a string");
            }
            String value = node.textValue();
            if (value.length() > MAX_FIELD) {
                throw ApiException.validation(name, name + " must be at most " + MAX_FIELD + " characters",
                        Map.of("max", MAX_FIELD));
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f || Character.isSurrogate(c)
                        && !(Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(++i)))) {
                    throw ApiException.validation(name, name + " must not contain control characters");
                }
            }
            return value;
        }

        boolean bool(String field) {
            JsonNode node = fields.get(field);
            if (node == null || node.isNull()) {
                return false;
            }
            if (!node.isBoolean()) {
                throw ApiException.validation("content_data." + field, "content_data." + field + " must be true or false");
            }
            return node.booleanValue();
        }
    }
}
