package dev.linkpulse.clicks.log;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.config.Setting;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.LogCapture;
import dev.linkpulse.support.MutableClock;
import dev.linkpulse.support.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The retention job never stops for good: a run that fails (the store refusing deletes, or an
 * exception nobody expected) is logged, retried with backoff and shown on /health, and the next
 * run that works deletes the old clicks.
 */
class RetentionFailureTest {

    static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");

    @Test
    void aStoreThatRefusesDeletesShowsOnHealthAndRetentionCatchesUpOnceItAccepts() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        try (TestServer server = TestServer.start(Map.of(Setting.RETENTION_DAYS, "30"), clock)) {
            String id = server.createLink(Map.of("url", "https://example.com/retained")).get("id").asText();
            try (Database db = server.openStore()) {
                insertClicks(db, id, 10);
                db.jdbi().useHandle(h -> {
                    if (TestServer.onPostgres()) {
                        h.execute("CREATE FUNCTION refuse_delete() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'deletes refused'; END $$ LANGUAGE plpgsql");
                        h.execute("CREATE TRIGGER refuse_delete BEFORE DELETE ON clicks FOR EACH ROW EXECUTE FUNCTION refuse_delete()");
                    } else {
                        h.execute("CREATE TRIGGER refuse_delete BEFORE DELETE ON clicks BEGIN SELECT RAISE(ABORT, 'deletes refused'); END");
                    }
                });
            }
            server.stop();
            try (LogCapture logs = LogCapture.start()) {
                server.startAgain(); // the retention job runs a second after start
                TestServer.await(Duration.ofSeconds(15), () -> server.http().get("/health").json().get("retention_failing").asBoolean());
                JsonNode health = server.http().get("/health").json();
                assertThat(health.get("status").asText()).isEqualTo("degraded");
                assertThat(server.clickLog(id, "?limit=1").get("pagination").get("total").asLong()).isEqualTo(10);
                Thread.sleep(1_000); // failing runs go on meanwhile, retried

                try (Database db = server.openStore()) {
                    db.jdbi().useHandle(h -> h.execute(TestServer.onPostgres() ? "DROP TRIGGER refuse_delete ON clicks" : "DROP TRIGGER refuse_delete"));
                }
                // Retried within seconds, not an hour later.
                TestServer.await(Duration.ofSeconds(15), () -> server.clickLog(id, "?limit=1").get("pagination").get("total").asLong() == 0);
                assertThat(logs.text()).contains("deletes refused");
                assertThat(logs.mostAttemptsLogged("Retention run failed"))
                        .as("logged at the first failure; waits that grow keep the retries far from the 20th, "
                                + "which a loop without them would reach at once")
                        .isEqualTo(1);
            }
            TestServer.await(Duration.ofSeconds(5), () -> !server.http().get("/health").json().get("retention_failing").asBoolean());
            assertThat(server.http().get("/health").json().get("status").asText()).isEqualTo("ok");
        }
    }

    @Test
    void anUnexpectedExceptionDoesNotEndTheJob() throws Exception {
        try (TestServer server = TestServer.start(); Database db = server.openStore()) {
            String id = server.createLink(Map.of("url", "https://example.com/retained")).get("id").asText();
            insertClicks(db, id, 10);
            // A bug that strikes four times: the clock throws, the way a scheduled executor silently stopped the job for good.
            List<Long> calls = new CopyOnWriteArrayList<>(); // when each run asked the time
            Clock failing = new Clock() {
                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    calls.add(System.nanoTime());
                    if (calls.size() <= 4) {
                        throw new IllegalStateException("a bug in the retention run");
                    }
                    return NOW;
                }
            };
            TestServer.await(Duration.ofSeconds(10), () -> rolledUp(db)); // retention deletes only clicks the rollups counted
            try (LogCapture logs = LogCapture.start();
                    ClickRetention retention = new ClickRetention(db.jdbi(), failing, 30, Duration.ZERO, java.util.Optional.empty())) {
                TestServer.await(Duration.ofSeconds(5), retention::failing);
                TestServer.await(Duration.ofSeconds(10), () -> count(db, id) == 0);
                TestServer.await(Duration.ofSeconds(5), () -> !retention.failing()); // the run that worked ends a moment later
                assertThat(calls).hasSizeGreaterThanOrEqualTo(5);
                // Between the four failed runs and the one that worked: waits of 50, 100, 200 and 400 ms.
                assertThat(TimeUnit.NANOSECONDS.toMillis(calls.get(4) - calls.get(0)))
                        .as("ms from the first run to the fifth: retried with waits that double").isGreaterThanOrEqualTo(700);
                assertThat(logs.mostAttemptsLogged("Retention run failed")).as("logged at the first failure").isEqualTo(1);
                assertThat(logs.text()).contains("IllegalStateException: a bug in the retention run");
            }
        }
    }

    @Test
    void withKafkaOnlyClicksTheBrokerHasAreDeleted() throws Exception {
        try (TestServer server = TestServer.start(); Database db = server.openStore()) {
            String id = server.createLink(Map.of("url", "https://example.com/published")).get("id").asText();
            insertClicks(db, id, 10);
            TestServer.await(Duration.ofSeconds(10), () -> rolledUp(db));
            List<Long> seqs = db.jdbi().withHandle(h -> h.createQuery("SELECT seq FROM clicks WHERE link_id = :id ORDER BY seq")
                    .bind("id", id).mapTo(Long.class).list());
            // The broker acknowledged the first four; the rest wait for it, however old.
            db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO kafka_position (topic, last_seq, owner, lease_until, updated_at) "
                    + "VALUES ('linkpulse.clicks', :seq, 'elsewhere', 0, 0)").bind("seq", seqs.get(3)).execute());
            Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
            try (ClickRetention retention = new ClickRetention(db.jdbi(), clock, 30, Duration.ZERO, java.util.Optional.of("linkpulse.clicks"))) {
                TestServer.await(Duration.ofSeconds(10), () -> count(db, id) == 6);
            }
            assertThat(count(db, id)).isEqualTo(6);
            long oldestLeft = db.jdbi().withHandle(h -> h.createQuery("SELECT MIN(seq) FROM clicks WHERE link_id = :id").bind("id", id)
                    .mapTo(Long.class).one());
            assertThat(oldestLeft).isEqualTo(seqs.get(4));
        }
    }

    private static boolean rolledUp(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM clicks WHERE seq > (SELECT watermark FROM rollup_watermark WHERE id = 1)").mapTo(Long.class).one()) == 0;
    }

    private static long count(Database db, String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM clicks WHERE link_id = :id").bind("id", id).mapTo(Long.class).one());
    }

    /** Clicks of 10 May, 51 days before NOW: past a 30-day retention. */
    private static void insertClicks(Database db, String id, int n) {
        String ws = TestServer.workspaceOf(db, id);
        List<Click> clicks = new ArrayList<>();
        ClickIds ids = new ClickIds();
        for (int i = 0; i < n; i++) {
            long at = Instant.parse("2026-05-10T08:00:00Z").toEpochMilli() + i * 1_000L;
            clicks.add(new Click(ids.next(at).toString(), id, ws, at, "https://example.com/retained", null, "agent", null, null,
                    "direct", "DE", null, null, "desktop", "Firefox", "Linux", TrafficClass.HUMAN, "v" + i, Utm.NONE));
        }
        new ClickStore(db.jdbi(), db.dialect()).insert(clicks);
    }
}
