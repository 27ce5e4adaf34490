package dev.linkpulse.clicks.rollups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * On SQLite a rollup step skips looking up the visitor rows it knows cannot exist (visitors of a day
 * whose rows it wrote itself). What it knows must never outlive another process's write: a visitor
 * row taken for absent would be inserted twice, and the step fail on the unique key. PostgreSQL
 * looks every visitor up; there these tests check the same counts.
 */
class KnownVisitorsTest {

    private static final long DAY_MS = 86_400_000L;

    @Test
    void aStepAfterAnotherProcesssStepStillFindsTheVisitorsThatOneWrote() {
        try (TestServer server = TestServer.start()) {
            String linkId = server.createLink(Map.of("url", "https://example.com/known")).get("id").asText();
            server.stop(); // no worker of the server's own: the two steps below take turns as two processes would
            try (Database db = server.openStore()) {
                String ws = TestServer.workspaceOf(db, linkId);
                ClickStore store = new ClickStore(db.jdbi(), db.dialect());
                RollupStep first = new RollupStep(db.jdbi(), db.dialect());
                RollupStep second = new RollupStep(db.jdbi(), db.dialect());
                long now = System.currentTimeMillis();

                // The first process counts a new day's first visitors: it now knows that day's rows.
                store.insert(clicks(linkId, ws, now, "v", 100));
                assertThat(first.run(RollupStep.CLICKS_PER_STEP).counted()).isEqualTo(100);
                // The second counts other new visitors, which the first never wrote.
                store.insert(clicks(linkId, ws, now, "w", 100));
                assertThat(second.run(RollupStep.CLICKS_PER_STEP).counted()).isEqualTo(100);
                // All of them again, counted by the first: every one is a returning visitor. Had the
                // first trusted what it knew, the second's visitors would be inserted again and the
                // step fail on the unique key (or count them twice).
                List<Click> again = new ArrayList<>(clicks(linkId, ws, now + 1, "w", 100));
                again.addAll(clicks(linkId, ws, now + 1, "v", 100));
                store.insert(again);
                assertThat(first.run(RollupStep.CLICKS_PER_STEP).counted()).isEqualTo(200);
                // And the first's own knowledge keeps working after it learnt again.
                store.insert(clicks(linkId, ws, now + 2, "x", 50));
                assertThat(first.run(RollupStep.CLICKS_PER_STEP).counted()).isEqualTo(50);

                long day = Math.floorDiv(now, DAY_MS);
                assertThat(totals(db, linkId, day)).containsExactly(450, 250, 200);
                assertThat(totals(db, ws, day)).containsExactly(450, 250, 200);
            }
        }
    }

    @Test
    void lateClicksOfOlderDaysAndClicksAcrossMidnightCountTheirVisitorsOnce() {
        try (TestServer server = TestServer.start()) {
            String linkId = server.createLink(Map.of("url", "https://example.com/known-days")).get("id").asText();
            server.stop();
            try (Database db = server.openStore()) {
                String ws = TestServer.workspaceOf(db, linkId);
                ClickStore store = new ClickStore(db.jdbi(), db.dialect());
                RollupStep step = new RollupStep(db.jdbi(), db.dialect());
                long today = Math.floorDiv(System.currentTimeMillis(), DAY_MS);
                long lateDay = today - 5;
                long yesterday = today - 1;

                // A late day first, then today and yesterday in one step (which forgets the late day),
                // then the same visitors again on all three days.
                store.insert(clicks(linkId, ws, lateDay * DAY_MS + 1_000, "v", 30));
                step.run(RollupStep.CLICKS_PER_STEP);
                List<Click> twoDays = new ArrayList<>(clicks(linkId, ws, today * DAY_MS + 1_000, "v", 30));
                twoDays.addAll(clicks(linkId, ws, yesterday * DAY_MS + DAY_MS - 1_000, "v", 30));
                store.insert(twoDays);
                step.run(RollupStep.CLICKS_PER_STEP);
                for (long day : new long[] {lateDay, yesterday, today}) {
                    store.insert(clicks(linkId, ws, day * DAY_MS + 2_000, "v", 30));
                }
                assertThat(step.run(RollupStep.CLICKS_PER_STEP).counted()).isEqualTo(90);

                for (long day : new long[] {lateDay, yesterday, today}) {
                    assertThat(totals(db, linkId, day)).as("day %d", day).containsExactly(60, 30, 30);
                    assertThat(totals(db, ws, day)).as("day %d", day).containsExactly(60, 30, 30);
                }
            }
        }
    }

    @Test
    void aSecondLinkOfAKnownWorkspaceAndALinkDeletedBetweenStepsKeepVisitorsExact() {
        try (TestServer server = TestServer.start()) {
            String first = server.createLink(Map.of("url", "https://example.com/known-first")).get("id").asText();
            String second = server.createLink(Map.of("url", "https://example.com/known-second")).get("id").asText();
            server.stop();
            try (Database db = server.openStore()) {
                String ws = TestServer.workspaceOf(db, first);
                ClickStore store = new ClickStore(db.jdbi(), db.dialect());
                RollupStep step = new RollupStep(db.jdbi(), db.dialect());
                long now = System.currentTimeMillis();

                // The workspace's visitors are known from the first link; the second link is new, its
                // visitors are not, in the workspace.
                store.insert(clicks(first, ws, now, "v", 50));
                step.run(RollupStep.CLICKS_PER_STEP);
                store.insert(clicks(second, ws, now + 1, "v", 50));
                assertThat(step.run(RollupStep.CLICKS_PER_STEP).counted()).isEqualTo(50);
                long day = Math.floorDiv(now, DAY_MS);
                assertThat(totals(db, second, day)).containsExactly(50, 50, 0);
                assertThat(totals(db, ws, day)).containsExactly(100, 50, 50);

                // The first link deleted between two steps: the second link's visitors return.
                db.jdbi().useTransaction(h -> store.deleteAllOf(h, first, ws));
                store.insert(clicks(second, ws, now + 2, "v", 50));
                assertThat(step.run(RollupStep.CLICKS_PER_STEP).counted()).isEqualTo(50);
                assertThat(totals(db, second, day)).containsExactly(100, 50, 50);
                assertThat(totals(db, ws, day)).containsExactly(100, 50, 50);
            }
        }
    }

    /** Clicks at {@code at} of visitors {@code prefix}0 … {@code prefix}(n-1), one each. */
    private static List<Click> clicks(String linkId, String ws, long at, String prefix, int n) {
        ClickIds ids = new ClickIds();
        List<Click> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Click(ids.next(at).toString(), linkId, ws, at, "https://example.com/known", null, "agent", null, null,
                    "direct", "GB", null, null, "desktop", null, null, TrafficClass.HUMAN, prefix + i, Utm.NONE));
        }
        return out;
    }

    /** Clicks, visitors and returning visitors of a scope's day. */
    private static long[] totals(Database db, String scope, long day) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT SUM(clicks), SUM(visitors), SUM(returning_visitors) FROM day_totals WHERE scope_id = :scope AND day = :day")
                .bind("scope", scope).bind("day", day)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).one());
    }

}
