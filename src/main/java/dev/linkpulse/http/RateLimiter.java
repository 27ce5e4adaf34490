package dev.linkpulse.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Token buckets per caller and endpoint class (Bucket4j). Every answered {@code /api} request
 * carries {@code X-RateLimit-Limit}, {@code -Remaining} and {@code -Reset}; an empty bucket is 429
 * with {@code Retry-After}. Buckets live in this process only.
 */
public final class RateLimiter {

    private final RateLimits limits;
    private final Clock clock;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(2))
            .build();

    public RateLimiter(RateLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** Takes one request from {@code caller}'s bucket for the class, or throws 429. */
    public void consume(Context ctx, String caller, RateLimits.EndpointClass endpointClass) {
        consume(ctx::header, caller, endpointClass);
    }

    /** As {@link #consume(Context, String, RateLimits.EndpointClass)}, for responses outside Javalin (a servlet). */
    public void consume(java.util.function.BiConsumer<String, String> header, String caller, RateLimits.EndpointClass endpointClass) {
        RateLimits.Limit limit = limits.of(endpointClass);
        Bucket bucket = buckets.get(caller + "|" + endpointClass.label(), k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit.requests()).refillGreedy(limit.requests(), limit.per()).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        long now = clock.millis();
        long resetSeconds = (now + TimeUnit.NANOSECONDS.toMillis(probe.getNanosToWaitForReset()) + 999) / 1000;
        header.accept("X-RateLimit-Limit", Long.toString(limit.requests()));
        header.accept("X-RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
        header.accept("X-RateLimit-Reset", Long.toString(resetSeconds));
        if (!probe.isConsumed()) {
            long retryAfter = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            header.accept("Retry-After", Long.toString(retryAfter));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("limit", limit.requests());
            details.put("remaining", 0);
            details.put("reset_at", dev.linkpulse.common.Timestamps.format(Instant.ofEpochMilli(now).plusSeconds(retryAfter).toEpochMilli()));
            details.put("class", endpointClass.label());
            throw new ApiException(429, "RATE_LIMIT_EXCEEDED",
                    "Too many " + endpointClass.label() + " requests; retry after " + retryAfter + " s", details);
        }
    }
}
