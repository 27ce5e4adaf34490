package dev.linkpulse.enrich;

/** Where an IP is: ISO 3166-1 alpha-2 country, region and city in English; each may be null. */
public record Geo(String country, String region, String city, String timezone) {
    public static final Geo UNKNOWN = new Geo(null, null, null, null);

    /** Where an IP is, without its IANA time zone (the country databases have none). */
    public Geo(String country, String region, String city) {
        this(country, region, city, null);
    }
}
