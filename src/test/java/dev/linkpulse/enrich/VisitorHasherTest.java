package dev.linkpulse.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.store.Database;
import dev.linkpulse.support.TestServer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The visitor hash: stable within a UTC day, different across days, old salts destroyed. */
class VisitorHasherTest {

    static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void oneVisitorPerDayAndOldSaltsAreDestroyed() {
        try (TestServer server = TestServer.start(); Database db = server.openStore()) {
            VisitorHasher hasher = new VisitorHasher(db.jdbi());
            String ua = "Mozilla/5.0 test";
            String morning = hasher.hash("81.2.69.142", ua, at("2030-05-01T08:00:00Z"));
            String evening = hasher.hash("81.2.69.142", ua, at("2030-05-01T22:00:00Z"));
            String otherIp = hasher.hash("81.2.69.143", ua, at("2030-05-01T22:00:00Z"));
            String otherAgent = hasher.hash("81.2.69.142", ua + "x", at("2030-05-01T22:00:00Z"));
            assertThat(morning).isEqualTo(evening).hasSize(32).matches("[0-9a-f]{32}");
            assertThat(otherIp).isNotEqualTo(morning);
            assertThat(otherAgent).isNotEqualTo(morning);

            String nextDay = hasher.hash("81.2.69.142", ua, at("2030-05-02T08:00:00Z"));
            assertThat(nextDay).as("a new day, a new salt: the visitor cannot be followed").isNotEqualTo(morning);
            hasher.hash("81.2.69.142", ua, at("2030-05-03T08:00:00Z"));
            List<String> days = db.jdbi().withHandle(h -> h.createQuery("SELECT day FROM visitor_salts WHERE day >= '2030-01-01' ORDER BY day")
                    .mapTo(String.class).list());
            // Today's and yesterday's salts are kept; May 1st's is gone, so its hashes can never be recomputed.
            assertThat(days).containsExactly("2030-05-02", "2030-05-03");

            // Another process on the same store uses the same salt for the same day.
            VisitorHasher other = new VisitorHasher(db.jdbi());
            assertThat(other.hash("81.2.69.142", ua, at("2030-05-03T09:00:00Z")))
                    .isEqualTo(hasher.hash("81.2.69.142", ua, at("2030-05-03T10:00:00Z")));
        }
    }


    @Test
    void aLateClickIsHashedWithTheSaltOfItsOwnDay() {
        try (TestServer server = TestServer.start(); Database db = server.openStore()) {
            dev.linkpulse.support.MutableClock clock = new dev.linkpulse.support.MutableClock(java.time.Instant.parse("2031-03-01T23:59:59Z"));
            VisitorHasher hasher = new VisitorHasher(db.jdbi(), clock);
            String ip = "81.2.69.142";
            String ua = "Mozilla/5.0 late";
            long beforeMidnight = at("2031-03-01T23:59:59.500Z");
            String onTheDay = hasher.hash(ip, ua, beforeMidnight);

            clock.advance(java.time.Duration.ofSeconds(2)); // past midnight
            String nextDay = hasher.hash(ip, ua, at("2031-03-02T00:00:00.500Z"));
            assertThat(nextDay).isNotEqualTo(onTheDay);
            // A click of 23:59:59.9 processed after midnight: its own day's salt, not the newest.
            long late = at("2031-03-01T23:59:59.900Z");
            assertThat(hasher.hash(ip, ua, late)).isEqualTo(onTheDay);
            assertThat(hasher.hashIfSaltAtHand(ip, ua, late)).contains(onTheDay);
            // ...in another process too: the salt comes from the store.
            assertThat(new VisitorHasher(db.jdbi(), clock).hash(ip, ua, late)).isEqualTo(onTheDay);

            // A click older than the salts the store keeps is never hashed with a re-created salt.
            long old = at("2031-02-20T12:00:00Z");
            String lost = hasher.hash(ip, ua, old);
            assertThat(lost).isNotIn(onTheDay, nextDay).isEqualTo(hasher.hash(ip, ua, old + 1_000));
            List<String> days = db.jdbi().withHandle(h -> h.createQuery("SELECT day FROM visitor_salts WHERE day >= '2031-01-01' ORDER BY day")
                    .mapTo(String.class).list());
            assertThat(days).containsExactly("2031-03-01", "2031-03-02");
        }
    }

    @Test
    void tomorrowsSaltIsAtHandBeforeMidnightWithoutDeletingYesterdays() {
        try (TestServer server = TestServer.start(); Database db = server.openStore()) {
            dev.linkpulse.support.MutableClock clock = new dev.linkpulse.support.MutableClock(java.time.Instant.parse("2032-07-10T12:00:00Z"));
            VisitorHasher hasher = new VisitorHasher(db.jdbi(), clock);
            hasher.hash("81.2.69.142", "ua", at("2032-07-09T12:00:00Z")); // yesterday's, for late clicks
            hasher.prepare();
            String tomorrow = hasher.hashIfSaltAtHand("81.2.69.142", "ua", at("2032-07-11T00:00:01Z")).orElseThrow();
            List<String> days = db.jdbi().withHandle(h -> h.createQuery("SELECT day FROM visitor_salts WHERE day >= '2032-01-01' ORDER BY day")
                    .mapTo(String.class).list());
            assertThat(days).containsExactly("2032-07-09", "2032-07-10", "2032-07-11");
            // The salt fetched ahead is the one every process uses for that day.
            clock.advance(java.time.Duration.ofHours(20));
            assertThat(tomorrow).isEqualTo(new VisitorHasher(db.jdbi(), clock).hash("81.2.69.142", "ua", at("2032-07-11T08:00:00Z")));
        }
    }

    @Test
    void aProcessThatRunsForDaysStillDestroysOldSalts() {
        try (TestServer server = TestServer.start(); Database db = server.openStore()) {
            dev.linkpulse.support.MutableClock clock = new dev.linkpulse.support.MutableClock(java.time.Instant.parse("2033-05-01T12:00:00Z"));
            VisitorHasher hasher = new VisitorHasher(db.jdbi(), clock);
            hasher.prepare();
            for (int day = 0; day < 4; day++) {
                // As the journal thread's fetch ahead does once a day: today's salt is in memory already.
                clock.advance(java.time.Duration.ofDays(1));
                hasher.prepare();
                assertThat(hasher.hashIfSaltAtHand("81.2.69.142", "ua", clock.millis())).isPresent();
            }
            List<String> days = db.jdbi().withHandle(h -> h.createQuery("SELECT day FROM visitor_salts WHERE day >= '2033-01-01' ORDER BY day")
                    .mapTo(String.class).list());
            assertThat(days).containsExactly("2033-05-04", "2033-05-05", "2033-05-06");
        }
    }
}
