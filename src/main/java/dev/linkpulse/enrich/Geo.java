package dev.linkpulse.enrich;

/** Where an IP is: ISO 3166-1 alpha-2 country, region and city in English; each may be null. */
public record Geo(String country, String region, String city) {
    public static final Geo UNKNOWN = new Geo(null, null, null);
}
