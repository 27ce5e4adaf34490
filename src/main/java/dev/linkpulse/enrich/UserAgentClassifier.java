package dev.linkpulse.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.linkpulse.clicks.TrafficClass;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/**
 * Device type, browser family, OS family and traffic class of a user agent. Yauaa does the
 * parsing (built in the background: it takes seconds); link unfurlers and HTTP tools that it
 * does not call robots are recognised here first.
 */
public final class UserAgentClassifier {

    private static final String DEVICE_CLASS = "DeviceClass";
    private static final String AGENT_CLASS = "AgentClass";
    private static final String AGENT_NAME = "AgentName";
    private static final String OS_NAME = "OperatingSystemName";
    private static final String DEVICE_BRAND = "DeviceBrand";
    private static final String DEVICE_NAME = "DeviceName";
    private static final String AGENT_VERSION = "AgentVersion";
    private static final String OS_VERSION = "OperatingSystemVersion";

    /** Link unfurlers: lower-case marker in the user agent, and the name we report. */
    private static final List<Map.Entry<String, String>> PREVIEWS = List.of(
            Map.entry("slackbot", "Slackbot"),
            Map.entry("slack-imgproxy", "Slackbot"),
            Map.entry("facebookexternalhit", "facebookexternalhit"),
            Map.entry("facebookcatalog", "facebookexternalhit"),
            Map.entry("meta-externalagent", "facebookexternalhit"),
            Map.entry("twitterbot", "Twitterbot"),
            Map.entry("whatsapp", "WhatsApp"),
            Map.entry("linkedinbot", "LinkedInBot"),
            Map.entry("discordbot", "Discordbot"),
            Map.entry("telegrambot", "TelegramBot"),
            Map.entry("skypeuripreview", "SkypeUriPreview"),
            Map.entry("microsoftpreview", "MicrosoftPreview"),
            Map.entry("redditbot", "redditbot"),
            Map.entry("pinterestbot", "Pinterestbot"),
            Map.entry("iframely", "Iframely"),
            Map.entry("embedly", "Embedly"),
            Map.entry("vkshare", "vkShare"),
            Map.entry("mastodon", "Mastodon"),
            Map.entry("bluesky cardyb", "Bluesky"),
            Map.entry("google-pagerenderer", "Google-PageRenderer"),
            Map.entry("bitlybot", "bitlybot"),
            Map.entry("viber/", "Viber"));

    /** Scripts and HTTP libraries: lower-case marker, and the name we report. */
    private static final List<Map.Entry<String, String>> TOOLS = List.of(
            Map.entry("curl/", "curl"),
            Map.entry("wget/", "Wget"),
            Map.entry("python-requests", "python-requests"),
            Map.entry("python-urllib", "Python-urllib"),
            Map.entry("aiohttp", "aiohttp"),
            Map.entry("httpx", "httpx"),
            Map.entry("go-http-client", "Go-http-client"),
            Map.entry("okhttp", "okhttp"),
            Map.entry("java/", "Java"),
            Map.entry("java-http-client", "Java-http-client"),
            Map.entry("apache-httpclient", "Apache-HttpClient"),
            Map.entry("libwww-perl", "libwww-perl"),
            Map.entry("node-fetch", "node-fetch"),
            Map.entry("axios/", "axios"),
            Map.entry("undici", "undici"),
            Map.entry("postmanruntime", "PostmanRuntime"),
            Map.entry("insomnia", "Insomnia"),
            Map.entry("httpie", "HTTPie"),
            Map.entry("scrapy", "Scrapy"),
            Map.entry("headlesschrome", "HeadlessChrome"),
            Map.entry("phantomjs", "PhantomJS"),
            Map.entry("wordpress", "WordPress"));

    private static final Set<String> ROBOT_DEVICE_CLASSES = Set.of("Robot", "Robot Mobile", "Robot Imitator", "Spy", "Hacker");
    private static final Set<String> ROBOT_AGENT_CLASSES = Set.of("Robot", "Robot Mobile", "Cloud Application", "Hacker", "Special");

