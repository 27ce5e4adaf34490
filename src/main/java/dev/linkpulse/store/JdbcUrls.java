package dev.linkpulse.store;

import java.util.regex.Pattern;

/** JDBC URLs as they may be shown: in start-up lines, logs and {@code toString}s, never with a password. */
public final class JdbcUrls {

    /** {@code //user:secret@host}: everything between the colon and the {@code @} goes. */
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/?#@:]*):[^/?#@]*@");
    /**
     * Any parameter whose name holds "password" ({@code password}, {@code sslpassword},
     * {@code PASSWORD}), after {@code ?}, {@code &} or {@code ;}; its value runs to the next separator.
     */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;][^=&;?#]*password[^=&;?#]*=)[^&;#]*");

    static final String HIDDEN = "***";

    private JdbcUrls() {}

    /** The URL with every password it carries replaced by {@code ***}. */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        String out = USER_INFO_PASSWORD.matcher(url).replaceAll("$1:" + HIDDEN + "@");
        return PASSWORD_PARAMETER.matcher(out).replaceAll("$1" + HIDDEN);
    }
}
