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

}
