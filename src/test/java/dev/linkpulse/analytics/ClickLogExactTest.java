package dev.linkpulse.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code since_id} and cursor paging under concurrent inserts, late-stored clicks (an old
 * clicked_at, stored now) and replays included: no walk skips or repeats a click.
 */
class ClickLogExactTest {

    static final long DAY = 86_400_000L;

    static TestServer server;
    static Database db;
    static ClickStore store;
    static String ws;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        db = server.openStore();
        store = new ClickStore(db.jdbi(), db.dialect());
    }

    @AfterAll
    static void stop() {
        db.close();
        server.close();
    }

    static String link(String alias) {
        String id = server.createLink(Map.of("url", "https://example.com/" + alias, "custom_alias", alias)).get("id").asText();
        ws = TestServer.workspaceOf(db, id);
        return id;
    }

    static Click click(ClickIds ids, String link, long at, int n) {
        return new Click(ids.next(at).toString(), link, ws, at, "https://example.com/x", null, "agent", null, null, "direct",
                n % 2 == 0 ? "DE" : "FR", null, null, "desktop", "Firefox", "Linux",
                n % 4 == 0 ? TrafficClass.BOT : TrafficClass.HUMAN, "v" + (n % 40), new Utm(null, null, null, null, null));
    }

    static JsonNode get(String path) {
        Http.Response r = server.http().get(path, server.admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("data");
    }

    static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("data").forEach(c -> out.add(c.get("id").asText()));
        return out;
    }

    @Test
    void pollingWithSinceIdGetsEveryClickStoredAfterItExactlyOnceLateAndReplayedOnesIncluded() throws Exception {
        String link = link("poll");
        ClickIds ids = new ClickIds();
        long now = System.currentTimeMillis();
        List<Click> first = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            first.add(click(ids, link, now - 10_000 + i, i));
        }
        store.insert(first);
        String pivot = first.get(first.size() - 1).id(); // the last one stored

        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                List<Click> previous = List.of();
                for (int b = 0; b < 30; b++) {
                    long t = System.currentTimeMillis();
                    List<Click> batch = new ArrayList<>();
                    for (int i = 0; i < 150; i++) {
                        // Every third batch is late: clicks of days ago, stored only now.
                        batch.add(click(ids, link, b % 3 == 2 ? t - 3 * DAY + i * 1_000L : t + i, i));
                    }
                    store.insert(batch);
                    if (b % 5 == 4) {
                        store.insert(previous); // a replay: stored once already, it must not come again
                    }
                    previous = batch;
                    Thread.sleep(15);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });

        List<String> polled = new ArrayList<>();
        String since = pivot;
        int polls = 0;
        while (true) {
            boolean writing = writer.isAlive();
            // One poll: the newest stored first, walked down with the cursor to the previous poll's top.
            JsonNode page = get("/api/v1/analytics/click-details/poll?limit=70&since_id=" + since);
            List<String> got = new ArrayList<>(ids(page));
            String top = got.isEmpty() ? since : got.get(0);
            while (!page.get("pagination").get("next_cursor").isNull()) {
                page = get("/api/v1/analytics/click-details/poll?limit=70&since_id=" + since + "&cursor="
                        + page.get("pagination").get("next_cursor").asText());
                got.addAll(ids(page));
            }
            polled.addAll(got);
            since = top;
            polls++;
            if (!writing && got.isEmpty()) {
                break;
            }
        }
        writer.join();
        assertThat(failure.get()).isNull();
        assertThat(polls).isGreaterThan(2);
        long pivotSeq = store.seqOf(dev.linkpulse.clicks.ClickFilter.of(ws), pivot).orElseThrow();
        List<String> expected = db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM clicks WHERE link_id = :l AND seq > :s")
                .bind("l", link).bind("s", pivotSeq).mapTo(String.class).list());
        assertThat(expected).hasSize(30 * 150);
        assertThat(polled).doesNotHaveDuplicates();
        assertThat(new HashSet<>(polled)).isEqualTo(new HashSet<>(expected));
        // The answer to since_id counts what it pages.
        JsonNode all = get("/api/v1/analytics/click-details/poll?limit=1000&since_id=" + pivot);
        assertThat(all.get("pagination").get("total").asLong()).isEqualTo(expected.size());
    }

    @Test
    void aCursorWalkNeverSkipsOrRepeatsWhileNewAndLateClicksAreStored() throws InterruptedException {
        String link = link("walk");
        ClickIds ids = new ClickIds();
        Random r = new Random(13);
        long now = System.currentTimeMillis();
        List<Click> before = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            before.add(click(ids, link, now - 10 * DAY + (long) (r.nextDouble() * 10 * DAY), i));
        }
        before.sort(Comparator.comparingLong(Click::clickedAt)); // stored in time order, as a live log would be
        store.insert(before);
        Set<String> existing = new HashSet<>(before.stream().map(Click::id).toList());

        Set<String> insertedDuring = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Set<String> mustBeSeen = new HashSet<>(existing);
        List<String> seen = new ArrayList<>();
        // Meanwhile another thread stores new and late clicks while pages are being read. A late click
        // it stored before a page was asked for, below where that page starts, must be met.
        record Late(long storedNanos, long clickedAt, String id) {}
        record PageStart(long askedNanos, long cursorAt) {}
        List<Late> lateMeanwhile = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<PageStart> pageStarts = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean walking = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicReference<Throwable> writerFailed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                ClickIds writerIds = new ClickIds();
                Random wr = new Random(29);
                while (walking.get()) {
                    List<Click> batch = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        batch.add(click(writerIds, link, System.currentTimeMillis(), i));
                        batch.add(click(writerIds, link, now - 10 * DAY + (long) (wr.nextDouble() * 10 * DAY), i));
                    }
                    store.insert(batch);
                    long stored = System.nanoTime();
                    batch.forEach(c -> insertedDuring.add(c.id()));
                    for (int i = 1; i < batch.size(); i += 2) {
                        lateMeanwhile.add(new Late(stored, batch.get(i).clickedAt(), batch.get(i).id()));
                    }
                    try {
                        Thread.sleep(3);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            } catch (Throwable e) {
                writerFailed.set(e);
            }
        });
        int pages = 0;
        try {
            JsonNode page = get("/api/v1/analytics/click-details/walk?limit=100");
            while (true) {
                List<JsonNode> rows = new ArrayList<>();
                page.get("data").forEach(rows::add);
                rows.forEach(c -> seen.add(c.get("id").asText()));
                JsonNode next = page.get("pagination").get("next_cursor");
                if (next.isNull()) {
                    break;
                }
                // Between pages: new clicks at the top, and late clicks anywhere in the ten days, stored
                // in one batch (and one replayed). A late click below the walk's position must be met.
                JsonNode lastRow = rows.get(rows.size() - 1);
                long cursorAt = java.time.Instant.parse(lastRow.get("clicked_at").asText()).toEpochMilli();
                List<Click> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    batch.add(click(ids, link, System.currentTimeMillis(), i));
                    Click late = click(ids, link, now - 10 * DAY + (long) (r.nextDouble() * 10 * DAY), i);
                    batch.add(late);
                    if (late.clickedAt() < cursorAt) {
                        mustBeSeen.add(late.id());
                    }
                }
                store.insert(batch);
                store.insert(batch.subList(0, 5));
                batch.forEach(c -> insertedDuring.add(c.id()));
                pageStarts.add(new PageStart(System.nanoTime(), cursorAt));
                page = get("/api/v1/analytics/click-details/walk?limit=100&cursor=" + next.asText());
                pages++;
            }
        } finally {
            walking.set(false);
            writer.join();
        }
        assertThat(writerFailed.get()).as("the writer thread's failure").isNull();
        int metMeanwhile = 0;
        for (Late late : lateMeanwhile) {
            if (pageStarts.stream().anyMatch(start -> start.askedNanos() > late.storedNanos() && late.clickedAt() < start.cursorAt())) {
                mustBeSeen.add(late.id());
                metMeanwhile++;
            }
        }
        assertThat(metMeanwhile).as("late clicks stored by the other thread that the walk had to meet").isPositive();
        assertThat(pages).isGreaterThan(25);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsAll(mustBeSeen);
        Set<String> allowed = new HashSet<>(existing);
        allowed.addAll(insertedDuring);
        assertThat(allowed).containsAll(seen);
        assertThat(mustBeSeen.size()).isGreaterThan(existing.size());
    }

    @Test
    void aSinceIdCursorAndATimeCursorAreNotInterchangeable() {
        String link = link("kinds");
        ClickIds ids = new ClickIds();
        List<Click> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(click(ids, link, System.currentTimeMillis() - 1_000 + i, i));
        }
        store.insert(batch);
        String since = batch.get(0).id();
        String seqCursor = get("/api/v1/analytics/click-details/kinds?limit=2&since_id=" + since)
                .get("pagination").get("next_cursor").asText();
        String timeCursor = get("/api/v1/analytics/click-details/kinds?limit=2").get("pagination").get("next_cursor").asText();
        for (String q : List.of("?cursor=" + seqCursor, "?since_id=" + since + "&cursor=" + timeCursor)) {
            Http.Response r = server.http().get("/api/v1/analytics/click-details/kinds" + q, server.admin());
            assertThat(r.status()).as(q).isEqualTo(400);
            assertThat(r.json().get("error").get("details").get("field").asText()).isEqualTo("cursor");
        }
    }
}
