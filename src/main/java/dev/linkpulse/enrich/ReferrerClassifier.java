package dev.linkpulse.enrich;

import dev.linkpulse.clicks.Utm;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The referrer's domain and source category ({@code direct}, {@code social}, {@code search},
 * {@code email}, {@code referral}). A known referrer decides; without one, {@code utm_medium}
 * may say email or social; anything else with a referrer is a referral.
 */
public final class ReferrerClassifier {

    public static final String DIRECT = "direct";
    public static final String SOCIAL = "social";
    public static final String SEARCH = "search";
    public static final String EMAIL = "email";
    public static final String REFERRAL = "referral";

    private static final List<String> EMAIL_DOMAINS = List.of(
            "mail.google.com", "inbox.google.com", "outlook.live.com", "outlook.office.com", "outlook.office365.com",
            "mail.yahoo.com", "mail.proton.me", "mail.protonmail.com", "mail.aol.com", "mail.yandex.ru",
            "mail.zoho.com", "fastmail.com", "app.fastmail.com", "mail.ru", "gmx.net", "web.de", "mail.com",
            "com.google.android.gm", "com.microsoft.office.outlook");

    private static final List<String> SOCIAL_DOMAINS = List.of(
            "facebook.com", "fb.com", "fb.me", "messenger.com", "instagram.com", "t.co", "twitter.com", "x.com",
            "linkedin.com", "lnkd.in", "reddit.com", "redd.it", "youtube.com", "youtu.be", "tiktok.com",
            "pinterest.com", "pin.it", "tumblr.com", "threads.net", "bsky.app", "mastodon.social", "vk.com",
            "weibo.com", "news.ycombinator.com", "discord.com", "discordapp.com", "t.me", "telegram.org",
            "whatsapp.com", "wa.me", "snapchat.com", "quora.com", "slack.com", "medium.com", "twitch.tv",
            "com.facebook.katana", "com.twitter.android", "com.linkedin.android", "com.reddit.frontpage",
            "org.telegram.messenger", "com.whatsapp", "com.slack");

    /** Search engines by the label before their public suffix ({@code google} in google.co.uk). */
    private static final Set<String> SEARCH_LABELS = Set.of(
            "google", "bing", "duckduckgo", "yahoo", "baidu", "yandex", "ecosia", "startpage", "qwant",
            "naver", "seznam", "ask", "sogou", "so", "kagi", "brave", "mojeek", "metager", "searx");

    private static final Set<String> SEARCH_HOSTS = Set.of(
            "search.brave.com", "search.yahoo.com", "search.aol.com", "com.google.android.googlequicksearchbox");

    private ReferrerClassifier() {}

    public static Referrer classify(String referrer, Utm utm) {
        String domain = domainOf(referrer);
        String fromDomain = domain == null ? null : categoryOf(domain);
        if (fromDomain != null) {
            return new Referrer(domain, fromDomain);
        }
        String fromMedium = categoryOfMedium(utm.medium());
        if (fromMedium != null) {
            return new Referrer(domain, fromMedium);
        }
        return new Referrer(domain, domain == null ? DIRECT : REFERRAL);
    }

    /** The host of a referrer URL, lower case, without {@code www.}; null when there is none. */
    static String domainOf(String referrer) {
        if (referrer == null || referrer.isBlank()) {
            return null;
        }
        String s = referrer.strip();
        int scheme = s.indexOf("://");
        if (scheme <= 0) {
            return null;
        }
        int start = scheme + 3;
        int end = start;
        while (end < s.length() && "/?#".indexOf(s.charAt(end)) < 0) {
            end++;
        }
        String authority = s.substring(start, end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        String host;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = close > 0 ? authority.substring(1, close) : "";
        } else {
            int colon = authority.indexOf(':');
            host = colon >= 0 ? authority.substring(0, colon) : authority;
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.startsWith("www.")) {
            host = host.substring(4);
        }
        if (host.isEmpty() || host.length() > 253 || !host.chars().allMatch(ReferrerClassifier::isHostChar)) {
            return null;
        }
        return host;
    }

    private static boolean isHostChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == ':';
    }

    private static String categoryOf(String domain) {
        if (matchesAny(domain, EMAIL_DOMAINS) || domain.startsWith("webmail.") || domain.startsWith("mail.")) {
            return EMAIL;
        }
        if (matchesAny(domain, SOCIAL_DOMAINS) || domain.startsWith("m.facebook.") || domain.startsWith("l.facebook.")) {
            return SOCIAL;
        }
        if (SEARCH_HOSTS.contains(domain) || isSearchEngine(domain)) {
            return SEARCH;
        }
        return null;
    }

    private static boolean matchesAny(String domain, List<String> known) {
        for (String k : known) {
            if (domain.equals(k) || (domain.endsWith(k) && domain.charAt(domain.length() - k.length() - 1) == '.')) {
                return true;
            }
        }
        return false;
    }

    /** google.com, google.co.uk, www.bing.com, duckduckgo.com: the search label followed by a short suffix. */
    private static boolean isSearchEngine(String domain) {
        String[] labels = domain.split("\\.");
        for (int i = 0; i < labels.length - 1; i++) {
            if (SEARCH_LABELS.contains(labels[i])) {
                int suffixLabels = labels.length - 1 - i;
                String last = labels[labels.length - 1];
                // Allow "com", "de", "co.uk", "com.au"; not "google.example.org" style lookalikes.
                if (suffixLabels == 1 || (suffixLabels == 2 && last.length() == 2 && labels[i + 1].length() <= 3)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String categoryOfMedium(String medium) {
        if (medium == null) {
            return null;
        }
        return switch (medium.strip().toLowerCase(Locale.ROOT)) {
            case "email", "e-mail", "e_mail", "newsletter", "mail" -> EMAIL;
            case "social", "social-media", "social_media", "socialmedia", "social-network", "sm" -> SOCIAL;
            case "organic", "search" -> SEARCH;
            default -> null;
        };
    }
}
