package dev.linkpulse.links;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.util.Optional;
import java.util.function.Function;

/**
 * Short code → link, for the redirect. Absent codes are cached too (as empty), so a flood of
 * unknown codes does not reach the store; any change to a code invalidates its entry.
 */
final class LinkCache {

    private final LoadingCache<String, Optional<ShortUrl>> byCode;

    LinkCache(long maximumSize, Function<String, Optional<ShortUrl>> loader) {
        this.byCode = Caffeine.newBuilder().maximumSize(maximumSize).build(loader::apply);
    }

    Optional<ShortUrl> get(String code) {
        return byCode.get(code);
    }

    void invalidate(String code) {
        byCode.invalidate(code);
    }

    void invalidateAll() {
        byCode.invalidateAll();
    }
}
