package dev.linkpulse.links;

import java.util.List;
import java.util.Optional;

/**
 * A validated request to create a short link. {@code campaign} is the campaign as the request
 * named it (id or name), resolved in the caller's workspace when the link is created; {@code urlType}
 * and {@code domain} put it on a subdomain or branded domain (checked against the workspace's then).
 */
public record NewShortUrl(
        String url,
        Optional<String> customAlias,
        Optional<String> name,
        Optional<Long> expiresAt,
        boolean trackingEnabled,
        boolean dynamic,
        boolean forwardQuery,
        Optional<String> campaign,
        List<String> tags,
        String urlType,
        String domain) {

    public NewShortUrl(String url, Optional<String> customAlias, Optional<String> name, Optional<Long> expiresAt,
            boolean trackingEnabled, boolean dynamic, boolean forwardQuery) {
        this(url, customAlias, name, expiresAt, trackingEnabled, dynamic, forwardQuery, Optional.empty(), List.of(),
                ShortUrl.STANDARD, "");
    }
}
