package dev.linkpulse.demo;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.clicks.rollups.RollupStep;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;
import dev.linkpulse.links.LinkService;
import dev.linkpulse.links.NewShortUrl;
import dev.linkpulse.links.ShortUrl;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Fills a store with realistic clicks for demos and benchmarks: a mix of browsers, devices, bots
 * and link unfurlers; places from the MaxMind test networks and real cities; referrers of every
 * source category; UTM tags; a daily rhythm; a few links holding most of the traffic. Clicks are
 * written already enriched, through the same store code as the recorder (counters included).
 */
public final class DemoData {

    /** A visitor profile: the user agent and what enrichment makes of it. */
    private record Agent(String userAgent, String device, String browser, String os, TrafficClass traffic, int weight) {}

    private record Place(String ipPrefix, String country, String region, String city, int weight) {}

    private record Referral(String url, String domain, String source, int weight) {}

    private static final List<Agent> AGENTS = List.of(
            new Agent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1", "mobile", "Safari", "iOS", TrafficClass.HUMAN, 26),
            new Agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", "desktop", "Chrome", "Windows", TrafficClass.HUMAN, 22),
            new Agent("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36", "mobile", "Chrome", "Android", TrafficClass.HUMAN, 16),
            new Agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15", "desktop", "Safari", "macOS", TrafficClass.HUMAN, 8),
            new Agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0", "desktop", "Firefox", "Windows", TrafficClass.HUMAN, 5),
            new Agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0", "desktop", "Edge", "Windows", TrafficClass.HUMAN, 5),
            new Agent("Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", "tablet", "Chrome", "Android", TrafficClass.HUMAN, 3),
            new Agent("Mozilla/5.0 (iPad; CPU OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1", "tablet", "Safari", "iOS", TrafficClass.HUMAN, 3),
            new Agent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", "desktop", "Chrome", "Linux", TrafficClass.HUMAN, 2),
            new Agent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "bot", "Googlebot", null, TrafficClass.BOT, 3),
            new Agent("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "bot", "Bingbot", null, TrafficClass.BOT, 1),
            new Agent("curl/8.5.0", "bot", "curl", null, TrafficClass.BOT, 1),
            new Agent("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "bot", "Slackbot", null, TrafficClass.PREVIEW, 2),
            new Agent("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "bot", "facebookexternalhit", null, TrafficClass.PREVIEW, 2),
            new Agent("Twitterbot/1.0", "bot", "Twitterbot", null, TrafficClass.PREVIEW, 1));

    /** Networks of the MaxMind test city database, with what it answers for them. */
    private static final List<Place> PLACES = List.of(
            new Place("81.2.69.", "GB", "England", "London", 18),
            new Place("2.125.160.", "GB", "England", "Boxford", 4),
            new Place("216.160.83.", "US", "Washington", "Milton", 16),
            new Place("2001:480:10::", "US", "California", "San Diego", 12),
            new Place("89.160.20.", "SE", "Östergötland County", "Linköping", 6),
            new Place("175.16.199.", "CN", "Jilin Sheng", "Changchun", 5),
            new Place("67.43.156.", "BT", null, null, 2),
            new Place("202.196.224.", "PH", null, null, 3),
            new Place("10.0.0.", null, null, null, 2));

    private static final List<Referral> REFERRALS = List.of(
            new Referral(null, null, "direct", 30),
            new Referral("https://t.co/a1b2", "t.co", "social", 12),
            new Referral("https://www.linkedin.com/feed/", "linkedin.com", "social", 8),
            new Referral("https://www.facebook.com/", "facebook.com", "social", 6),
            new Referral("https://www.reddit.com/r/programming/", "reddit.com", "social", 4),
            new Referral("https://www.google.com/", "google.com", "search", 14),
            new Referral("https://duckduckgo.com/", "duckduckgo.com", "search", 3),
            new Referral("https://www.bing.com/search?q=links", "bing.com", "search", 2),
            new Referral("https://mail.google.com/mail/u/0/", "mail.google.com", "email", 7),
            new Referral("https://outlook.live.com/mail/0/", "outlook.live.com", "email", 3),
            new Referral("https://news.ycombinator.com/item?id=1", "news.ycombinator.com", "social", 3),
            new Referral("https://blog.example.org/posts/launch", "blog.example.org", "referral", 5),
            new Referral("https://partner.example.com/deals", "partner.example.com", "referral", 3));

    private static final String[] UTM_SOURCES = {"newsletter", "twitter", "linkedin", "google", "partner"};
    private static final String[] UTM_MEDIUMS = {"email", "social", "cpc", "referral"};
    private static final String[] UTM_CAMPAIGNS = {"launch", "spring-sale", "webinar", "black-friday"};
    /** Relative traffic by UTC hour: quiet nights, a morning rise, an evening peak. */
    private static final int[] HOURLY = {2, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 9, 9, 9, 9, 10, 11, 12, 13, 12, 10, 7, 5, 3};

    private static final int BATCH = 5_000;
    /** Clicks per rollup step: larger than the server's, as no redirects share this process or wait for the store. */
    private static final int ROLLUP_STEP = 20_000;

    private final LinkService links;
    private final ClickStore clicks;
    private final RollupStep rollups;
    private final Clock clock;
    private final SplittableRandom random;

    public DemoData(LinkService links, ClickStore clicks, RollupStep rollups, Clock clock, long seed) {
        this.rollups = rollups;
        this.links = links;
        this.clicks = clicks;
        this.clock = clock;
        this.random = new SplittableRandom(seed);
    }

    /** What was made: {@code seconds} to store the clicks, {@code rollupSeconds} more to count them into the rollups. */
    public record Result(List<ShortUrl> links, long clicks, double seconds, double rollupSeconds) {}

    /**
     * Creates {@code linkCount} links and {@code clickCount} clicks over the last {@code days} days.
     * The first link gets {@code firstLinkShare} of all clicks (0 for a Zipf-like spread).
     */
    public Result generate(String workspaceId, int linkCount, long clickCount, int days, double firstLinkShare, PrintStream progress)
            throws InterruptedException {
        long started = System.nanoTime();
        List<ShortUrl> made = new ArrayList<>(linkCount);
        for (int i = 0; i < linkCount; i++) {
            made.add(links.create(workspaceId, new NewShortUrl("https://example.com/demo/" + (i + 1) + "?ref=demo",
                    Optional.empty(), Optional.of("Demo link " + (i + 1)), Optional.empty(), true, i % 5 == 0, true)));
        }
        long now = clock.millis();
        long from = now - days * 86_400_000L;
        ClickIds ids = new ClickIds();
        double[] linkWeights = linkWeights(linkCount, firstLinkShare);
        // Generation runs here; storing runs on a second thread, so the two overlap.
        BlockingQueue<List<Click>> toStore = new ArrayBlockingQueue<>(4);
        Thread writer = Thread.ofPlatform().name("demo-writer").start(() -> {
            try {
                for (List<Click> batch = toStore.take(); !batch.isEmpty(); batch = toStore.take()) {
                    clicks.insert(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Progress bar = new Progress(progress, clickCount, started, "clicks");
        // Hour by hour, in time order: the store appends to its indexes instead of inserting at random.
        long firstHour = from / 3_600_000L;
        long hours = Math.max(1, (now - from) / 3_600_000L);
        double weightSum = 0;
        for (long h = 0; h < hours; h++) {
            weightSum += HOURLY[(int) ((firstHour + h) % 24)];
        }
        long written = 0;
        double carry = 0;
        List<Click> batch = new ArrayList<>(BATCH);
        for (long h = 0; h < hours && written < clickCount; h++) {
            long hourStart = (firstHour + h) * 3_600_000L;
            double exact = clickCount * HOURLY[(int) ((firstHour + h) % 24)] / weightSum + carry;
            long inHour = h == hours - 1 ? clickCount - written : Math.min(clickCount - written, (long) exact);
            carry = exact - (long) exact;
            long[] times = new long[(int) inHour];
            for (int i = 0; i < times.length; i++) {
                times[i] = hourStart + random.nextLong(3_600_000L);
            }
            java.util.Arrays.sort(times);
            for (long at : times) {
                batch.add(click(ids.next(at).toString(), at, made.get(pick(linkWeights))));
                if (batch.size() == BATCH) {
                    toStore.put(batch);
                    batch = new ArrayList<>(BATCH);
                }
            }
            written += inHour;
            bar.show(written);
        }
        if (!batch.isEmpty()) {
            toStore.put(batch);
        }
        toStore.put(List.of());
        writer.join();
        bar.done(written);
        double seconds = (System.nanoTime() - started) / 1e9;
        // Counted now rather than by the next server start, so the first questions asked are fast.
        long countingStarted = System.nanoTime();
        Progress counting = new Progress(progress, rollups.lag(), countingStarted, "clicks counted into the rollups");
        long counted = 0;
        for (RollupStep.Progress p = rollups.run(ROLLUP_STEP); ; p = rollups.run(ROLLUP_STEP)) {
            counted += p.counted();
            counting.show(counted);
            if (p.caughtUp()) {
                break;
            }
        }
        counting.done(counted);
        return new Result(made, written, seconds, (System.nanoTime() - countingStarted) / 1e9);
    }

    private static double[] linkWeights(int count, double firstShare) {
        double[] w = new double[count];
        double rest = 0;
        for (int i = 0; i < count; i++) {
            w[i] = 1.0 / (i + 1);
            rest += i == 0 ? 0 : w[i];
        }
        if (firstShare > 0 && count > 1) {
            for (int i = 1; i < count; i++) {
                w[i] = w[i] / rest * (1 - firstShare);
            }
            w[0] = firstShare;
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += w[i];
            w[i] = sum;
        }
        for (int i = 0; i < count; i++) {
            w[i] /= sum;
        }
        return w;
    }

    private int pick(double[] cumulative) {
        double r = random.nextDouble();
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < r) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private <T> T weighted(List<T> items, java.util.function.ToIntFunction<T> weight) {
        int total = 0;
        for (T t : items) {
            total += weight.applyAsInt(t);
        }
        int r = random.nextInt(total);
        for (T t : items) {
            r -= weight.applyAsInt(t);
            if (r < 0) {
                return t;
            }
        }
        return items.get(items.size() - 1);
    }

    private Click click(String id, long at, ShortUrl link) {
        Agent agent = weighted(AGENTS, Agent::weight);
        Place place = weighted(PLACES, Place::weight);
        Referral referral = agent.traffic() == TrafficClass.PREVIEW ? REFERRALS.get(0) : weighted(REFERRALS, Referral::weight);
        int visitor = random.nextInt(200_000);
        String ip = place.ipPrefix().endsWith("::") ? place.ipPrefix() + Integer.toHexString(1 + visitor % 250)
                : place.ipPrefix() + (1 + visitor % 250);
        String masked = ip.contains(":") ? ip.substring(0, ip.indexOf("::")) + ":xxxx:xxxx:xxxx:xxxx:xxxx"
                : ip.substring(0, ip.indexOf('.', ip.indexOf('.') + 1)) + ".xxx.xxx";
        Utm utm = random.nextInt(100) < 30 ? new Utm(UTM_SOURCES[random.nextInt(UTM_SOURCES.length)],
                UTM_MEDIUMS[random.nextInt(UTM_MEDIUMS.length)], UTM_CAMPAIGNS[random.nextInt(UTM_CAMPAIGNS.length)], null, null)
                : Utm.NONE;
        String source = referral.source();
        if (source.equals("direct") && "email".equals(utm.medium())) {
            source = "email";
        }
        // One visitor per (day, ip, agent): the same rule as the real hash, without a salt.
        String visitorHash = Long.toHexString((at / 86_400_000L) * 31 + visitor) + Integer.toHexString(agent.hashCode());
        return new Click(id, link.id(), link.workspaceId(), at, link.originalUrl(), masked, agent.userAgent(),
                referral.url(), referral.domain(), source, place.country(), place.region(), place.city(), agent.device(),
                agent.browser(), agent.os(), agent.traffic(), visitorHash, utm);
    }

    /** A one-line progress bar on a terminal (carriage return), plain lines elsewhere. */
    private static final class Progress {
        private final PrintStream out;
        private final long total;
        private final long started;
        private final String what;
        private long lastShown;

        Progress(PrintStream out, long total, long started, String what) {
            this.what = what;
            this.out = out;
            this.total = total;
            this.started = started;
        }

        void show(long done) {
            long now = System.nanoTime();
            if (now - lastShown < 250_000_000L) {
                return;
            }
            lastShown = now;
            print(done, false);
        }

        void done(long done) {
            print(done, true);
        }

        private void print(long done, boolean last) {
            double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
            double rate = done / seconds;
            int width = 30;
            int filled = (int) (width * done / Math.max(1, total));
            String bar = "#".repeat(filled) + "-".repeat(width - filled);
            long eta = rate > 0 ? (long) ((total - done) / rate) : 0;
            out.printf("\r[%s] %3d%%  %,d/%,d %s  %,.0f/s  %s", bar, 100 * done / Math.max(1, total), done, total, what, rate,
                    last ? String.format("done in %.1f s%n", seconds) : "ETA " + eta + " s ");
            out.flush();
        }
    }
}
