package dev.linkpulse.qr;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Json;
import dev.linkpulse.links.DestinationRules;
import dev.linkpulse.links.LinkService;
import dev.linkpulse.links.LinkUpdate;
import dev.linkpulse.links.NewShortUrl;
import dev.linkpulse.links.Redirects;
import dev.linkpulse.links.ShortUrl;
import dev.linkpulse.links.ShortUrlExtension;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QR codes of a workspace. A dynamic or tracked code gets a short URL of its own (made through
 * {@link LinkService}, so it is an ordinary link for redirects and analytics) and encodes it; a
 * static code encodes its content. Deleting a code deletes the link made for it.
 */
public final class QrService {

    private static final Logger LOG = LoggerFactory.getLogger(QrService.class);

    public static final String SOURCE = "QR_CODE_GENERATOR";

    /** What a create request asks for, validated. */
    public record NewQr(QrContent.Parsed content, QrStyle style, boolean dynamic, boolean tracked, Optional<String> name,
            Optional<Long> expiresAt) {}

    /** A partial update; empty = unchanged, inner empty = cleared. */
    public record QrUpdate(Optional<QrContent.Parsed> content, Optional<Optional<String>> name, Optional<Boolean> tracked,
            Optional<Optional<Long>> expiresAt) {}

    /** A code with what the QR object shows beside its row. */
    public record View(QrCode code, Optional<ShortUrl> link, long scans, Long lastScannedAt, boolean passwordProtected) {}

    private final QrStore store;
    private final ClickStore clicks;
    private final ShortUrlExtension linkFields;
    private final LinkService links;
    private final DestinationRules destinations;
    private final String baseUrl;
    private final Clock clock;

    public QrService(Jdbi jdbi, LinkService links, ClickStore clicks, String baseUrl, Clock clock) {
        this(jdbi, links, clicks, ShortUrlExtension.NONE, baseUrl, clock);
    }

