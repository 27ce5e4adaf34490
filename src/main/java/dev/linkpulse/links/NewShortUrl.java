package dev.linkpulse.links;

import java.util.Optional;

/** A validated request to create a short link. */
public record NewShortUrl(
        String url,
        Optional<String> customAlias,
        Optional<String> name,
        Optional<Long> expiresAt,
        boolean trackingEnabled,
        boolean dynamic,
        boolean forwardQuery) {}
