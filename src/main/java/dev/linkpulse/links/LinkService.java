package dev.linkpulse.links;

import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.common.RandomCodes;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.store.ChangeFeed;
import dev.linkpulse.store.SqlErrors;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Short links: create, find, list, change and delete them, and find them for redirects. */
public final class LinkService {

    private static final Logger LOG = LoggerFactory.getLogger(LinkService.class);

    static final int GENERATED_CODE_LENGTH = 7;
    private static final int GENERATION_ATTEMPTS = 10;
    private static final int BATCH = 500;
    /** About 100 MB of heap when full (docs/PERFORMANCE.md); beyond it links are loaded again as asked for. */
    private static final int MAX_CACHED_LINKS = 1_000_000;
    private static final int MAX_CACHED_ABSENT_CODES = 100_000;
    private static final Pattern UUID_SHAPE =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final Jdbi jdbi;
    private final LinkStore store;
    private final ClickStore clicks;
    private final LinkCache cache;
    private final ChangeFeed changes;
    private final Clock clock;
    private final CampaignDirectory campaigns;
    private final LinkDomains domains;

    /** The channel on which processes sharing a store announce changed short codes. */
    static final String CHANGED_CODES = "linkpulse_links";
    /** A payload that no short code can be: every code may have changed. */
    private static final String ALL_CODES = "*";

    /** How long a deletion waits for its turn (see {@link #delete}): as long as one may wait for the watermark row. */
    static final Duration DELETION_TURN_WAIT = Duration.ofSeconds(15);
    private final ReentrantLock deletions = new ReentrantLock(true);

    /** How many deletions wait for their turn now. */
    int deletionsWaiting() {
        return deletions.getQueueLength();
    }

    private final List<Consumer<String>> deleteListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ShortUrl>> createListeners = new CopyOnWriteArrayList<>();

    public LinkService(Jdbi jdbi, ClickStore clicks, ChangeFeed changes, Clock clock) {
        this(jdbi, clicks, changes, clock, CampaignDirectory.NONE);
    }

    public LinkService(Jdbi jdbi, ClickStore clicks, ChangeFeed changes, Clock clock, CampaignDirectory campaigns) {
        this(jdbi, clicks, changes, clock, campaigns, LinkDomains.NONE);
    }

    public LinkService(Jdbi jdbi, ClickStore clicks, ChangeFeed changes, Clock clock, CampaignDirectory campaigns,
            LinkDomains domains) {
        this.campaigns = campaigns;
        this.domains = domains;
        this.jdbi = jdbi;
        this.store = new LinkStore(jdbi);
        this.clicks = clicks;
        this.cache = new LinkCache(MAX_CACHED_LINKS, MAX_CACHED_ABSENT_CODES, store::findByKey);
        this.changes = changes;
        this.clock = clock;
        changes.subscribe(CHANGED_CODES,
                code -> {
                    if (code.equals(ALL_CODES)) {
                        cache.invalidateAll();
                    } else {
                        cache.invalidate(code);
                    }
                },
                cache::invalidateAll);
    }

    /** Drops a cache key ({@link ShortUrl#cacheKey}) from this process's cache and tells the other processes to do the same. */
    private void changed(String code) {
        cache.invalidate(code);
        changes.publish(CHANGED_CODES, code);
    }

    public ShortUrl create(String workspaceId, NewShortUrl request) {
        long now = clock.millis();
        String campaignId = request.campaign().map(c -> campaignIdOf(workspaceId, c, "campaign_id")).orElse(null);
        checkDomain(workspaceId, request);
        if (request.customAlias().isPresent()) {
            String alias = request.customAlias().get();
            ShortUrl link = newLink(workspaceId, alias, true, request, now, campaignId);
            if (ReservedPaths.isReserved(alias) || !insertWithTags(link, request.tags())) {
                throw aliasTaken(alias);
            }
            changed(link.cacheKey());
            return created(link);
        }
        for (int attempt = 0; attempt < GENERATION_ATTEMPTS; attempt++) {
            String code = RandomCodes.base62(GENERATED_CODE_LENGTH);
            ShortUrl link = newLink(workspaceId, code, false, request, now, campaignId);
            if (!ReservedPaths.isReserved(code) && insertWithTags(link, request.tags())) {
                changed(link.cacheKey());
                return created(link);
            }
        }
        throw new IllegalStateException("no free short code after " + GENERATION_ATTEMPTS + " attempts");
    }

