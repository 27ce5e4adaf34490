package dev.linkpulse.bench;

import dev.linkpulse.clicks.Utm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Synthetic but realistic click traffic for benchmarks: user agents from uap-core's test cases
 * (a few very common, a long tail), public IPv4 and IPv6 addresses, referrers of every source
 * category, UTM tags on some clicks. Seeded, so runs are comparable.
 */
public final class Traffic {

    private static final String[] COMMON_AGENTS = {
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
            "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "Twitterbot/1.0",
            "WhatsApp/2.23.20.0 A",
            "curl/8.5.0"};

    private static final String[] REFERRERS = {
            null, null, null, "https://t.co/x", "https://www.facebook.com/", "https://www.linkedin.com/feed/",
            "https://www.google.com/", "https://www.bing.com/search?q=x", "https://duckduckgo.com/",
            "https://mail.google.com/mail/u/0/", "https://outlook.live.com/mail/", "https://news.ycombinator.com/item?id=1",
            "https://blog.example.org/post", "https://www.reddit.com/r/java/"};

    private static final String[] UTM_SOURCES = {"newsletter", "twitter", "linkedin", "google", "partner"};
    private static final String[] UTM_MEDIUMS = {"email", "social", "cpc", "referral"};
    private static final String[] UTM_CAMPAIGNS = {"launch", "spring-sale", "webinar"};

    private final List<String> agents;
    private final SplittableRandom random;

    public Traffic(long seed) {
        this.random = new SplittableRandom(seed);
        this.agents = loadAgents();
    }

    /** Common agents first, then uap-core's cases when the shared test data is at hand. */
    private static List<String> loadAgents() {
        List<String> out = new ArrayList<>(List.of(COMMON_AGENTS));
        for (Path p : List.of(Path.of("../shared/data/ua/test_ua.yaml"), Path.of("shared/data/ua/test_ua.yaml"))) {
            if (Files.isReadable(p)) {
                try {
                    Matcher m = Pattern.compile("user_agent_string: ['\"](.+)['\"]\\s*$", Pattern.MULTILINE)
                            .matcher(Files.readString(p));
                    while (m.find()) {
                        out.add(m.group(1).replace("''", "'"));
                    }
                } catch (IOException e) {
                    // fall back to the common agents
                }
                break;
            }
        }
        return out;
    }

    public int distinctAgents() {
        return agents.size();
    }

    /** 80 % of clicks from the twelve common agents, the rest spread over the long tail. */
    public String userAgent() {
        if (random.nextInt(100) < 80 || agents.size() == COMMON_AGENTS.length) {
            return COMMON_AGENTS[random.nextInt(COMMON_AGENTS.length)];
        }
        return agents.get(COMMON_AGENTS.length + random.nextInt(agents.size() - COMMON_AGENTS.length));
    }

    /** A public address: mostly IPv4, some IPv6, now and then one of the test database's cities. */
    public String ip() {
        int pick = random.nextInt(100);
        if (pick < 10) {
            String[] known = {"81.2.69.142", "2.125.160.216", "216.160.83.56", "89.160.20.112", "175.16.199.1", "2001:480:10::1"};
            return known[random.nextInt(known.length)];
        }
        if (pick < 20) {
            return String.format("2a0%d:%x:%x::%x", random.nextInt(10), random.nextInt(0xffff), random.nextInt(0xffff),
                    random.nextInt(0xffff));
        }
        return (11 + random.nextInt(180)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    public String referrer() {
        return REFERRERS[random.nextInt(REFERRERS.length)];
    }

    public Utm utm() {
        if (random.nextInt(100) >= 30) {
            return Utm.NONE;
        }
        return new Utm(UTM_SOURCES[random.nextInt(UTM_SOURCES.length)], UTM_MEDIUMS[random.nextInt(UTM_MEDIUMS.length)],
                UTM_CAMPAIGNS[random.nextInt(UTM_CAMPAIGNS.length)], null, null);
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }
}
