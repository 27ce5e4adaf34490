package dev.linkpulse.smartlinks;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** Which targeting rule a visit matches (spec §6.9): the first whose conditions all hold. */
final class RuleMatcher {

    private RuleMatcher() {}

    /** The index of the first matching rule, or -1 when none matches. */
    static int firstMatch(List<Rule> rules, Visit visit) {
        for (int i = 0; i < rules.size(); i++) {
            if (matches(rules.get(i), visit)) {
                return i;
            }
        }
        return -1;
    }

    static boolean matches(Rule rule, Visit visit) {
        for (Rule.Condition c : rule.conditions()) {
            if (!holds(c, visit)) {
                return false;
            }
        }
        return true;
    }

    static boolean holds(Rule.Condition c, Visit v) {
        return switch (c.type()) {
            case DEVICE_TYPE -> c.value().equalsIgnoreCase(v.device().deviceType());
            case OS -> c.value().equalsIgnoreCase(v.device().os());
            case BROWSER -> c.value().equalsIgnoreCase(v.device().browser());
            case COUNTRY -> c.value().equalsIgnoreCase(v.country());
            case LANGUAGE -> acceptsLanguage(v.acceptLanguage, c.value());
            case QUERY -> c.value().equals(queryParam(v.rawQuery, c.key()));
            case BEFORE -> v.now < c.at();
            case AFTER -> v.now >= c.at();
        };
    }

    /**
     * True when {@code header} lists {@code language} (or a regional form of it: "de" takes "de-CH")
     * with a quality above zero. "*" is not taken as every language: a rule names a language on purpose.
     */
    static boolean acceptsLanguage(String header, String language) {
        if (header == null || header.isEmpty()) {
            return false;
        }
        String wanted = language.toLowerCase(Locale.ROOT);
        for (String part : header.split(",", 32)) {
            String[] pieces = part.split(";");
            String tag = pieces[0].trim().toLowerCase(Locale.ROOT);
            if (!(tag.equals(wanted) || tag.startsWith(wanted + "-"))) {
                continue;
            }
            if (quality(pieces) > 0) {
                return true;
            }
        }
        return false;
    }

    private static double quality(String[] pieces) {
        for (int i = 1; i < pieces.length; i++) {
            String p = pieces[i].trim();
            if (p.startsWith("q=")) {
                try {
                    return Double.parseDouble(p.substring(2));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    /** The first value of a query parameter, decoded; null when absent or undecodable. */
    static String queryParam(String rawQuery, String name) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            try {
                if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                    return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException e) {
                // a malformed escape names no parameter
            }
        }
        return null;
    }
}
