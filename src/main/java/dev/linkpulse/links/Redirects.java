package dev.linkpulse.links;

import dev.linkpulse.clicks.ClickEvent;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.ingest.ClickRecorder;
import dev.linkpulse.clicks.Utm;
import dev.linkpulse.http.ClientIp;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * What a request for {@code /{code}} gets (spec §2), and the click it records: shared by the
 * Jetty fast path and the Javalin route, so both answer alike.
 */
public final class Redirects {

    private static final int MAX_CODE_LENGTH = 64;

    /** A redirect to send: the link, 301 or 302, the destination with any forwarded query, and whether it is a QR scan. */
    record Redirect(RedirectTarget link, int status, String location, boolean qrScan) {}

    /**
     * What a tracked QR code's URL carries after its short URL (issue 15): {@code /{code}?_qr}. The
     * redirect strips it before forwarding any query, so the destination never sees it, and records
     * the click as a scan (the enricher finds the code owning the link; on any other link it is
     * ignored). Only a query that starts with it is looked at: a plain request pays a null check.
     */
    public static final String QR_MARKER = "_qr";

    /** True when the raw query starts with the QR scan marker ({@code _qr} alone or followed by {@code &}). */
    public static boolean hasQrMarker(String rawQuery) {
        return rawQuery != null && rawQuery.startsWith(QR_MARKER)
                && (rawQuery.length() == QR_MARKER.length() || rawQuery.charAt(QR_MARKER.length()) == '&');
    }

    /** The raw query without a leading QR scan marker (null when nothing else was in it). */
    public static String withoutQrMarker(String rawQuery) {
        if (!hasQrMarker(rawQuery)) {
            return rawQuery;
        }
        return rawQuery.length() == QR_MARKER.length() ? null : rawQuery.substring(QR_MARKER.length() + 1);
    }

    private final LinkService links;
    private final ClickRecorder recorder;
    private final ClientIp clientIp;
    private final Clock clock;
    private final ClickIds clickIds = new ClickIds();

    /** The statuses a short-link request is answered with; the last three only by password-protected smart links. */
    public static final java.util.List<Integer> STATUSES = java.util.List.of(301, 302, 404, 410, 200, 401, 429);

    // Answers by status (issue 18, metrics): one add on the path, read by the metrics registry when scraped.
    private final java.util.concurrent.atomic.LongAdder[] answers = new java.util.concurrent.atomic.LongAdder[STATUSES.size()];

    {
        for (int i = 0; i < answers.length; i++) {
            answers[i] = new java.util.concurrent.atomic.LongAdder();
        }
    }

    public void counted(int status) {
        int i = switch (status) {
            case 301 -> 0;
            case 302 -> 1;
            case 410 -> 3;
            case 200 -> 4;
            case 401 -> 5;
            case 429 -> 6;
            default -> 2;
        };
        answers[i].increment();
    }

    /** Answers to short-link requests with this status (one of {@link #STATUSES}) since start. */
    public long answered(int status) {
        int i = STATUSES.indexOf(status);
        return i < 0 ? 0 : answers[i].sum();
    }

    public Redirects(LinkService links, ClickRecorder recorder, ClientIp clientIp, Clock clock) {
        this.links = links;
        this.recorder = recorder;
        this.clientIp = clientIp;
        this.clock = clock;
    }

    long now() {
        return clock.millis();
    }

    // --- smart links (issue 17): links whose cached form says smart() are answered by smartlinks ---
    private volatile SmartRedirects smart;

    public void smartLinks(SmartRedirects smartRedirects) {
        this.smart = smartRedirects;
    }