    /**
     * Creates many links, {@value #BATCH} to a transaction. An entry is empty when its alias was
     * taken in the meantime; the others are created all the same.
     */
    public List<Optional<ShortUrl>> createAll(String workspaceId, List<NewShortUrl> requests) {
        List<Optional<ShortUrl>> out = new ArrayList<>(requests.size());
        for (int from = 0; from < requests.size(); from += BATCH) {
            List<NewShortUrl> batch = requests.subList(from, Math.min(requests.size(), from + BATCH));
            long now = clock.millis();
            out.addAll(jdbi.inTransaction(h -> {
                List<Optional<ShortUrl>> created = new ArrayList<>(batch.size());
                for (NewShortUrl r : batch) {
                    created.add(insertOne(h, workspaceId, r, now));
                }
                return created;
            }));
        }
        // Only negative cache entries can refer to new codes; past a few, one "drop everything" is cheaper.
        List<String> codes = out.stream().flatMap(Optional::stream).map(ShortUrl::cacheKey).toList();
        if (codes.size() > 100) {
            cache.invalidateAll();
            changes.publish(CHANGED_CODES, ALL_CODES);
        } else {
            codes.forEach(this::changed);
        }
        out.stream().flatMap(Optional::stream).forEach(this::created);
        return out;
    }

    private Optional<ShortUrl> insertOne(Handle h, String workspaceId, NewShortUrl r, long now) {
        if (!domainAllowed(workspaceId, r)) {
            return Optional.empty(); // checked by BulkImport.check; removed since
        }
        // Bulk rows name campaigns checked by BulkImport.check; one deleted since is left out, not an error.
        String campaignId = r.campaign().flatMap(c -> campaigns.idOf(workspaceId, c)).orElse(null);
        if (r.customAlias().isPresent()) {
            String alias = r.customAlias().get();
            ShortUrl link = newLink(workspaceId, alias, true, r, now, campaignId);
            if (!ReservedPaths.isReserved(alias) && store.insert(h, link)) {
                store.replaceTags(h, link.id(), workspaceId, r.tags());
                return Optional.of(link);
            }
            return Optional.empty();
        }
        for (int attempt = 0; attempt < GENERATION_ATTEMPTS; attempt++) {
            String code = RandomCodes.base62(GENERATED_CODE_LENGTH);
            ShortUrl link = newLink(workspaceId, code, false, r, now, campaignId);
            if (!ReservedPaths.isReserved(code) && store.insert(h, link)) {
                store.replaceTags(h, link.id(), workspaceId, r.tags());
                return Optional.of(link);
            }
        }
        throw new IllegalStateException("no free short code after " + GENERATION_ATTEMPTS + " attempts");
    }

    /** A 400 naming the field when the link's subdomain or branded domain is not the workspace's to use. */
    public void checkDomain(String workspaceId, NewShortUrl r) {
        if (!domainAllowed(workspaceId, r)) {
            throw r.urlType().equals(ShortUrl.SUBDOMAIN)
                    ? ApiException.validation("subdomain", "subdomain must be one of your subdomains (POST /api/v1/domains/subdomains)")
                    : ApiException.validation("branded_domain", "branded_domain must be one of your verified branded domains");
        }
    }

    private boolean domainAllowed(String workspaceId, NewShortUrl r) {
        return switch (r.urlType()) {
            case ShortUrl.SUBDOMAIN -> domains.hasSubdomain(workspaceId, r.domain());
            case ShortUrl.BRANDED -> domains.hasVerifiedBranded(workspaceId, r.domain());
            default -> true;
        };
    }

    private boolean insertWithTags(ShortUrl link, List<String> tags) {
        if (tags.isEmpty()) {
            return store.insert(link);
        }
        return jdbi.inTransaction(h -> {
            if (!store.insert(h, link)) {
                return false;
            }
            store.replaceTags(h, link.id(), link.workspaceId(), tags);
            return true;
        });
    }

    private static ShortUrl newLink(String workspaceId, String code, boolean alias, NewShortUrl r, long now, String campaignId) {
        return new ShortUrl(UUID.randomUUID().toString(), workspaceId, code, alias, r.url(), r.name().orElse(null),
                r.trackingEnabled(), r.dynamic(), r.forwardQuery(), false, campaignId, r.expiresAt().orElse(null), now, now,
                r.urlType(), r.domain());
    }

    // --- campaigns and tags (issue 16) ---

    /** The id of the workspace's campaign named by {@code idOrName}; a 400 naming {@code field} when there is none. */
    public String campaignIdOf(String workspaceId, String idOrName, String field) {
        return campaigns.idOf(workspaceId, idOrName).orElseThrow(() ->
                ApiException.validation(field, "no campaign with this id or name: " + field + " must name one of your campaigns"));
    }

