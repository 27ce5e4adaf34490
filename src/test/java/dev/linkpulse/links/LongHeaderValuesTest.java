package dev.linkpulse.links;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.ClickEvent;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.clicks.rollups.RollupStep;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Header and query values are cut to a number of characters and to as many bytes of UTF-8, so that
 * a click with the longest non-ASCII referrer can still be counted into the rollups (PostgreSQL
 * refuses index entries of more than about 2,700 bytes: a value that did not fit would stop the
 * rollup step at that click for good).
 */
class LongHeaderValuesTest {

    @Test
    void valuesAreCutToTheirLengthInCharactersAndInUtf8Bytes() {
        assertThat(Redirects.cut("a".repeat(3_000), ClickEvent.MAX_REFERRER)).hasSize(2_048);
        String accents = Redirects.cut("é".repeat(2_048), ClickEvent.MAX_REFERRER);
        assertThat(accents).isEqualTo("é".repeat(1_024));
        // A character outside the BMP is two chars and four bytes: never split in half.
        String emoji = Redirects.cut("x" + "😀".repeat(1_000), ClickEvent.MAX_REFERRER);
        assertThat(emoji.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(2_048);
        assertThat(emoji).isEqualTo("x" + "😀".repeat(511));
        assertThat(Redirects.cut("ü\u0007".repeat(300), ClickEvent.MAX_UTM)).isEqualTo("ü".repeat(127));
        assertThat(Redirects.cut("plain", ClickEvent.MAX_UTM)).isEqualTo("plain");
    }

    @Test
    void aClickWithTheLongestNonAsciiReferrerIsCountedIntoTheRollups() {
        try (TestServer server = TestServer.start(); Database db = server.openStore()) {
            String linkId = server.createLink(Map.of("url", "https://example.com/long", "custom_alias", "long-ref")).get("id").asText();
            String workspaceId = TestServer.workspaceOf(db, linkId);
            // Random CJK characters: three bytes each, and nothing for PostgreSQL's compression to find.
            java.util.Random random = new java.util.Random(7);
            StringBuilder raw = new StringBuilder("https://例え.jp/");
            while (raw.length() < 3_000) {
                raw.append((char) (0x4E00 + random.nextInt(0x5000)));
            }
            String referrer = Redirects.cut(raw.toString(), ClickEvent.MAX_REFERRER);
            long now = System.currentTimeMillis();
            new ClickStore(db.jdbi(), db.dialect()).insert(List.of(new Click(new ClickIds().next(now).toString(), linkId, workspaceId,
                    now, "https://example.com/long", null, "agent", referrer, "例え.jp", "referral", null, null, null, "desktop", null,
                    null, TrafficClass.HUMAN, "visitor-long", Utm.NONE)));
            assertThat(new RollupStep(db.jdbi(), db.dialect()).catchUp(Duration.ofSeconds(20))).isTrue();
            long counted = db.jdbi().withHandle(h -> h.createQuery(
                            "SELECT SUM(clicks) FROM day_stats WHERE scope_id = :link AND dimension = 'referrer' AND value = :ref")
                    .bind("link", linkId).bind("ref", referrer).mapTo(Long.class).one());
            assertThat(counted).isEqualTo(1);
        }
    }
}
