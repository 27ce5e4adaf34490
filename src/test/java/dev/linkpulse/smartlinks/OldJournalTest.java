package dev.linkpulse.smartlinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Journal segments written before smart links (no matchedRule, no variantId in their lines) are
 * still read: a journal left by the previous version is replayed into the click log, the new
 * columns null. Both kinds of line: an enriched click and a raw event.
 */
class OldJournalTest {

    @Test
    void aSegmentWithoutTheNewFieldsIsReplayed() throws Exception {
        try (TestServer server = TestServer.start(Map.of())) {
            JsonNode link = server.createLink(Map.of("url", "https://example.com/old"));
            String linkId = link.get("id").asText();
            String code = link.get("short_code").asText();
            server.stop();
            String workspace;
            try (var db = server.openStore()) {
                workspace = TestServer.workspaceOf(db, linkId);
            }
            long now = System.currentTimeMillis();
            ClickIds ids = new ClickIds();
            String enriched = ids.next(now - 2_000).toString();
            String raw = ids.next(now - 1_000).toString();
            // Lines exactly as the journal wrote them before migration 14 (field names of Click and ClickEvent then).
            String lines = "{\"click\":{\"id\":\"" + enriched + "\",\"linkId\":\"" + linkId + "\",\"workspaceId\":\"" + workspace
                    + "\",\"clickedAt\":" + (now - 2_000) + ",\"destination\":\"https://example.com/old\",\"ipAddress\":\"81.2.xxx.xxx\","
                    + "\"userAgent\":\"Mozilla/5.0\",\"source\":\"direct\",\"country\":\"GB\",\"deviceType\":\"desktop\","
                    + "\"trafficClass\":\"HUMAN\",\"visitorHash\":\"0123456789abcdef0123456789abcdef\",\"utm\":{}}}\n"
                    + "{\"event\":{\"id\":\"" + raw + "\",\"clickedAt\":" + (now - 1_000) + ",\"linkId\":\"" + linkId
                    + "\",\"workspaceId\":\"" + workspace + "\",\"destination\":\"https://example.com/old\",\"userAgent\":\"Mozilla/5.0\","
                    + "\"utm\":{}}}\n";
            Path journal = server.dataDir().resolve("journal-0");
            Files.createDirectories(journal);
            Files.writeString(journal.resolve("segment-000000000001.ndjson"), lines);
            server.startAgain();
            server.awaitClicks(code, 2);
            JsonNode log = server.clickLog(code, "").get("data");
            assertThat(log.findValuesAsText("id")).containsExactlyInAnyOrder(enriched, raw);
            for (JsonNode c : log) {
                assertThat(c.get("matched_rule").isNull()).isTrue();
                assertThat(c.get("variant_id").isNull()).isTrue();
            }
        }
    }
}