    /** Tags of these links; a link without tags maps to an empty list. */
    public Map<String, List<String>> tagsOf(Collection<String> linkIds) {
        return store.tagsOf(linkIds);
    }

    /** Every tag of the workspace with how many links carry it, most used first. */
    public List<Map.Entry<String, Long>> tagCounts(String workspaceId) {
        return store.tagCounts(workspaceId);
    }

    /**
     * Ids of the workspace's links in the campaign named (id or name; a 400 naming {@code campaignField}
     * when none) and carrying any of {@code tags} (when some are given).
     */
    public List<String> idsMatching(String workspaceId, Optional<String> campaign, String campaignField, List<String> tags) {
        Optional<String> campaignId = campaign.map(c -> campaignIdOf(workspaceId, c, campaignField));
        return store.idsMatching(workspaceId, campaignId, tags);
    }

    /** Links and human clicks of each campaign (ids of the workspace's campaigns); absent ones have none. */
    public Map<String, long[]> campaignTotals(String workspaceId, Collection<String> campaignIds) {
        return store.campaignTotals(workspaceId, campaignIds);
    }

    /** Puts the link into the campaign (by id, already resolved in its workspace), or out of any with null. */
    public ShortUrl assignCampaign(ShortUrl link, String campaignId) {
        ShortUrl updated = new ShortUrl(link.id(), link.workspaceId(), link.shortCode(), link.customAlias(), link.originalUrl(),
                link.name(), link.trackingEnabled(), link.dynamic(), link.forwardQuery(), link.disabled(), campaignId,
                link.expiresAt(), link.createdAt(), clock.millis(), link.urlType(), link.domain());
        store.update(updated);
        return updated;
    }

    /** Takes every link out of a campaign being deleted, in the caller's transaction (the links stay). */
    public void unassignCampaign(Handle h, String workspaceId, String campaignId) {
        store.unassignCampaign(h, workspaceId, campaignId, clock.millis());
    }

    static ApiException aliasTaken(String alias) {
        return new ApiException(409, "ALIAS_TAKEN", "The alias '" + alias + "' is already in use or reserved",
                Map.of("field", "custom_alias"));
    }

    /**
     * The workspace's link named by {@code idOrCode}: a UUID-shaped value is looked up as an id
     * first, then as a short code (a custom alias is the short code). Other workspaces' links are
     * never found.
     */
    public Optional<ShortUrl> resolve(String workspaceId, String idOrCode) {
        if (UUID_SHAPE.matcher(idOrCode).matches()) {
            Optional<ShortUrl> byId = store.findById(workspaceId, idOrCode.toLowerCase(Locale.ROOT));
            if (byId.isPresent()) {
                return byId;
            }
        }
        return store.findByCode(workspaceId, idOrCode);
    }

    /** Whether a custom alias could be given to a new link on the standard domain now. */
    public boolean isAliasAvailable(String alias) {
        return isAliasAvailable("", alias);
    }

    /** Whether a custom alias could be given to a new link on a domain ('' for the standard one) now. */
    public boolean isAliasAvailable(String domain, String alias) {
        return !ReservedPaths.isReserved(alias) && store.findOnDomain(domain, alias).isEmpty();
    }

    /** True once any subdomain or branded domain exists (see {@link LinkDomains#isEmpty}). */
    boolean hostMatters() {
        return !domains.isEmpty();
    }

    /** The domain a request's host resolves codes in (see {@link LinkDomains#domainOfHost}). */
    String domainOfHost(String host) {
        return domains.domainOfHost(host);
    }

    /** How many of the workspace's links are on a domain. */
    public int countOnDomain(String workspaceId, String domain) {
        return store.idsOnDomain(workspaceId, domain).size();
    }

    /** Deletes every link of the workspace on a domain, with their clicks (a domain deleted with force). */
    public int deleteOnDomain(String workspaceId, String domain) {
        int n = 0;
        for (String id : store.idsOnDomain(workspaceId, domain)) {
            Optional<ShortUrl> link = store.findById(workspaceId, id);
            if (link.isPresent()) {
                delete(link.get());
                n++;
            }
        }
        return n;
    }

    /** One page of the workspace's links with their human clicks, and the number matching. */
    public LinkStore.PageOf<LinkStore.Counted> list(String workspaceId, LinkListQuery query) {
        LinkListQuery q = query.campaign().isPresent()
                ? query.inCampaign(campaignIdOf(workspaceId, query.campaign().get(), query.campaignField()))
                : query;
        return store.list(workspaceId, q, clock.millis());
    }

