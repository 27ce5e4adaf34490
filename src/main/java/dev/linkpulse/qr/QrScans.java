package dev.linkpulse.qr;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickEnricher;
import dev.linkpulse.clicks.ClickEvent;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Names the QR code of a scan (issue 15), on the enricher's thread, off the redirect path: the
 * redirect only says a request carried the QR marker; this finds which code owns the link. A
 * tracked code owns the short URL made for it and that never changes, so the answer (also "none",
 * for a marker on any other link, which then stays a plain click) is cached for good. Codes of
 * other workspaces never match: the lookup is by link and workspace.
 */
public final class QrScans implements ClickEnricher {

    /** Links remembered; past this the cache starts over (one lookup per link again, no unbounded growth). */
    private static final int MAX_CACHED = 100_000;

    private final ClickEnricher enricher;
    private final Jdbi jdbi;
    private final Map<String, Optional<String>> codeOfLink = new ConcurrentHashMap<>();

    public QrScans(ClickEnricher enricher, Jdbi jdbi) {
        this.enricher = enricher;
        this.jdbi = jdbi;
    }

    @Override
    public ClickEvent identify(ClickEvent event) {
        return enricher.identify(event);
    }

    @Override
    public Click enrich(ClickEvent event) {
        Click c = enricher.enrich(event);
        if (!event.qrScan()) {
            return c;
        }
        return codeOf(event.linkId(), event.workspaceId()).map(c::withQrCode).orElse(c);
    }

    Optional<String> codeOf(String linkId, String workspaceId) {
        Optional<String> known = codeOfLink.get(linkId);
        if (known != null) {
            return known;
        }
        Optional<String> found = jdbi.withHandle(h -> h.createQuery(
                        "SELECT id FROM qr_codes WHERE short_url_id = :link AND workspace_id = :ws ORDER BY created_at LIMIT 1")
                .bind("link", linkId).bind("ws", workspaceId).mapTo(String.class).findOne());
        if (codeOfLink.size() >= MAX_CACHED) {
            codeOfLink.clear();
        }
        codeOfLink.put(linkId, found);
        return found;
    }
}