    /**
     * @param linkFields the short URL fields other features own (smart links: {@code password}); a
     *     code's password is its short URL's, set and shown through them
     */
    public QrService(Jdbi jdbi, LinkService links, ClickStore clicks, ShortUrlExtension linkFields, String baseUrl, Clock clock) {
        this.linkFields = linkFields;
        this.store = new QrStore(jdbi);
        this.clicks = clicks;
        this.links = links;
        this.destinations = new DestinationRules(baseUrl);
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    public View create(String workspaceId, NewQr r) {
        return create(workspaceId, r, Optional.empty());
    }

    /** Creates a code; {@code password} (dynamic or tracked codes only: the caller checked) protects its short URL. */
    public View create(String workspaceId, NewQr r, Optional<String> password) {
        // Checked before anything is stored: a bad password is a 400 with nothing made.
        ShortUrlExtension.Change protect = password.map(QrService::passwordChange).map(b -> linkFields.parse(b, null))
                .orElse(ShortUrlExtension.Change.NONE);
        long now = clock.millis();
        String id = UUID.randomUUID().toString();
        String encoded = r.content().encoded();
        String linkId = null;
        ShortUrl made = null;
        if (r.dynamic() || r.tracked()) {
            String url = destination(r.content());
            ShortUrl link = links.create(workspaceId, new NewShortUrl(url, Optional.empty(),
                    Optional.of(r.name().orElse("QR code " + id.substring(0, 8))), r.expiresAt(), r.tracked(), r.dynamic(), true));
            made = link;
            linkId = link.id();
            encoded = scanUrl(link);
            try {
                protect.applyTo(link);
            } catch (RuntimeException e) {
                throw deleteMade(link, e);
            }
        }
        // Rendering once here refuses now, not at every download, content too long for the style
        // (then the short URL made for it goes too: nothing is left of a refused code).
        try {
            QrRenderer.encode(encoded, r.style());
        } catch (RuntimeException e) {
            throw made == null ? e : deleteMade(made, e);
        }
        QrCode code = new QrCode(id, workspaceId, r.name().orElse(null), r.content().type().wire, json(r.content().data()), encoded,
                r.style().foreground(), r.style().background(), r.style().size(), r.style().margin(), r.style().level().name(),
                r.style().logo().map(QrLogo::dataUrl).orElse(null), r.dynamic(), r.tracked(), linkId, SOURCE, r.expiresAt().orElse(null),
                now, now);
        try {
            store.insert(code);
        } catch (RuntimeException e) {
            throw made == null ? e : deleteMade(made, e);
        }
        return view(code);
    }

    public Optional<View> find(String workspaceId, String id) {
        if (!isUuid(id)) {
            return Optional.empty();
        }
        return store.find(workspaceId, id).map(this::view);
    }

    public View update(View current, QrUpdate change) {
        return update(current, change, Optional.empty());
    }

    /** Updates a code; {@code password} present sets (or, inner empty, removes) its short URL's password. */
    public View update(View current, QrUpdate change, Optional<Optional<String>> password) {
        ShortUrlExtension.Change protect = password.map(p -> linkFields.parse(passwordChange(p.orElse(null)),
                current.link().orElse(null))).orElse(ShortUrlExtension.Change.NONE);
        QrCode c = current.code();
        Optional<ShortUrl> link = current.link();
        String contentData = c.contentData();
        if (change.content().isPresent()) {
            if (!c.dynamic() || link.isEmpty()) {
                throw ApiException.validation("content_data", "content_data of a static code cannot change: it is printed in the code");
            }
            QrContent.Parsed parsed = change.content().get();
            if (!parsed.type().wire.equals(c.contentType())) {
                throw ApiException.validation("content_data", "content_data must stay of type " + c.contentType());
            }
            contentData = json(parsed.data());
        }
        if (change.tracked().isPresent() && link.isEmpty() && change.tracked().get()) {
            throw ApiException.validation("tracking_enabled", "a static code cannot become tracked: its content is printed in it");
        }
        if (link.isPresent() && (change.content().isPresent() || change.tracked().isPresent() || change.expiresAt().isPresent())) {
            Optional<String> url = change.content().map(this::destination);
            link = Optional.of(links.update(link.get(), new LinkUpdate(url, Optional.empty(), change.expiresAt(), change.tracked(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty())));
        }
        QrCode updated = new QrCode(c.id(), c.workspaceId(), change.name().map(n -> n.orElse(null)).orElse(c.name()), c.contentType(),
                contentData, c.content(), c.foreground(), c.background(), c.size(), c.margin(), c.errorLevel(), c.logo(), c.dynamic(),
                change.tracked().orElse(c.trackingEnabled()), c.shortUrlId(), c.source(),
                change.expiresAt().map(e -> e.orElse(null)).orElse(c.expiresAt()), c.createdAt(), clock.millis());
        store.update(updated);
        link.ifPresent(protect::applyTo);
        return view(updated);
    }

    public void delete(View v) {
        // The link first: should its deletion fail (a 503, to retry), the code is still there to be
        // deleted again, with its link this time, instead of leaving the link behind unowned.
        v.link().ifPresent(links::delete);
        store.delete(v.code().workspaceId(), v.code().id());
        clicks.deleteScanTotals(v.code().workspaceId(), v.code().id());
    }

    /**
     * Deletes the short URL made for a code that was then refused, and returns the refusal to throw:
     * a failure of the deletion (the store busy) is logged, and attached where the refusal keeps
     * suppressed exceptions ({@code ApiException} does not), but never thrown in its place.
     */
    private RuntimeException deleteMade(ShortUrl link, RuntimeException refusal) {
        try {
            links.delete(link);
        } catch (RuntimeException e) {
            refusal.addSuppressed(e);
            LOG.warn("Could not delete short URL {} made for a refused QR code: {}", link.id(), e.toString());
        }
        return refusal;
    }

    public record Page(List<View> items, long total) {}

    public Page list(String workspaceId, QrListQuery q) {
        QrStore.Page page = store.list(workspaceId, q);
        List<QrCode> items = page.items();
        Map<String, ClickStore.ScanTotals> scans =
                clicks.scanTotals(workspaceId, items.stream().filter(c -> c.shortUrlId() != null).map(QrCode::id).toList());
        return new Page(items.stream().map(c -> {
            ClickStore.ScanTotals s = scans.get(c.id());
            Optional<ShortUrl> link = c.shortUrlId() == null ? Optional.empty() : links.resolve(workspaceId, c.shortUrlId());
            return new View(c, link, human(s), s == null ? null : s.lastScannedAt(), isProtected(link));
        }).toList(), page.total());
    }

    /** The workspace's codes of these ids, by id (scans name theirs; a deleted code is absent). */
    public Map<String, QrCode> byIds(String workspaceId, java.util.Collection<String> ids) {
        Map<String, QrCode> out = new java.util.HashMap<>();
        store.findAll(workspaceId, ids.stream().filter(QrService::isUuid).distinct().toList()).forEach(c -> out.put(c.id(), c));
        return out;
    }

    /** The style a code was made with, at another size when asked. */
    public static QrStyle styleOf(QrCode c, Optional<Integer> size) {
        Optional<QrLogo> logo = Optional.ofNullable(c.logo()).map(l -> QrLogo.fromDataUrl("logoUrl", l));
        return new QrStyle(c.foreground(), c.background(), size.orElse(c.size()), c.margin(),
                com.google.zxing.qrcode.decoder.ErrorCorrectionLevel.valueOf(c.errorLevel()), logo);
    }

    private static long human(ClickStore.ScanTotals s) {
        return s == null ? 0 : s.human();
    }

    /** What a dynamic or tracked code encodes (issue 15): its short URL with the QR scan marker, stripped by the redirect. */
    public String scanUrl(ShortUrl link) {
        return shortUrl(link) + "?" + Redirects.QR_MARKER;
    }

    public String shortUrl(ShortUrl link) {
        return baseUrl + "/" + link.shortCode();
    }

    public String baseUrl() {
        return baseUrl;
    }

    private View view(QrCode c) {
        Optional<ShortUrl> link = c.shortUrlId() == null ? Optional.empty() : links.resolve(c.workspaceId(), c.shortUrlId());
        ClickStore.ScanTotals s = c.shortUrlId() == null ? null : clicks.scanTotals(c.workspaceId(), List.of(c.id())).get(c.id());
        return new View(c, link, human(s), s == null ? null : s.lastScannedAt(), isProtected(link));
    }

    private boolean isProtected(Optional<ShortUrl> link) {
        if (link.isEmpty()) {
            return false;
        }
        Map<String, Object> fields = new java.util.HashMap<>();
        linkFields.addFields(link.get(), fields);
        return Boolean.TRUE.equals(fields.get("is_password_protected"));
    }

    /** The short URL body that sets (or, null, removes) a password. */
    private static com.fasterxml.jackson.databind.JsonNode passwordChange(String password) {
        return Json.MAPPER.createObjectNode().put("password", password);
    }

    /** Where the short URL of a dynamic or tracked code sends a scanner: only URL content can be redirected to. */
    private String destination(QrContent.Parsed content) {
        if (content.type() != QrContent.Type.URL) {
            throw ApiException.validation("content_type", "dynamic or tracked codes need content_type url "
                    + "(a scan is a redirect); make a static code for " + content.type().wire);
        }
        try {
            return destinations.check(content.encoded());
        } catch (ApiException e) {
            throw ApiException.validation("content_data.url", e.getMessage().replaceFirst("^url", "content_data.url"));
        }
    }

    private static String json(Map<String, Object> data) {
        try {
            return Json.MAPPER.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isUuid(String s) {
        return s.length() == 36 && s.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }
}