    /**
     * Answers a smart link's request through smartlinks, counted by status like a plain redirect;
     * null when there is no smartlinks to ask (then the plain path answers).
     */
    SmartRedirects.Answer answerSmart(Redirect r, SmartRedirects.Visitor visitor, long now) {
        SmartRedirects s = smart;
        if (s == null) {
            return null;
        }
        RedirectTarget l = r.link();
        SmartRedirects.Answer answer = s.answer(new SmartRedirects.Target(l.id(), l.workspaceId(), l.code(), l.destination(),
                l.dynamic(), l.trackingEnabled(), l.forwardQuery()), visitor, now);
        counted(answer.status());
        return answer;
    }

    /** The enabled, unexpired smart link of {@code code}, or null (a password form's POST names its link so). */
    public SmartRedirects.Target smartTarget(String host, String code, long now) {
        RedirectTarget l = active(hostMatters() ? host : null, code);
        if (l == null || l.isExpiredAt(now) || !l.smart()) {
            return null;
        }
        return new SmartRedirects.Target(l.id(), l.workspaceId(), l.code(), l.destination(), l.dynamic(),
                l.trackingEnabled(), l.forwardQuery());
    }

    /** A new click id for a smart link's click, known before its redirect is sent (conversion tracking). */
    public String newClickId(long now) {
        return clickIds.next(now).toString();
    }

    /**
     * Records a smart link's click with the destination it got, the targeting rule and the A/B variant
     * that chose it (or null), and whether it was a QR scan (its marker already stripped from {@code rawQuery}).
     */
    public void recordSmart(SmartRedirects.Target link, String clickId, String location, Integer matchedRule, String variantId,
            long now,
            String peer, String xForwardedFor, String forwarded, String userAgent, String referer, String rawQuery, boolean qrScan) {
        if (!link.trackingEnabled()) {
            return;
        }
        String ip = clientIp.resolve(peer, xForwardedFor, forwarded);
        recorder.offer(new ClickEvent(clickId, now, link.id(), link.workspaceId(), location, ip,
                cut(userAgent, ClickEvent.MAX_USER_AGENT), cut(referer, ClickEvent.MAX_REFERRER), utmOf(rawQuery), null,
                matchedRule, variantId, qrScan));
    }

    /** The client IP of a request as the click records it (trusted proxies honoured). */
    public String clientIp(String peer, String xForwardedFor, String forwarded) {
        return clientIp.resolve(peer, xForwardedFor, forwarded);
    }

    /** The destination with the request's query appended, as a plain redirect would send it. */
    public static String destinationWithQuery(String destination, String rawQuery) {
        return rawQuery == null || rawQuery.isEmpty() ? destination : withQuery(destination, rawQuery);
    }
    // --- end smart links ---

    /** True once any subdomain or branded domain exists: until then every Host is the standard domain. */
    boolean hostMatters() {
        return links.hostMatters();
    }

    /**
     * The redirect for {@code code} within the request's host (issue 16; no I/O beyond a cache miss): a registered subdomain's
     * or branded domain's links there, the standard domain's for any other host (or null).
     */
    Optional<Redirect> find(String host, String code, String rawQuery, long now) {
        RedirectTarget link = active(host, code);
        if (link == null || link.isExpiredAt(now)) {
            return Optional.empty();
        }
        boolean qrScan = rawQuery != null && hasQrMarker(rawQuery);
        String query = !link.forwardQuery() ? null : qrScan ? withoutQrMarker(rawQuery) : rawQuery;
        String location = query == null || query.isEmpty() ? link.destination() : withQuery(link.destination(), query);
        return Optional.of(new Redirect(link, link.dynamic() ? 302 : 301, location, qrScan));
    }

    /** True when {@code code} names a link (within the request's host) that has expired (410 rather than 404). */
    boolean isExpired(String host, String code, long now) {
        RedirectTarget link = active(host, code);
        return link != null && link.isExpiredAt(now);
    }

    /** The enabled link of a code, or null; reserved paths and malformed codes never reach the cache. */
    private RedirectTarget active(String host, String code) {
        if (!isCodeShaped(code) || ReservedPaths.isReserved(code)) {
            return null;
        }
        String domain = host == null ? "" : links.domainOfHost(host);
        return domain.isEmpty() ? links.forRedirect(code) : links.forRedirect(domain, code);
    }

