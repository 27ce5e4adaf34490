package dev.linkpulse.clicks;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes raw clicks older than the retention period ({@code LINKPULSE_RETENTION_DAYS}), soon after
 * start and then every hour, in small batches with pauses so redirects' writes never wait long.
 * The per-day rollups and the per-class click totals are left alone: totals and whole-day aggregates over old
 * periods still answer; the click log and questions that need raw rows (dimension filters,
 * partial days, hour buckets) see only the retained clicks.
 */
public final class ClickRetention implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClickRetention.class);
    static final int BATCH = 5_000;

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration keep;
    private final ScheduledExecutorService scheduler;

    public ClickRetention(Jdbi jdbi, Clock clock, int days) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.keep = Duration.ofDays(days);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("click-retention").daemon().unstarted(r));
        scheduler.scheduleWithFixedDelay(this::runSafely, 1, 3_600, TimeUnit.SECONDS);
    }

    private void runSafely() {
        try {
            long deleted = deleteOld();
            if (deleted > 0) {
                LOG.info("Retention: deleted {} clicks older than {} days", deleted, keep.toDays());
            }
        } catch (JdbiException e) {
            LOG.warn("Retention run failed, will retry in an hour: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes every click older than the period, batch by batch; returns how many. */
    long deleteOld() throws InterruptedException {
        long cutoff = clock.millis() - keep.toMillis();
        long total = 0;
        // Workspace by workspace: the (workspace_id, clicked_at) index finds the old clicks without a scan.
        List<String> workspaces = jdbi.withHandle(h -> h.createQuery("SELECT id FROM workspaces").mapTo(String.class).list());
        for (String workspace : workspaces) {
            while (!Thread.currentThread().isInterrupted()) {
                List<String> ids = jdbi.withHandle(h -> h.createQuery(
                                "SELECT id FROM clicks WHERE workspace_id = :ws AND clicked_at < :cutoff "
                                        // only clicks the rollups count already: their days must stay answerable
                                        + "AND seq <= (SELECT watermark FROM rollup_watermark WHERE id = 1) LIMIT :n")
                        .bind("ws", workspace).bind("cutoff", cutoff).bind("n", BATCH).mapTo(String.class).list());
                if (ids.isEmpty()) {
                    break;
                }
                total += jdbi.inTransaction(h -> {
                    // clicks_stored counts the rows of the log (paging totals); the per-class totals stay.
                    Map<String, Integer> perLink = new HashMap<>();
                    h.createQuery("DELETE FROM clicks WHERE id IN (<ids>) RETURNING link_id").bindList("ids", ids)
                            .mapTo(String.class).forEach(link -> perLink.merge(link, 1, Integer::sum));
                    PreparedBatch batch = h.prepareBatch("UPDATE link_counters SET clicks_stored = clicks_stored - :n WHERE link_id = :link");
                    perLink.forEach((link, n) -> batch.bind("link", link).bind("n", n).add());
                    if (!perLink.isEmpty()) {
                        batch.execute();
                    }
                    return perLink.values().stream().mapToInt(Integer::intValue).sum();
                });
                Thread.sleep(20); // let the click writer in between batches
            }
        }
        return total;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
