package dev.linkpulse.clicks.rollups;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickEvent;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;
import dev.linkpulse.clicks.log.ClickStore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.store.Database;
import dev.linkpulse.support.TestServer;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rollup step behind the watermark, with real stores: several workers on one store (as several
 * processes would run) count every click exactly once, and a worker whose steps fail says so and
 * catches up once the store lets it.
 */
class RollupWorkerTest {

    @Test
    void severalWorkersOnOneStoreCountEveryClickOnce() throws Exception {
        try (TestServer server = TestServer.start(); Database db = server.openStore()) {
            String linkId = server.createLink(Map.of("url", "https://example.com/workers")).get("id").asText();
            String workspaceId = TestServer.workspaceOf(db, linkId);
            ClickStore store = new ClickStore(db.jdbi(), db.dialect());
            int batches = 20;
            int perBatch = 500;
            // The server runs a worker of its own too: three take turns on the watermark.
            try (RollupWorker first = new RollupWorker(new RollupStep(db.jdbi(), db.dialect()));
                    RollupWorker second = new RollupWorker(new RollupStep(db.jdbi(), db.dialect()))) {
                ClickIds ids = new ClickIds();
                long now = System.currentTimeMillis();
                for (int b = 0; b < batches; b++) {
                    List<Click> batch = new ArrayList<>();
                    for (int i = 0; i < perBatch; i++) {
                        // Two clicks per visitor, in different batches half the time.
                        String visitor = "visitor-" + (b * perBatch + i) / 2;
                        String id = ids.next(now).toString();
                        batch.add(new Click(id, linkId, workspaceId, now, "https://example.com/workers", null, "agent", null, null,
                                "direct", "GB", null, null, "desktop", null, null, TrafficClass.HUMAN, visitor, Utm.NONE));
                    }
                    store.insert(batch);
                    first.wake();
                    second.wake();
                }
                RollupStep step = new RollupStep(db.jdbi(), db.dialect());
                TestServer.await(Duration.ofSeconds(30), () -> step.lag() == 0);
            }
            long[] totals = db.jdbi().withHandle(h -> h.createQuery(
                            "SELECT SUM(clicks), SUM(visitors), SUM(returning_visitors) FROM day_totals WHERE scope_id = :link")
                    .bind("link", linkId)
                    .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).one());
            assertThat(totals).containsExactly(batches * perBatch, batches * perBatch / 2, batches * perBatch / 2);
            long gbClicks = db.jdbi().withHandle(h -> h.createQuery(
                            "SELECT SUM(clicks) FROM day_stats WHERE scope_id = :ws AND dimension = 'country' AND value = 'GB'")
                    .bind("ws", workspaceId).mapTo(Long.class).one());
            assertThat(gbClicks).isEqualTo(batches * perBatch);
        }
    }

    @Test
    void aFailingStepIsReportedAndTheWorkerCatchesUpAfterwards() throws Exception {
        // The server's own worker meets the lock. One worker only: on PostgreSQL a second one would
        // queue behind the first for the watermark row and fail a full lock wait (15 s) later.
        try (TestServer server = TestServer.start(); Database db = server.openStore()) {
            String linkId = server.createLink(Map.of("url", "https://example.com/failing")).get("id").asText();
            String workspaceId = TestServer.workspaceOf(db, linkId);
            RollupStep step = new RollupStep(db.jdbi(), db.dialect());
            ClickStore store = new ClickStore(db.jdbi(), db.dialect());
            Connection lock = null;
            try {
                // On SQLite the lock is the store's one write lock, so the click goes in first; the
                // worker may count it before the lock is taken, then another click is needed.
                int inserted = 0;
                for (int attempt = 0; attempt < 20 && (lock == null || step.lag() == 0); attempt++) {
                    if (lock != null) {
                        lock.rollback();
                        lock.close();
                    }
                    long now = System.currentTimeMillis();
                    store.insert(List.of(Click.unenriched(new ClickEvent(new ClickIds().next(now).toString(), now, linkId,
                            workspaceId, "https://example.com/failing", null, "agent", null, Utm.NONE))));
                    inserted++;
                    lock = server.lockRollups();
                }
                assertThat(step.lag()).isPositive();
                // On PostgreSQL a step waits for the watermark row up to 15 s (another process's step may be writing).
                TestServer.await(Duration.ofSeconds(30), () -> server.http().get("/health").json().get("rollups_failing").asBoolean());
                assertThat(step.lag()).isPositive();
                assertThat(server.http().get("/health").json().get("status").asText()).isEqualTo("degraded");
                assertThat(server.http().get("/health").json().get("clicks_not_counted").asLong()).isPositive();
                // Questions meanwhile wait for the rollups briefly, then read raw rows: answered and
                // exact, never a 500 or 503 from the step they cannot run.
                var answer = server.http().get("/api/v1/analytics/analytics/" + linkId, server.admin());
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.json().get("data").get("total_clicks").asLong()).isEqualTo(inserted);
            } finally {
                if (lock != null) {
                    lock.rollback();
                    lock.close();
                }
            }
            TestServer.await(Duration.ofSeconds(20), () -> {
                var health = server.http().get("/health").json();
                return !health.get("rollups_failing").asBoolean() && health.get("clicks_not_counted").asLong() == 0;
            });
            assertThat(step.lag()).isZero();
        }
    }

    @Test
    void aClickThatFailsEveryStepIsLeftOutAndTheRestAreCounted() throws Exception {
        try (TestServer server = TestServer.start(); Database db = server.openStore()) {
            String linkId = server.createLink(Map.of("url", "https://example.com/poison")).get("id").asText();
            String workspaceId = TestServer.workspaceOf(db, linkId);
            // A trigger spoils one click as it is stored, in the same transaction: its traffic class
            // is one the counting code cannot read, so every step that reaches it fails the same way.
            db.jdbi().useHandle(h -> {
                if (TestServer.onPostgres()) {
                    h.execute("""
                            CREATE FUNCTION spoil_click() RETURNS trigger AS $$
                            BEGIN IF NEW.referrer = 'poison' THEN NEW.traffic_class := 'martian'; END IF; RETURN NEW; END
                            $$ LANGUAGE plpgsql""");
                    h.execute("CREATE TRIGGER spoil_click BEFORE INSERT ON clicks FOR EACH ROW EXECUTE FUNCTION spoil_click()");
                } else {
                    h.execute("CREATE TRIGGER spoil_click AFTER INSERT ON clicks WHEN NEW.referrer = 'poison' "
                            + "BEGIN UPDATE clicks SET traffic_class = 'martian' WHERE id = NEW.id; END");
                }
            });
            ClickStore store = new ClickStore(db.jdbi(), db.dialect());
            ClickIds ids = new ClickIds();
            long now = System.currentTimeMillis();
            List<Click> batch = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                batch.add(new Click(ids.next(now).toString(), linkId, workspaceId, now, "https://example.com/poison", null, "agent",
                        i == 17 ? "poison" : null, null, "direct", "GB", null, null, "desktop", null, null, TrafficClass.HUMAN,
                        "visitor-" + i, Utm.NONE));
            }
            store.insert(batch);
            // The server's own worker finds the click, leaves it out, and counts the 39 others.
            TestServer.await(Duration.ofSeconds(30), () -> server.http().get("/health").json().get("clicks_not_counted").asLong() == 0);
            var health = server.http().get("/health").json();
            assertThat(health.get("clicks_left_out_of_rollups").asLong()).isEqualTo(1);
            assertThat(health.get("rollups_failing").asBoolean()).isFalse();
            long counted = db.jdbi().withHandle(h -> h.createQuery("SELECT SUM(clicks) FROM day_totals WHERE scope_id = :link")
                    .bind("link", linkId).mapTo(Long.class).one());
            assertThat(counted).isEqualTo(39);
        }
    }

    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "linkpulse.test.store", matches = "postgresql",
            disabledReason = "on SQLite the watermark row's lock is the store's one write lock, which a step holds only briefly")
    void aLinkDeletionAndAnotherStepWaitForALongRollupStepInsteadOfFailing() throws Exception {
        try (TestServer server = TestServer.start(); Database db = server.openStore()) {
            String linkId = server.createLink(Map.of("url", "https://example.com/long-step")).get("id").asText();
            String other = server.createLink(Map.of("url", "https://example.com/stays")).get("id").asText();
            String workspaceId = TestServer.workspaceOf(db, linkId);
            ClickStore store = new ClickStore(db.jdbi(), db.dialect());
            ClickIds ids = new ClickIds();
            long now = System.currentTimeMillis();
            List<Click> batch = new ArrayList<>();
            for (String link : List.of(linkId, linkId, other)) {
                batch.add(new Click(ids.next(now).toString(), link, workspaceId, now, "https://example.com/x", null, "agent", null, null,
                        "direct", "GB", null, null, "desktop", null, null, TrafficClass.HUMAN, "visitor-" + batch.size(), Utm.NONE));
            }
            store.insert(batch);
            RollupStep step = new RollupStep(db.jdbi(), db.dialect());
            TestServer.await(Duration.ofSeconds(20), () -> step.lag() == 0);

            // A step writing for 4 s holds the watermark row (a slow server; 50,000-click steps took about 3 s here).
            java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
            Thread longStep = Thread.ofPlatform().start(() -> db.jdbi().useTransaction(h -> {
                h.createUpdate("UPDATE rollup_watermark SET watermark = watermark WHERE id = 1").execute();
                held.countDown();
                for (long until = System.nanoTime() + Duration.ofSeconds(4).toNanos(); System.nanoTime() < until; ) {
                    java.util.concurrent.locks.LockSupport.parkNanos(until - System.nanoTime());
                }
            }));
            assertThat(held.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            // Meanwhile a click is stored and a step of another process would count it: it waits too.
            store.insert(List.of(new Click(ids.next(now).toString(), other, workspaceId, now, "https://example.com/x", null, "agent", null,
                    null, "direct", "GB", null, null, "desktop", null, null, TrafficClass.HUMAN, "visitor-late", Utm.NONE)));
            java.util.concurrent.CompletableFuture<RollupStep.Progress> otherStep = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> new RollupStep(db.jdbi(), db.dialect()).run(5_000));
            long started = System.nanoTime();
            dev.linkpulse.support.Http.Response deleted = server.http().send("DELETE", "/api/v1/short-urls/" + linkId, null, server.admin());
            long waitedMs = (System.nanoTime() - started) / 1_000_000;
            longStep.join();

            assertThat(deleted.status()).as(deleted.body()).isBetween(200, 299);
            assertThat(waitedMs).as("waited for the step's write, past the 2 s other writers wait").isGreaterThanOrEqualTo(3_000);
            assertThat(otherStep.get(20, java.util.concurrent.TimeUnit.SECONDS).caughtUp()).as("the other step waited, not failed").isTrue();
            TestServer.await(Duration.ofSeconds(20), () -> step.lag() == 0);
            long workspaceClicks = db.jdbi().withHandle(h -> h.createQuery(
                            "SELECT SUM(clicks) FROM day_totals WHERE scope_id = :ws").bind("ws", workspaceId).mapTo(Long.class).one());
            assertThat(workspaceClicks).as("the deleted link's two clicks left the workspace's rollups; the other link's two stay").isEqualTo(2);
        }
    }

    @Test
    void anUnavailableStoreNeverBlamesTheClicks() {
        assertThat(RollupWorker.blamesTheClicks(new IllegalArgumentException("No enum constant MARTIAN"))).isTrue();
        assertThat(RollupWorker.blamesTheClicks(new org.jdbi.v3.core.statement.UnableToExecuteStatementException(
                new java.sql.SQLException("[SQLITE_BUSY] The database file is locked"), null))).isFalse();
        assertThat(RollupWorker.blamesTheClicks(new org.jdbi.v3.core.statement.UnableToExecuteStatementException(
                new java.sql.SQLException("[SQLITE_FULL] Insertion failed because database is full"), null))).isFalse();
        assertThat(RollupWorker.blamesTheClicks(new org.jdbi.v3.core.statement.UnableToExecuteStatementException(
                new java.sql.SQLException("could not extend file: No space left on device", "53100"), null))).isFalse();
        assertThat(RollupWorker.blamesTheClicks(new org.jdbi.v3.core.statement.UnableToExecuteStatementException(
                new java.sql.SQLException("index row size 2720 exceeds btree version 4 maximum 2704", "54000"), null))).isFalse();
        assertThat(RollupWorker.blamesTheClicks(new org.jdbi.v3.core.statement.UnableToExecuteStatementException(
                new java.sql.SQLException("value too long for type character varying(10)", "22001"), null))).isTrue();
        assertThat(RollupWorker.blamesTheClicks(new OutOfMemoryError())).isFalse();
    }

}
