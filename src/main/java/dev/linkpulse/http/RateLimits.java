package dev.linkpulse.http;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How many requests each endpoint class allows per key: {@code write=600/min,read=6000/min,analytics=3000/min}.
 * Classes left out keep their defaults.
 */
public record RateLimits(Map<EndpointClass, Limit> limits) {

    /** The classes of spec §1: link creation and other changes, link reads, analytics. */
    public enum EndpointClass {
        WRITE, READ, ANALYTICS;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record Limit(long requests, Duration per) {}

    public static final RateLimits DEFAULT = new RateLimits(Map.of(
            EndpointClass.WRITE, new Limit(600, Duration.ofMinutes(1)),
            EndpointClass.READ, new Limit(6_000, Duration.ofMinutes(1)),
            EndpointClass.ANALYTICS, new Limit(3_000, Duration.ofMinutes(1))));

    public RateLimits {
        limits = Map.copyOf(limits);
    }

    public Limit of(EndpointClass endpointClass) {
        return limits.get(endpointClass);
    }

    /** Parses the setting; empty when it is malformed. */
    public static Optional<RateLimits> parse(String text) {
        Map<EndpointClass, Limit> out = new EnumMap<>(DEFAULT.limits());
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.strip().split("=", 2);
            if (kv.length != 2) {
                return Optional.empty();
            }
            Optional<EndpointClass> cls = java.util.Arrays.stream(EndpointClass.values())
                    .filter(c -> c.label().equals(kv[0].strip())).findFirst();
            String[] rate = kv[1].strip().split("/", 2);
            if (cls.isEmpty() || rate.length != 2) {
                return Optional.empty();
            }
            long requests;
            try {
                requests = Long.parseLong(rate[0].strip());
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            Duration per = switch (rate[1].strip()) {
                case "s", "sec", "second" -> Duration.ofSeconds(1);
                case "min", "minute" -> Duration.ofMinutes(1);
                case "h", "hour" -> Duration.ofHours(1);
                case "day" -> Duration.ofDays(1);
                default -> null;
            };
            if (per == null || requests < 1 || requests > 1_000_000_000L) {
                return Optional.empty();
            }
            out.put(cls.get(), new Limit(requests, per));
        }
        return Optional.of(new RateLimits(out));
    }
}
