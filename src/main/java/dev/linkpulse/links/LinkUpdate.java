package dev.linkpulse.links;

import java.util.List;
import java.util.Optional;

/**
 * A partial update: empty means "leave as is". For the nullable fields an inner empty means
 * "clear" ({@code "expires_at": null}, {@code "campaign_id": null}).
 */
public record LinkUpdate(
        Optional<String> url,
        Optional<Optional<String>> name,
        Optional<Optional<Long>> expiresAt,
        Optional<Boolean> trackingEnabled,
        Optional<Boolean> dynamic,
        Optional<String> customAlias,
        Optional<Boolean> forwardQuery,
        Optional<Boolean> disabled,
        Optional<Optional<String>> campaign,
        Optional<List<String>> tags) {

    /** An update that touches neither the campaign nor the tags (features that change only the link itself). */
    public LinkUpdate(Optional<String> url, Optional<Optional<String>> name, Optional<Optional<Long>> expiresAt,
            Optional<Boolean> trackingEnabled, Optional<Boolean> dynamic, Optional<String> customAlias,
            Optional<Boolean> forwardQuery, Optional<Boolean> disabled) {
        this(url, name, expiresAt, trackingEnabled, dynamic, customAlias, forwardQuery, disabled, Optional.empty(), Optional.empty());
    }
}
