package dev.linkpulse.clicks.log;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickEvent;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.Utm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.store.Database;
import dev.linkpulse.support.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A replay may hand the store a click it already holds, or the same click twice in one batch (a
 * journal group written again after a failed write): the log, the counters and the rollups all
 * count it once.
 */
class ReplayCountsOnceTest {

    @Test
    void aClickTwiceInOneBatchAndAgainInTheNextIsStoredAndCountedOnce() {
        try (TestServer server = TestServer.start()) {
            var link = server.createLink(Map.of("url", "https://example.com/twice"));
            String id = link.get("id").asText();
            long now = System.currentTimeMillis();
            try (Database db = server.openStore()) {
                String ws = TestServer.workspaceOf(db, id);
                Click click = Click.unenriched(new ClickEvent(new ClickIds().next(now).toString(), now, id, ws,
                        "https://example.com/twice", null, "Mozilla/5.0", null, Utm.NONE));
                ClickStore store = new ClickStore(db.jdbi(), db.dialect());
                store.insert(List.of(click, click));
                store.insert(List.of(click));
                long rows = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM clicks").mapTo(Long.class).one());
                assertThat(rows).isEqualTo(1);
            }
            assertThat(server.clickLog(id, "?limit=10").get("pagination").get("total").asLong()).as("counter").isEqualTo(1);
            assertThat(server.clickLog(null, "?limit=10").get("pagination").get("total").asLong()).as("workspace counter").isEqualTo(1);
            var metrics = server.http().get("/api/v1/analytics/analytics/" + id + "?traffic=all", server.admin()).json().get("data");
            assertThat(metrics.get("total_clicks").asLong()).as("rollups").isEqualTo(1);
            assertThat(metrics.get("unique_clicks").asLong()).isEqualTo(1);
        }
    }
}
