package dev.linkpulse.links;

import dev.linkpulse.http.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Which destinations a short link may point to: absolute http(s) URLs of at most 8,192
 * characters, with a host, without credentials, control characters or spaces, and never at one
 * of this service's own short links (that would loop).
 */
public final class DestinationRules {

    public static final int MAX_LENGTH = 8_192;
    private static final String FIELD = "url";

    private final URI base;

    public DestinationRules(String baseUrl) {
        this.base = URI.create(baseUrl);
    }

    /** The URL as it will be stored, or a 400 naming {@code url}. */
    public String check(String url) {
        if (url.isEmpty()) {
            throw ApiException.validation(FIELD, "url must not be empty");
        }
        if (url.length() > MAX_LENGTH) {
            throw ApiException.validation(FIELD, "url must be at most " + MAX_LENGTH + " characters",
                    java.util.Map.of("max", MAX_LENGTH));
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
                throw ApiException.validation(FIELD, "url must not contain spaces or control characters");
            }
        }
        URI uri;
        try {
            uri = new URI(encodeNonAscii(url));
        } catch (URISyntaxException e) {
            throw ApiException.validation(FIELD, "url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.validation(FIELD, "url must be an absolute http or https URL");
        }
        if (uri.getRawAuthority() == null || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw ApiException.validation(FIELD, "url must have a valid host");
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiException.validation(FIELD, "url must not contain credentials");
        }
        if (pointsAtShortLink(uri)) {
            throw ApiException.validation(FIELD, "url must not point at a short link of this service");
        }
        return uri.toString();
    }

    private boolean pointsAtShortLink(URI uri) {
        if (!uri.getHost().equalsIgnoreCase(base.getHost()) || effectivePort(uri) != effectivePort(base)) {
            return false;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        if (!path.startsWith(basePath)) {
            return false;
        }
        String rest = path.substring(basePath.length());
        if (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        int slash = rest.indexOf('/');
        String first = slash < 0 ? rest : rest.substring(0, slash);
        return !first.isEmpty() && !ReservedPaths.isReserved(first);
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** Internationalised URLs are fine; java.net.URI only parses them once non-ASCII is escaped. */
    private static String encodeNonAscii(String url) {
        StringBuilder out = null;
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c < 0x80) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(url.length() + 16).append(url, 0, i);
            }
            int cp = url.codePointAt(i);
            if (Character.isSupplementaryCodePoint(cp)) {
                i++;
            }
            for (byte b : new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out == null ? url : out.toString();
    }
}
