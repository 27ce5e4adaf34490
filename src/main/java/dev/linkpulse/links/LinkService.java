package dev.linkpulse.links;

import dev.linkpulse.common.RandomCodes;
import dev.linkpulse.http.ApiException;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/** Short links: creating them, finding them for their workspace, and finding them for redirects. */
public final class LinkService {

    static final int GENERATED_CODE_LENGTH = 7;
    private static final int GENERATION_ATTEMPTS = 10;
    private static final Pattern UUID_SHAPE =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final LinkStore store;
    private final LinkCache cache;
    private final Clock clock;

    public LinkService(Jdbi jdbi, Clock clock) {
        this.store = new LinkStore(jdbi);
        this.cache = new LinkCache(1_000_000, store::findByCode);
        this.clock = clock;
    }

    public ShortUrl create(String workspaceId, NewShortUrl request) {
        long now = clock.millis();
        if (request.customAlias().isPresent()) {
            String alias = request.customAlias().get();
            if (ReservedPaths.isReserved(alias) || !store.insert(newLink(workspaceId, alias, true, request, now))) {
                throw new ApiException(409, "ALIAS_TAKEN", "The alias '" + alias + "' is already in use or reserved",
                        Map.of("field", "custom_alias"));
            }
            cache.invalidate(alias);
            return inserted(workspaceId, alias, now);
        }
        for (int attempt = 0; attempt < GENERATION_ATTEMPTS; attempt++) {
            String code = RandomCodes.base62(GENERATED_CODE_LENGTH);
            if (!ReservedPaths.isReserved(code) && store.insert(newLink(workspaceId, code, false, request, now))) {
                cache.invalidate(code);
                return inserted(workspaceId, code, now);
            }
        }
        throw new IllegalStateException("no free short code after " + GENERATION_ATTEMPTS + " attempts");
    }

    private ShortUrl inserted(String workspaceId, String code, long now) {
        return store.findInWorkspace(workspaceId, "short_code", code)
                .orElseThrow(() -> new IllegalStateException("link " + code + " vanished after insert at " + now));
    }

    private static ShortUrl newLink(String workspaceId, String code, boolean alias, NewShortUrl r, long now) {
        return new ShortUrl(UUID.randomUUID().toString(), workspaceId, code, alias, r.url(), r.name().orElse(null),
                r.trackingEnabled(), r.dynamic(), r.forwardQuery(), false, null, r.expiresAt().orElse(null), now, now);
    }

    /**
     * The workspace's link named by {@code idOrCode}: a UUID-shaped value is looked up as an id
     * first, then as a short code (a custom alias is the short code). Other workspaces' links are
     * never found.
     */
    public Optional<ShortUrl> resolve(String workspaceId, String idOrCode) {
        if (UUID_SHAPE.matcher(idOrCode).matches()) {
            Optional<ShortUrl> byId = store.findInWorkspace(workspaceId, "id", idOrCode.toLowerCase(java.util.Locale.ROOT));
            if (byId.isPresent()) {
                return byId;
            }
        }
        return store.findInWorkspace(workspaceId, "short_code", idOrCode);
    }

    /** The link a redirect for {@code code} goes to, from the cache. */
    public Optional<ShortUrl> forRedirect(String code) {
        return cache.get(code);
    }

    /** Current short codes of the given link ids. */
    public Map<String, String> codesOf(Collection<String> linkIds) {
        return store.codesOf(linkIds);
    }
}
