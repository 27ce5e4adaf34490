package dev.linkpulse.clicks;

/** The UTM parameters of the request that clicked; each may be null. */
public record Utm(String source, String medium, String campaign, String term, String content) {
    public static final Utm NONE = new Utm(null, null, null, null, null);
}
