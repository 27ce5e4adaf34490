package dev.linkpulse.clicks.ingest;

import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickEnricher;
import dev.linkpulse.clicks.ClickEvent;
import dev.linkpulse.clicks.log.ClickStore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.config.Setting;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.LogCapture;
import dev.linkpulse.support.TestServer;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Error in the enricher (the kind nothing in the recorder expects) neither ends the pipeline nor
 * loses the click: it is retried with backoff and shown as failing; one that never goes away is
 * isolated to its click, which is stored unenriched, while the rest go on. The store is real; the
 * enricher is this test's, so that it can fail that way. And a fault the real enricher meets, a
 * geolocation database cut short under the running server, costs clicks their location only.
 */
class RecorderHealthTest {

    private static final ClickRecorder.Settings SETTINGS =
            new ClickRecorder.Settings(100, 10, Duration.ofMillis(20), Duration.ofSeconds(2));

    @Test
    void anErrorInTheEnricherIsRetriedAndShownUntilItGoesAway(@TempDir Path dir) {
        try (TestServer server = TestServer.start(); Database db = server.openStore()) {
            String[] link = link(server, db);
            AtomicBoolean broken = new AtomicBoolean(true);
            ClickEnricher enricher = event -> {
                if (broken.get()) {
                    throw new StackOverflowError("an error the recorder does not expect");
                }
                return Click.unenriched(event);
            };
            try (LogCapture logs = LogCapture.start();
                    ClickRecorder recorder = new ClickRecorder(enricher, new ClickStore(db.jdbi(), db.dialect()),
                            new ClickJournal(dir.resolve("journal")), SETTINGS)) {
                ClickEvent event = event(link[0], link[1], "any");
                assertThat(recorder.offer(event)).isTrue();
                TestServer.await(Duration.ofSeconds(10), () -> recorder.stats().enricherFailing());
                ClickRecorder.Stats failing = recorder.stats();
                assertThat(failing.storageFailing()).as("no pipeline thread ended").isFalse();
                assertThat(failing.stored()).isZero();
                assertThat(failing.queued() + failing.journaled()).as("the click is still held").isPositive();
                assertThat(logs.mostAttemptsLogged("clicks failed with an error")).as("logged at the first failure").isEqualTo(1);
                assertThat(logs.text()).contains("StackOverflowError: an error the recorder does not expect");

                broken.set(false); // a transient error (a full heap, say) that passed
                TestServer.await(Duration.ofSeconds(10), () -> recorder.stats().stored() == 1);
                assertThat(recorder.stats().enricherFailing()).isFalse();
                assertThat(storedHash(db, event.id())).as("enriched normally once it worked").isEqualTo(event.id());
            }
        }
    }

    @Test
    void aClickThatAlwaysBreaksTheEnricherIsStoredUnenrichedAndTheRestGoOn(@TempDir Path dir) {
        try (TestServer server = TestServer.start(); Database db = server.openStore()) {
            String[] link = link(server, db);
            List<Long> badTries = new CopyOnWriteArrayList<>();
            ClickEnricher enricher = event -> {
                if ("fails".equals(event.userAgent())) {
                    badTries.add(System.nanoTime());
                    throw new StackOverflowError("an error this click always causes");
                }
                Click c = Click.unenriched(event);
                return new Click(c.id(), c.linkId(), c.workspaceId(), c.clickedAt(), c.destination(), null, c.userAgent(),
                        c.referrer(), null, "direct", null, null, null, "desktop", null, null, TrafficClass.HUMAN, "enriched", c.utm());
            };
            try (ClickRecorder recorder = new ClickRecorder(enricher, new ClickStore(db.jdbi(), db.dialect()),
                    new ClickJournal(dir.resolve("journal")), SETTINGS)) {
                ClickEvent before = event(link[0], link[1], "fine");
                ClickEvent bad = event(link[0], link[1], "fails");
                ClickEvent after = event(link[0], link[1], "fine");
                recorder.offer(before);
                recorder.offer(bad);
                recorder.offer(after);
                TestServer.await(Duration.ofSeconds(30), () -> recorder.stats().stored() == 3);
                assertThat(storedHash(db, before.id())).isEqualTo("enriched");
                assertThat(storedHash(db, after.id())).isEqualTo("enriched");
                assertThat(storedHash(db, bad.id())).as("stored unenriched: its own id as visitor").isEqualTo(bad.id());
                // Its batch was tried ENRICH_TRIES times, then the click alone once more. Between the
                // tries the recorder waited 50, 100, 200, 400 and 800 ms: 1,550 ms at least.
                assertThat(badTries).hasSize(ClickRecorder.ENRICH_TRIES + 1);
                assertThat(TimeUnit.NANOSECONDS.toMillis(badTries.getLast() - badTries.getFirst()))
                        .as("ms from the first try to the last: retried with waits that double").isGreaterThanOrEqualTo(1_500);
                assertThat(recorder.stats().enricherFailing()).isFalse();
                assertThat(recorder.stats().storageFailing()).isFalse();
            }
        }
    }