    /** Applies a partial update. A new alias frees the old code at once; a taken one is 409. */
    public ShortUrl update(ShortUrl current, LinkUpdate change) {
        String code = change.customAlias().orElse(current.shortCode());
        boolean renamed = !code.equals(current.shortCode());
        if (renamed && ReservedPaths.isReserved(code)) {
            throw aliasTaken(code);
        }
        ShortUrl updated = new ShortUrl(current.id(), current.workspaceId(), code,
                renamed || current.customAlias(),
                change.url().orElse(current.originalUrl()),
                change.name().isPresent() ? change.name().get().orElse(null) : current.name(),
                change.trackingEnabled().orElse(current.trackingEnabled()),
                change.dynamic().orElse(current.dynamic()),
                change.forwardQuery().orElse(current.forwardQuery()),
                change.disabled().orElse(current.disabled()),
                change.campaign().isPresent()
                        ? change.campaign().get().map(c -> campaignIdOf(current.workspaceId(), c, "campaign_id")).orElse(null)
                        : current.campaignId(),
                change.expiresAt().isPresent() ? change.expiresAt().get().orElse(null) : current.expiresAt(),
                current.createdAt(),
                clock.millis(),
                current.urlType(),
                current.domain(),
                current.smart());
        try {
            store.update(updated);
            if (change.tags().isPresent()) {
                jdbi.useTransaction(h -> store.replaceTags(h, current.id(), current.workspaceId(), change.tags().get()));
            }
        } catch (JdbiException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                throw aliasTaken(code);
            }
            throw e;
        }
        changed(current.cacheKey());
        if (renamed) {
            changed(updated.cacheKey());
        }
        return updated;
    }

    /**
     * Deletes the link and every click of it in one transaction; its code is free at once. Deletions
     * of this process take turns before they take a connection: each waits in the store for the
     * rollups' watermark row (on PostgreSQL up to 15 s behind a rollup step's write), where they take
     * turns anyway, and while waiting there each held a connection of the shared pool, so a burst of
     * them left none for other requests. A deletion that does not get its turn within
     * {@link #DELETION_TURN_WAIT} is answered as the store's other lock waits are: 503, retry later.
     */
    public void delete(ShortUrl link) {
        boolean turn;
        try {
            turn = deletions.tryLock(DELETION_TURN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping: no turn either
            turn = false;
        }
        if (!turn) {
            LOG.warn("Deleting link {}: no turn ({} more deletions waiting); answered 503", link.id(), deletions.getQueueLength());
            throw new ApiException(503, "SERVICE_UNAVAILABLE", "Other deletions are waiting for the store; retry later", null);
        }
        try {
            jdbi.useTransaction(h -> {
                clicks.deleteAllOf(h, link.id(), link.workspaceId());
                store.delete(h, link.id());
            });
        } finally {
            deletions.unlock();
        }
        changed(link.cacheKey());
        deleteListeners.forEach(l -> l.accept(link.id()));
    }

    private ShortUrl created(ShortUrl link) {
        createListeners.forEach(l -> l.accept(link));
        return link;
    }

    /** {@code listener} hears every link created through this service (after the commit). */
    public void onCreate(Consumer<ShortUrl> listener) {
        createListeners.add(listener);
    }

    /** {@code listener} hears the id of every link deleted through this service (after the commit). */
    public void onDelete(Consumer<String> listener) {
        deleteListeners.add(listener);
    }

    /** A link with its click counters, for "recent" lists. */
    public record Recent(ShortUrl link, long humanClicks, long storedClicks, long allClicks, Long lastClickedAt) {}

    /** The workspace's links, most recently clicked first. */
    public List<Recent> recentlyClicked(String workspaceId, int limit) {
        return store.recentlyClicked(workspaceId, limit);
    }

    /**
     * Forgets the cached redirect of a link whose smart-link settings (issue 17) changed, here and in
     * the processes sharing the store.
     */
    public void smartChanged(ShortUrl link) {
        changed(link.shortCode());
    }

    /** The enabled link of {@code code} as a redirect needs it, or null when there is none. */
    RedirectTarget forRedirect(String code) {
        return cache.get(code);
    }

    /** The same for a code on a subdomain or branded domain ('' is the standard domain). */
    RedirectTarget forRedirect(String domain, String code) {
        return cache.get(ShortUrl.cacheKey(domain, code));
    }

    /** Current short codes of the given link ids. */
    public Map<String, String> codesOf(Collection<String> linkIds) {
        return store.codesOf(linkIds);
    }
}
