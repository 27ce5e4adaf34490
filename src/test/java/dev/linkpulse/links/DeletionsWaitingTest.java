package dev.linkpulse.links;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A link deletion waits in the store for the rollups' watermark row. A burst of deletions waiting
 * there must not take every connection of the shared pool, or every other request waits too.
 */
class DeletionsWaitingTest {

    /** More than either store's shared pool holds (16 connections on PostgreSQL, 8 on SQLite). */
    private static final int DELETIONS = 20;

    @Test
    void deletionsWaitingForTheWatermarkLeaveConnectionsForOtherRequestsAndAllGoThroughAfterwards() throws Exception {
        try (TestServer server = TestServer.start(); ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < DELETIONS; i++) {
                ids.add(server.createLink(Map.of("url", "https://example.com/" + i)).get("id").asText());
            }
            List<Future<Http.Response>> deletions = new ArrayList<>();
            // On SQLite this is the store's one write lock, which a deletion waits 2 s for before it
            // fails: it is given back well before that. On PostgreSQL a deletion waits up to 15 s.
            try (Connection lock = server.lockRollups()) {
                for (String id : ids) {
                    deletions.add(clients.submit(() -> server.http().send("DELETE", "/api/v1/short-urls/" + id, null, server.admin())));
                }
                // One deletion waits in the store, the others for their turn, holding no connection.
                // (Should a slow machine take 2 s to queue them, SQLite's first deletion gives up: stop then.)
                TestServer.await(Duration.ofSeconds(10), () -> server.app().links().deletionsWaiting() == DELETIONS - 1
                        || deletions.stream().anyMatch(Future::isDone));
                assertThat(deletions).as("every deletion still waiting").noneMatch(Future::isDone);
                if (TestServer.onPostgres()) {
                    TestServer.await(Duration.ofSeconds(10), () -> waitingForLocks(lock) >= 1);
                }

                Future<Http.Response> list = clients.submit(() -> server.http().get("/api/v1/short-urls?limit=5", server.admin()));
                Http.Response answered = list.get(1, TimeUnit.SECONDS);
                assertThat(answered.status()).as("a request while the deletions wait").isEqualTo(200);
                assertThat(deletions).as("nothing was deleted while the watermark row was held").noneMatch(Future::isDone);
                lock.rollback();
            }
            for (Future<Http.Response> d : deletions) {
                assertThat(d.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
            for (String id : ids) {
                assertThat(server.http().get("/api/v1/short-urls/" + id, server.admin()).status()).isEqualTo(404);
            }
        }
    }

    private static int waitingForLocks(Connection c) {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")) {
            rs.next();
            return rs.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
