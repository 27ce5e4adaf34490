package dev.linkpulse.smartlinks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.linkpulse.links.DestinationRules;
import dev.linkpulse.links.LinkService;
import dev.linkpulse.links.ShortUrl;
import dev.linkpulse.links.ShortUrlExtension;
import dev.linkpulse.store.ChangeFeed;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Smart-link settings: change them, and find them for redirects. Settings are cached per link id in
 * every process; a change drops them here and, through the change feed, in the processes sharing
 * the store, and drops the link's cached redirect so its {@code smart} flag is read again.
 */
public final class SmartLinks {

    static final String CHANGED = "linkpulse_smart";

    private final SmartStore store;
    private final LinkService links;
    private final ChangeFeed changes;
    private final Clock clock;
    private final Cache<String, Optional<SmartSettings>> cache = Caffeine.newBuilder().maximumSize(100_000).build();
    final RulesInput rulesInput;
    private final LinkFields linkFields;

    public SmartLinks(Jdbi jdbi, LinkService links, ChangeFeed changes, String baseUrl, Clock clock) {
        this.rulesInput = new RulesInput(new DestinationRules(baseUrl));
        this.store = new SmartStore(jdbi, rulesInput);
        this.links = links;
        this.changes = changes;
        this.clock = clock;
        this.linkFields = new LinkFields(this, new DestinationRules(baseUrl));
        changes.subscribe(CHANGED, cache::invalidate, cache::invalidateAll);
        links.onDelete(id -> {
            store.delete(id);
            changed(id);
        });
    }

    long now() {
        return clock.millis();
    }

    /** The smart-link fields of the short URL object, for ShortUrlApi. */
    public ShortUrlExtension linkFields() {
        return linkFields;
    }

    /** The settings of a smart link, or null when it has none (any more). */
    SmartSettings settings(String linkId) {
        return cache.get(linkId, store::find).orElse(null);
    }

    /** The link's rules, empty when none. */
    public List<Rule> rules(ShortUrl link) {
        return store.find(link.id()).map(SmartSettings::rules).orElse(List.of());
    }

    public void putRules(ShortUrl link, List<Rule> rules) {
        store.putRules(link.id(), link.workspaceId(), rules, clock.millis());
        changed(link.id());
        links.smartChanged(link);
    }

    /** Sets or (with null) removes the click limit. */
    public void putLimit(ShortUrl link, Long maxClicks, String fallbackUrl) {
        store.putLimit(link.id(), link.workspaceId(), maxClicks, fallbackUrl, clock.millis());
        changed(link.id());
        links.smartChanged(link);
    }

    void putConversionTracking(ShortUrl link, boolean on) {
        store.putConversionTracking(link.id(), link.workspaceId(), on, clock.millis());
        changed(link.id());
        links.smartChanged(link);
    }

    /** After an A/B test started, paused or completed: the link's settings are read again. */
    void testChanged(ShortUrl link) {
        changed(link.id());
        links.smartChanged(link);
    }

    /** Sets (a BCrypt hash) or, with null, removes the link's password. */
    void putPassword(ShortUrl link, String hash) {
        store.putPassword(link.id(), link.workspaceId(), hash, clock.millis());
        changed(link.id());
        links.smartChanged(link);
    }

    /** Takes a human click from the limit: true when the click may go to the destination. */
    boolean consume(SmartSettings s) {
        if (s.exhausted().get()) {
            return false;
        }
        if (store.consume(s.linkId())) {
            return true;
        }
        s.exhausted().set(true);
        return false;
    }

    /** Returns a click taken by {@link #consume} whose redirect never reached the visitor. */
    void giveBack(SmartSettings s) {
        try {
            store.giveBack(s.linkId());
            // Every process reloads the settings: a cached "used up" flag, here or in a process that saw
            // the link full, would otherwise refuse the unit given back.
            changed(s.linkId());
        } catch (RuntimeException e) {
            // The store is away: the limit keeps the unit, as when the redirect was answered before.
            org.slf4j.LoggerFactory.getLogger(SmartLinks.class).warn("Could not give back an undelivered click of link {}: {}", s.linkId(), e.toString());
        }
    }

    private void changed(String linkId) {
        cache.invalidate(linkId);
        changes.publish(CHANGED, linkId);
    }

}
