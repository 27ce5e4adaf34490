package dev.linkpulse.clicks.log;

import dev.linkpulse.common.Backoff;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
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
    private static final Duration EVERY = Duration.ofHours(1);

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration keep;
    private final Duration firstRun;
    private final String publishedOnly;
    private final Thread thread;
    private final Object wake = new Object();
    private volatile boolean running = true;
    private volatile boolean failing;

    /** {@code kafkaTopic}: the topic clicks are published to (issue 18), whose position deletion must not pass. */
    public ClickRetention(Jdbi jdbi, Clock clock, int days, java.util.Optional<String> kafkaTopic) {
        this(jdbi, clock, days, Duration.ofSeconds(1), kafkaTopic);
    }

    /** {@code firstRun}: how long after start the first run begins. */
    ClickRetention(Jdbi jdbi, Clock clock, int days, Duration firstRun, java.util.Optional<String> kafkaTopic) {
        this.jdbi = jdbi;
        // A click is deleted only once Kafka has it too: an outage longer than the period loses none.
        this.publishedOnly = kafkaTopic.map(t -> " AND seq <= (SELECT last_seq FROM kafka_position WHERE topic = '"
                + t.replace("'", "''") + "')").orElse("");
        this.clock = clock;
        this.keep = Duration.ofDays(days);
        this.firstRun = firstRun;
        this.thread = Thread.ofPlatform().name("click-retention").daemon().start(this::loop);
    }

    /** True while runs fail (old clicks stay until one works); health reports it. */
    public boolean failing() {
        return failing || (running && !thread.isAlive());
    }

    /**
     * Runs every hour. A run that fails in any way (the store, a bug) is logged and tried again with
     * backoff instead of an hour later, and never ends the thread: a scheduled executor would stop
     * running the job for good, silently, after one unexpected exception.
     */
    private void loop() {
        Backoff backoff = new Backoff();
        long waitMillis = firstRun.toMillis();
        while (running) {
            try {
                synchronized (wake) {
                    if (running && waitMillis > 0) {
                        wake.wait(waitMillis);
                    }
                }
                if (!running) {
                    return;
                }
                long deleted = deleteOld();
                failing = false;
                backoff.succeeded();
                waitMillis = EVERY.toMillis();
                if (deleted > 0) {
                    LOG.info("Retention: deleted {} clicks older than {} days", deleted, keep.toDays());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                failing = true;
                if (backoff.failed()) {
                    LOG.error("Retention run failed ({} attempts); retrying", backoff.failures(), e);
                }
                waitMillis = backoff.delayMillis();
            }
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
                                        + "AND seq <= (SELECT watermark FROM rollup_watermark WHERE id = 1)" + publishedOnly + " LIMIT :n")
                        .bind("ws", workspace).bind("cutoff", cutoff).bind("n", BATCH).mapTo(String.class).list());
                if (ids.isEmpty()) {
                    break;
                }
                total += jdbi.inTransaction(h -> {
                    // clicks_stored counts the rows of the log (paging totals); the per-class totals stay.
                    // In link order, as the writer updates the counters: no deadlock between the two on PostgreSQL.
                    Map<String, Integer> perLink = new TreeMap<>();
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
        running = false;
        thread.interrupt(); // stops between batches (the delete loop checks) or in its wait
        try {
            thread.join(1_000); // a daemon thread: a delete in flight is rolled back with the store's close
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
