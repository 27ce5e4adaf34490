package dev.linkpulse.analytics;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickFilter;
import dev.linkpulse.clicks.ClickStore;
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
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /api/v1/analytics/click-stream[/{shortUrlId}]} (spec §4.10): Server-Sent Events, one
 * {@code click} event per stored click (the click-log record, {@code id:} the click id), a heartbeat
 * comment every 15 s, and replay from storage after {@code Last-Event-ID}.
 */
public final class ClickStreamApi implements Routes {

    static final long HEARTBEAT_MILLIS = 15_000;
    /** Open streams one API key may hold at once: each is a held connection and a store reader. */
    static final int MAX_STREAMS_PER_KEY = 10;
    /** Clicks are committed slightly out of time order; look back this far and skip what was sent. */
    static final long REORDER_WINDOW_MILLIS = 5_000;

    private final LinkService links;
    private final ClickStore clicks;
    private final ClickStream stream;
    private final Auth auth;
    private final Clock clock;
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> openByKey =
            new java.util.concurrent.ConcurrentHashMap<>();

    public ClickStreamApi(LinkService links, ClickStore clicks, ClickStream stream, Auth auth, Clock clock) {
        this.links = links;
        this.clicks = clicks;
        this.stream = stream;
        this.auth = auth;
        this.clock = clock;
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
        ClickFilter f = scope.filter();
        ClickFilter filter = f;
        String lastEventId = Optional.ofNullable(ctx.header("Last-Event-ID")).orElse(QueryParams.single(ctx, "last_event_id"));
        Optional<ClickStore.Position> resumeFrom = lastEventId == null || lastEventId.isBlank() ? Optional.empty()
                : Optional.of(clicks.positionOf(filter, lastEventId.strip()).orElseThrow(() -> ApiException.validation(
                        "Last-Event-ID", "Last-Event-ID names no click of this stream")));
        // Without a position to resume from, the stream starts with the clicks stored from now on.
        ClickStore.Position position = resumeFrom.orElseGet(() -> newest(filter)
                .orElse(new ClickStore.Position(clock.millis() - REORDER_WINDOW_MILLIS, "")));

        var open = openByKey.computeIfAbsent(key.id(), k -> new java.util.concurrent.atomic.AtomicInteger());
        if (open.incrementAndGet() > MAX_STREAMS_PER_KEY) {
            open.decrementAndGet();
            throw new ApiException(429, "RATE_LIMIT_EXCEEDED", "This API key already has " + MAX_STREAMS_PER_KEY
                    + " open click streams; close one first", Map.of("limit", MAX_STREAMS_PER_KEY, "remaining", 0));
        }
        try {
            stream(ctx, key, filter, codes, resumeFrom, position);
        } finally {
            open.decrementAndGet();
        }
    }

    private void stream(Context ctx, ApiKey key, ClickFilter filter, Map<String, String> codes,
            Optional<ClickStore.Position> resumeFrom, ClickStore.Position position) throws InterruptedException {
        ClickStream.Waiter waiter = stream.subscribe(key.workspaceId());
        ctx.status(200);
        ctx.res().setContentType("text/event-stream; charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-store");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        Sent sent = new Sent();
        if (resumeFrom.isEmpty()) {
            // Clicks already stored at subscription time are history, not news.
            clicks.page(filter, 1_000, 0, Optional.empty(), Optional.of(new ClickStore.Position(
                    position.clickedAt() - REORDER_WINDOW_MILLIS, ""))).forEach(c -> sent.add(c.id()));
        } else {
            sent.add(position.id());
        }
        try {
            OutputStream out = ctx.res().getOutputStream();
            out.write("retry: 3000\n: connected\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (true) {
                position = sendNewer(out, filter, position, sent, codes);
                boolean woken = waiter.await(HEARTBEAT_MILLIS);
                if (waiter.isClosed()) {
                    return;
                }
                if (!woken) {
                    out.write(": heartbeat\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } catch (IOException e) {
            // The subscriber went away.
        } finally {
            stream.unsubscribe(key.workspaceId(), waiter);
        }
    }

    private Optional<ClickStore.Position> newest(ClickFilter f) {
        List<Click> top = clicks.page(f, 1, 0, Optional.empty(), Optional.empty());
        return top.stream().findFirst().map(c -> new ClickStore.Position(c.clickedAt(), c.id()));
    }

    /** Sends every click newer than (position − reorder window) not sent yet, oldest first; returns the new position. */
    private ClickStore.Position sendNewer(OutputStream out, ClickFilter f, ClickStore.Position position, Sent sent,
            Map<String, String> codes) throws IOException {
        ClickStore.Position lookFrom = new ClickStore.Position(position.clickedAt() - REORDER_WINDOW_MILLIS, "");
        List<Click> fresh = new ArrayList<>(clicks.page(f, 5_000, 0, Optional.empty(), Optional.of(lookFrom)));
        java.util.Collections.reverse(fresh);
        List<String> unknown = fresh.stream().map(Click::linkId).filter(l -> !codes.containsKey(l)).distinct().toList();
        if (!unknown.isEmpty()) {
            codes.putAll(links.codesOf(unknown));
        }
        StringBuilder events = new StringBuilder();
        ClickStore.Position newest = position;
        for (Click c : fresh) {
            if (!sent.add(c.id())) {
                continue;
            }
            try {
                events.append("id: ").append(c.id()).append("\nevent: click\ndata: ")
                        .append(Json.MAPPER.writeValueAsString(ClickRecordView.of(c, codes.get(c.linkId())))).append("\n\n");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            if (c.clickedAt() > newest.clickedAt() || (c.clickedAt() == newest.clickedAt() && c.id().compareTo(newest.id()) > 0)) {
                newest = new ClickStore.Position(c.clickedAt(), c.id());
            }
        }
        if (!events.isEmpty()) {
            out.write(events.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        return newest;
    }

    /** The ids sent lately, bounded: enough to cover the reorder window. */
    private static final class Sent {
        private static final int MAX = 20_000;
        private final Set<String> ids = new HashSet<>();
        private final Deque<String> order = new ArrayDeque<>();

        boolean add(String id) {
            if (!ids.add(id)) {
                return false;
            }
            order.addLast(id);
            if (order.size() > MAX) {
                ids.remove(order.removeFirst());
            }
            return true;
        }
    }
}
