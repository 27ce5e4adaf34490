package dev.linkpulse.smartlinks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;

/**
 * Wrong password guesses per client IP and link: {@value #GUESSES} per {@link #WINDOW}, refilled
 * gradually; once they are spent the form answers 429 without checking. In this process only (a
 * guesser spread over N processes gets N times as many).
 */
final class GuessLimiter {

    static final int GUESSES = 5;
    static final Duration WINDOW = Duration.ofMinutes(15);

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(WINDOW)
            .build();

    private Bucket bucket(String ip, String linkId) {
        return buckets.get(ip + "|" + linkId, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(GUESSES).refillGreedy(GUESSES, WINDOW).build())
                .build());
    }

    /** Seconds until a guess is allowed again, or 0 when one is allowed now. */
    long blockedForSeconds(String ip, String linkId) {
        Bucket b = bucket(ip, linkId);
        if (b.getAvailableTokens() > 0) {
            return 0;
        }
        return Math.max(1, (b.estimateAbilityToConsume(1).getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    }

    void wrongGuess(String ip, String linkId) {
        bucket(ip, linkId).tryConsume(1);
    }
}
