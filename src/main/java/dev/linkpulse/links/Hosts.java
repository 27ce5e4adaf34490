package dev.linkpulse.links;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/** Host names and subdomain labels, as domains (issue 16) and links check them. */
public final class Hosts {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private Hosts() {}

    /** True for a DNS label of 1 to 63 of [a-z0-9-], not starting or ending with '-'. */
    public static boolean isLabel(String s) {
        return LABEL.matcher(s).matches();
    }

    /** True for a lower-case host name of two or more labels, at most 253 characters, whose last label is not all digits. */
    public static boolean isHostname(String s) {
        if (s.isEmpty() || s.length() > 253) {
            return false;
        }
        String[] labels = s.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String l : labels) {
            if (!isLabel(l)) {
                return false;
            }
        }
        return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
    }

    /** The host of the base URL, lower case. */
    public static String baseHost(String baseUrl) {
        String host = URI.create(baseUrl).getHost();
        return host == null ? "" : host.toLowerCase(Locale.ROOT);
    }
}