    /**
     * The geolocation database is memory-mapped: a file cut short under the running server (an
     * update copied over it in place, say) makes each lookup fault with an {@link InternalError}.
     * Clicks go on being stored, without a location, health says geolocation is failing, and once
     * the file is whole again clicks are located again and health clears (10 s after the last fault).
     */
    @Test
    void aGeolocationDatabaseCutShortUnderTheServerShowsOnHealthAndLosesNoClick(@TempDir Path dir) throws Exception {
        Path geo = dir.resolve("city.mmdb");
        byte[] whole = Files.readAllBytes(TestServer.CITY_DB);
        Files.write(geo, whole);
        try (TestServer server = TestServer.start(Map.of(Setting.GEO_DB, geo.toString()))) {
            String code = server.createLink(Map.of("url", "https://example.com/geo")).get("short_code").asText();
            assertThat(server.http().get("/" + code, "X-Forwarded-For", "81.2.69.142").status()).isEqualTo(301);
            server.awaitClicks(code, 1);

            try (RandomAccessFile file = new RandomAccessFile(geo.toFile(), "rw")) {
                file.setLength(0);
            }
            // Addresses not looked up before (the reader caches what it found): each needs the file.
            String[] fresh = {"89.160.20.112", "89.160.20.128", "2.125.160.216", "175.16.199.0"};
            for (String ip : fresh) {
                assertThat(server.http().get("/" + code, "X-Forwarded-For", ip).status()).isEqualTo(301);
            }
            TestServer.await(Duration.ofSeconds(5), () -> {
                JsonNode h = server.http().get("/health").json();
                return h.get("geolocation_failing").asBoolean() && h.get("status").asText().equals("degraded");
            });
            server.awaitClicks(code, 1 + fresh.length);
            assertThat(server.http().get("/health").json().get("storage_failing").asBoolean()).as("no pipeline thread ended").isFalse();
            server.clickLog(null, "?limit=" + fresh.length).get("data")
                    .forEach(c -> assertThat(c.get("country").isNull()).as("stored without a location").isTrue());

            Files.write(geo, whole); // the mapped pages are backed by the file again
            assertThat(server.http().get("/" + code, "X-Forwarded-For", "216.160.83.56").status()).isEqualTo(301);
            server.awaitClicks(code, 2 + fresh.length);
            // The flag holds for 10 s after the last fault (a half-written file faults on some lookups only).
            TestServer.await(Duration.ofSeconds(20), () -> server.http().get("/health").json().get("status").asText().equals("ok"));
            assertThat(server.http().get("/health").json().get("geolocation_failing").asBoolean()).isFalse();
            assertThat(server.clickLog(null, "?limit=1").get("data").get(0).get("country").asText()).isEqualTo("US");
        }
    }

    private static String[] link(TestServer server, Database db) {
        String linkId = server.createLink(Map.of("url", "https://example.com/health")).get("id").asText();
        String workspaceId = TestServer.workspaceOf(db, linkId);
        return new String[] {linkId, workspaceId};
    }

    private static String storedHash(Database db, String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT visitor_hash FROM clicks WHERE id = :id")
                .bind("id", id).mapTo(String.class).one());
    }

    private static ClickEvent event(String linkId, String workspaceId, String userAgent) {
        long now = System.currentTimeMillis();
        return new ClickEvent(new ClickIds().next(now).toString(), now, linkId, workspaceId, "https://example.com/health",
                "81.2.69.142", userAgent, null, Utm.NONE);
    }
}