    private static final Map<String, String> DEVICE_TYPES = Map.ofEntries(
            Map.entry("Desktop", "desktop"),
            Map.entry("Phone", "mobile"),
            Map.entry("Mobile", "mobile"),
            Map.entry("Tablet", "tablet"),
            Map.entry("eReader", "tablet"),
            Map.entry("TV", "tv"),
            Map.entry("Set-top box", "tv"),
            Map.entry("Game Console", "console"),
            Map.entry("Handheld Game Console", "console"),
            Map.entry("Watch", "wearable"),
            Map.entry("Augmented Reality", "wearable"),
            Map.entry("Virtual Reality", "wearable"));

    private static final Map<String, String> OS_FAMILIES = Map.ofEntries(
            Map.entry("Windows NT", "Windows"),
            Map.entry("Windows", "Windows"),
            Map.entry("Mac OS", "macOS"),
            Map.entry("Mac OS X", "macOS"),
            Map.entry("macOS", "macOS"),
            Map.entry("iOS", "iOS"),
            Map.entry("iPadOS", "iOS"),
            Map.entry("Android", "Android"),
            Map.entry("Linux", "Linux"),
            Map.entry("Ubuntu", "Linux"),
            Map.entry("Debian", "Linux"),
            Map.entry("Fedora", "Linux"),
            Map.entry("Red Hat", "Linux"),
            Map.entry("Arch", "Linux"),
            Map.entry("Linux Mint", "Linux"),
            Map.entry("Chrome OS", "ChromeOS"),
            Map.entry("ChromeOS", "ChromeOS"),
            Map.entry("FreeBSD", "FreeBSD"),
            Map.entry("OpenBSD", "OpenBSD"),
            Map.entry("Windows Phone", "Windows Phone"),
            Map.entry("Fire OS", "Android"),
            Map.entry("HarmonyOS", "HarmonyOS"),
            Map.entry("KaiOS", "KaiOS"),
            Map.entry("Tizen", "Tizen"),
            Map.entry("webOS", "webOS"));

    private static final Map<String, String> BROWSER_FAMILIES = Map.ofEntries(
            Map.entry("Chrome", "Chrome"),
            Map.entry("Chromium", "Chromium"),
            Map.entry("Safari", "Safari"),
            Map.entry("Firefox", "Firefox"),
            Map.entry("Edge", "Edge"),
            Map.entry("Opera", "Opera"),
            Map.entry("Samsung Internet", "Samsung Internet"),
            Map.entry("Samsung Browser", "Samsung Internet"));

    private static final Device EMPTY_AGENT = new Device("bot", null, null, TrafficClass.BOT);

    /** Results by user agent: traffic repeats a few thousand agents, and a Device is far smaller than Yauaa's cached parse. */
    private static final int CACHED_AGENTS = 20_000;

    private final CompletableFuture<UserAgentAnalyzer> analyzer;
    private final Cache<String, Device> devices = Caffeine.newBuilder().maximumSize(CACHED_AGENTS).build();

    private UserAgentClassifier(CompletableFuture<UserAgentAnalyzer> analyzer) {
        this.analyzer = analyzer;
    }

    /** Starts building Yauaa on a background thread; {@link #classify} waits for it when needed. */
    public static UserAgentClassifier startBuilding() {
        UserAgentClassifier classifier = notBuilt();
        classifier.build();
        return classifier;
    }

    /** A classifier whose {@link #build} comes later (the server starts faster without Yauaa competing for the CPU). */
    public static UserAgentClassifier notBuilt() {
        return new UserAgentClassifier(new CompletableFuture<>());
    }

    /**
     * Yauaa, once per process: its rules do not change once built, its parse is safe between
     * threads (Yauaa serialises it; the Caffeine cache in front takes the repeats), and a build
     * costs seconds of CPU. A process runs one server, but a test JVM starts one per class.
     */
    private static CompletableFuture<UserAgentAnalyzer> shared;

