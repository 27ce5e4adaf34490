package dev.linkpulse.analytics;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickFilter;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.Json;
import dev.linkpulse.http.QueryParams;
import dev.linkpulse.http.Routes;
import dev.linkpulse.keys.ApiKey;
import dev.linkpulse.keys.Permission;
import dev.linkpulse.links.LinkService;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/v1/analytics/click-stream[/{shortUrlId}]} (spec §4.10): Server-Sent Events, one
 * {@code click} event per stored click (the click-log record, {@code id:} the click id), a heartbeat
 * comment every 15 s, and replay from storage after {@code Last-Event-ID}. Events follow storage
 * order (the clicks' sequence numbers), not clicked_at: a click stored late, long after it happened,
 * is still sent once, after the clicks stored before it, and a resume continues from the named
 * click's place in that order.
 */
public final class ClickStreamApi implements Routes {

    static final long HEARTBEAT_MILLIS = 15_000;
    /** Open streams one API key may hold at once: each is a held connection and a store reader. */
    static final int MAX_STREAMS_PER_KEY = 10;
    /** How often a stream reads the store without being woken. */
    static final long POLL_MILLIS = 1_000;
    /** Clicks read from the store at once. */
    static final int PAGE = 2_000;

    private final LinkService links;
    private final ClickStore clicks;
    private final ClickStream stream;
    private final Auth auth;
    private final String baseUrl;
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> openByKey =
            new java.util.concurrent.ConcurrentHashMap<>();

    public ClickStreamApi(LinkService links, ClickStore clicks, ClickStream stream, Auth auth, String baseUrl) {
        this.baseUrl = baseUrl;
        this.links = links;
        this.clicks = clicks;
        this.stream = stream;
        this.auth = auth;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/api/v1/analytics/click-stream", auth.require(Permission.ANALYTICS, this::serve));
        routes.get("/api/v1/analytics/click-stream/{shortUrlId}", auth.require(Permission.ANALYTICS, this::serve));
    }

    private void serve(Context ctx, ApiKey key) throws InterruptedException {
        Scope scope = Scope.of(ctx, key, links, Optional.empty());
        Map<String, String> codes = new HashMap<>();
        scope.link().ifPresent(l -> codes.put(l.id(), l.shortCode()));
        ClickFilter filter = scope.filter();
        String lastEventId = Optional.ofNullable(ctx.header("Last-Event-ID")).orElse(QueryParams.single(ctx, "last_event_id"));
        // The event id stays the click id (spec 4.10); the stream continues from that click's place
        // in storage order. Without one, it starts with the clicks stored from now on.
        long position = lastEventId == null || lastEventId.isBlank() ? clicks.lastSeq()
                : clicks.seqOf(filter, lastEventId.strip()).orElseThrow(() -> ApiException.validation(
                        "Last-Event-ID", "Last-Event-ID names no click of this stream"));

        var open = openByKey.computeIfAbsent(key.id(), k -> new java.util.concurrent.atomic.AtomicInteger());
        if (open.incrementAndGet() > MAX_STREAMS_PER_KEY) {
            open.decrementAndGet();
            throw new ApiException(429, "RATE_LIMIT_EXCEEDED", "This API key already has " + MAX_STREAMS_PER_KEY
                    + " open click streams; close one first", Map.of("limit", MAX_STREAMS_PER_KEY, "remaining", 0));
        }
        try {
            stream(ctx, key, filter, codes, position);
        } finally {
            open.decrementAndGet();
        }
    }

    private void stream(Context ctx, ApiKey key, ClickFilter filter, Map<String, String> codes, long position)
            throws InterruptedException {
        ClickStream.Waiter waiter = stream.subscribe(key.workspaceId());
        ctx.status(200);
        ctx.res().setContentType("text/event-stream; charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-store");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        try {
            OutputStream out = ctx.res().getOutputStream();
            out.write("retry: 3000\n: connected\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            long lastWrite = System.nanoTime();
            while (true) {
                Batch batch = sendStoredAfter(out, filter, position, codes);
                position = batch.position();
                if (batch.sent() > 0) {
                    lastWrite = System.nanoTime();
                }
                if (batch.full()) {
                    continue; // a backlog: read on at once
                }
                // Woken when this process stores clicks or the change feed says another did; a wake-up
                // can still be missed (a writer without the feed), so the store is read every second too.
                waiter.await(POLL_MILLIS);
                if (waiter.isClosed()) {
                    return;
                }
                if (System.nanoTime() - lastWrite >= HEARTBEAT_MILLIS * 1_000_000) {
                    out.write(": heartbeat\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    lastWrite = System.nanoTime();
                }
            }
        } catch (IOException e) {
            // The subscriber went away.
        } finally {
            stream.unsubscribe(key.workspaceId(), waiter);
        }
    }

    /** What one read of the store sent: how many events, where the stream now stands, and whether more may wait. */
    private record Batch(int sent, long position, boolean full) {}

    /**
     * Sends every matching click stored after {@code position}, in storage order, up to a page.
     * The position moves on to the last number committed before the read even when none of those
     * clicks matched, so a quiet link in a busy workspace does not re-read the same rows.
     */
    private Batch sendStoredAfter(OutputStream out, ClickFilter f, long position, Map<String, String> codes) throws IOException {
        long upTo = clicks.lastSeq(); // every click numbered up to here is committed and visible
        if (upTo <= position) {
            return new Batch(0, position, false);
        }
        List<ClickStore.Stored> fresh = clicks.storedAfter(f, position, upTo, PAGE);
        List<String> unknown = fresh.stream().map(s -> s.click().linkId()).filter(l -> !codes.containsKey(l)).distinct().toList();
        if (!unknown.isEmpty()) {
            codes.putAll(links.codesOf(unknown));
        }
        StringBuilder events = new StringBuilder();
        java.util.Set<String> unique = fresh.isEmpty() ? java.util.Set.of()
                : clicks.firstOfDay(fresh.stream().map(ClickStore.Stored::click).toList());
        for (ClickStore.Stored s : fresh) {
            Click c = s.click();
            String code = codes.get(c.linkId());
            try {
                events.append("id: ").append(c.id()).append("\nevent: click\ndata: ")
                        .append(Json.MAPPER.writeValueAsString(ClickRecordView.of(c, code, ClickDetailsApi.shortUrl(baseUrl, code),
                                unique.contains(c.id())))).append("\n\n");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        if (!events.isEmpty()) {
            out.write(events.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        boolean full = fresh.size() == PAGE;
        long next = full ? fresh.get(fresh.size() - 1).seq() : upTo;
        return new Batch(fresh.size(), next, full);
    }
}