    /** Hands the click to the recorder (never waits). Headers are raw request values, possibly null. */
    void record(Redirect r, long now, String peer, String xForwardedFor, String forwarded, String userAgent, String referer,
            String rawQuery) {
        if (!r.link().trackingEnabled()) {
            return;
        }
        String ip = clientIp.resolve(peer, xForwardedFor, forwarded);
        Utm utm = utmOf(rawQuery);
        recorder.offer(new ClickEvent(clickIds.next(now).toString(), now, r.link().id(), r.link().workspaceId(), r.location(),
                ip, cut(userAgent, ClickEvent.MAX_USER_AGENT), cut(referer, ClickEvent.MAX_REFERRER), utm, null, null, null,
                r.qrScan()));
    }

    private static Utm utmOf(String rawQuery) {
        return rawQuery == null || rawQuery.isEmpty() || !rawQuery.contains("utm_") ? Utm.NONE : new Utm(
                param(rawQuery, "utm_source"), param(rawQuery, "utm_medium"), param(rawQuery, "utm_campaign"),
                param(rawQuery, "utm_term"), param(rawQuery, "utm_content"));
    }

    /** The first value of a query parameter, decoded and cut; null when absent or undecodable. */
    static String param(String rawQuery, String name) {
        int from = 0;
        while (from <= rawQuery.length()) {
            int amp = rawQuery.indexOf('&', from);
            int end = amp < 0 ? rawQuery.length() : amp;
            if (rawQuery.startsWith(name, from) && from + name.length() < end && rawQuery.charAt(from + name.length()) == '=') {
                try {
                    return cut(URLDecoder.decode(rawQuery.substring(from + name.length() + 1, end), StandardCharsets.UTF_8),
                            ClickEvent.MAX_UTM);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
            if (amp < 0) {
                return null;
            }
            from = amp + 1;
        }
        return null;
    }

    /** Appends the request's query to the destination's own, before any fragment. */
    static String withQuery(String destination, String query) {
        int hash = destination.indexOf('#');
        String base = hash < 0 ? destination : destination.substring(0, hash);
        String fragment = hash < 0 ? "" : destination.substring(hash);
        char joiner = base.indexOf('?') < 0 ? '?' : (base.endsWith("?") || base.endsWith("&") ? 0 : '&');
        return joiner == 0 ? base + query + fragment : base + joiner + query + fragment;
    }

    static boolean isCodeShaped(String code) {
        if (code.isEmpty() || code.length() > MAX_CODE_LENGTH) {
            return false;
        }
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The value without control characters, cut to {@code max} characters and to {@code max} bytes of
     * UTF-8: a stored value must also fit the rollups' index entries (PostgreSQL refuses one of more
     * than about 2,700 bytes), and 2,048 characters of non-ASCII text can take 6,000.
     */
    static String cut(String value, int max) {
        if (value == null) {
            return null;
        }
        String s = value.length() > max ? value.substring(0, max) : value;
        boolean ascii = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                // Control characters never reach the log: they have no meaning in these fields.
                StringBuilder out = new StringBuilder(s.length());
                s.chars().filter(d -> d >= 0x20 && d != 0x7f).forEach(d -> out.append((char) d));
                return cut(out.toString(), max);
            }
            ascii &= c < 0x80;
        }
        return ascii ? s : cutToUtf8Bytes(s, max);
    }

    private static String cutToUtf8Bytes(String s, int maxBytes) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int width = c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isHighSurrogate(c) ? 4 : 3;
            if (bytes + width > maxBytes) {
                return s.substring(0, i);
            }
            bytes += width;
            if (width == 4) {
                i++; // the low surrogate: both chars make one 4-byte character
            }
        }
        return s;
    }
}