    /** Builds Yauaa on a background thread (or reuses this process's); {@link #classify} waits for it when needed. */
    public void build() {
        CompletableFuture<UserAgentAnalyzer> built;
        synchronized (UserAgentClassifier.class) {
            if (shared == null || shared.isCompletedExceptionally()) {
                CompletableFuture<UserAgentAnalyzer> building = new CompletableFuture<>();
                Thread.ofPlatform().name("yauaa-builder").daemon().start(() -> {
                    try {
                        building.complete(UserAgentAnalyzer.newBuilder()
                                .hideMatcherLoadStats()
                                .withoutCache()
                                .dropTests()
                                .withFields(DEVICE_CLASS, AGENT_CLASS, AGENT_NAME, OS_NAME, DEVICE_BRAND, DEVICE_NAME, AGENT_VERSION,
                                        OS_VERSION)
                                .immediateInitialization()
                                .build());
                    } catch (Throwable t) {
                        building.completeExceptionally(t);
                    }
                });
                shared = building;
            }
            built = shared;
        }
        built.whenComplete((a, t) -> {
            if (t != null) {
                analyzer.completeExceptionally(t);
            } else {
                analyzer.complete(a);
            }
        });
    }

    public boolean isReady() {
        return analyzer.isDone() && !analyzer.isCompletedExceptionally();
    }

    public Device classify(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return EMPTY_AGENT;
        }
        return devices.get(userAgent, this::parse);
    }

    private Device parse(String userAgent) {
        String lower = userAgent.toLowerCase(Locale.ROOT);
        String preview = firstMatch(PREVIEWS, lower);
        if (preview != null) {
            return new Device("bot", preview, null, TrafficClass.PREVIEW);
        }
        UserAgent parsed = analyzer.join().parse(userAgent);
        String deviceClass = parsed.getValue(DEVICE_CLASS);
        String agentClass = parsed.getValue(AGENT_CLASS);
        String os = OS_FAMILIES.get(parsed.getValue(OS_NAME));
        String tool = firstMatch(TOOLS, lower);
        if (tool != null || ROBOT_DEVICE_CLASSES.contains(deviceClass) || ROBOT_AGENT_CLASSES.contains(agentClass)) {
            String name = tool != null ? tool : known(parsed.getValue(AGENT_NAME));
            return new Device("bot", name, os, TrafficClass.BOT);
        }
        String agentName = parsed.getValue(AGENT_NAME);
        String browser = BROWSER_FAMILIES.getOrDefault(agentName, known(agentName));
        String brand = known(parsed.getValue(DEVICE_BRAND));
        return new Device(DEVICE_TYPES.getOrDefault(deviceClass, "unknown"), browser, os, TrafficClass.HUMAN,
                brand, model(brand, known(parsed.getValue(DEVICE_NAME))), known(parsed.getValue(AGENT_VERSION)),
                known(parsed.getValue(OS_VERSION)));
    }

    /** Yauaa's device name starts with the brand ("Apple iPhone", "Samsung SM-G991B"): the model is the rest. */
    private static String model(String brand, String name) {
        if (name == null) {
            return null;
        }
        if (brand != null && name.regionMatches(true, 0, brand + " ", 0, brand.length() + 1)) {
            String rest = name.substring(brand.length() + 1).strip();
            return rest.isEmpty() ? null : rest;
        }
        return name;
    }

    private static String firstMatch(List<Map.Entry<String, String>> markers, String lowerUserAgent) {
        for (Map.Entry<String, String> m : markers) {
            if (lowerUserAgent.contains(m.getKey())) {
                return m.getValue();
            }
        }
        return null;
    }

    /** Yauaa's placeholder values become null: unknown is never a string. */
    private static String known(String value) {
        if (value == null || value.isBlank() || value.startsWith("Unknown") || value.equals("??") || value.equals("Hacker")) {
            return null;
        }
        return value;
    }
}
