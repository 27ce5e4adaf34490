package dev.linkpulse.bench;

import dev.linkpulse.clicks.ClickEvent;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.ingest.ClickJournal;
import dev.linkpulse.clicks.ingest.ClickRecorder;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.clicks.rollups.RollupStep;
import dev.linkpulse.clicks.rollups.RollupWorker;
import dev.linkpulse.enrich.Enricher;
import dev.linkpulse.enrich.GeoLocator;
import dev.linkpulse.enrich.UserAgentClassifier;
import dev.linkpulse.enrich.VisitorHasher;
import dev.linkpulse.keys.KeyService;
import dev.linkpulse.links.LinkService;
import dev.linkpulse.links.NewShortUrl;
import dev.linkpulse.links.ShortUrl;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The sustained rate at which the recorder stores enriched clicks: events are generated up front
 * (distinct IPs, a realistic user-agent mix), offered as fast as the queue takes them, and timed
 * until the last one is committed and counted into the rollups (the figure reported; the rate of
 * the rows alone is printed too). Usage: {@code IngestBench sqlite|postgresql [clicks] [rounds]}.
 */
public final class IngestBench {

    public static void main(String[] args) throws Exception {
        String storeName = args.length > 0 ? args[0] : "sqlite";
        int clicks = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Postgres pg = storeName.equals("postgresql") ? Postgres.startNew() : null;
        try {
            double[] rates = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                rates[round] = runRound(storeName, pg, clicks, round);
                System.out.printf("round %d: %,.0f clicks/s%n", round + 1, rates[round]);
            }
            double[] sorted = rates.clone();
            Arrays.sort(sorted);
            System.out.printf("RESULT ingest store=%s clicks=%d rounds=%d median=%,.0f clicks/s min=%,.0f max=%,.0f%n",
                    storeName, clicks, rounds, sorted[rounds / 2], sorted[0], sorted[rounds - 1]);
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    /** CPU nanoseconds used so far by each thread of the click pipeline (SQLite's checkpoints included), by thread name. */
    private static java.util.Map<String, Long> pipelineCpu() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && (t.getThreadName().startsWith("click-") || t.getThreadName().equals("sqlite-checkpoints"))) {
                out.merge(t.getThreadName(), Math.max(0, threads.getThreadCpuTime(t.getThreadId())), Long::sum);
            }
        }
        return out;
    }

    private static double runRound(String storeName, Postgres pg, int clicks, int round) throws Exception {
        Path work = Files.createTempDirectory("linkpulse-ingest");
        Database db = pg != null
                ? Database.openPostgres(new Database.PostgresSettings(pg.newDatabase(), Postgres.USER, null))
                : Database.openSqlite(work);
        Clock clock = Clock.systemUTC();
        UserAgentClassifier agents = UserAgentClassifier.startBuilding();
        try (GeoLocator geo = GeoLocator.open(List.of(Path.of("src/test/resources/geo/GeoIP2-City-Test.mmdb")))) {
            new KeyService(db.jdbi(), clock).ensureFirstKey(Optional.empty());
            String workspace = db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM workspaces").mapTo(String.class).one());
            ClickStore store = new ClickStore(db.jdbi(), db.dialect());
            LinkService links = new LinkService(db.jdbi(), store, db.openChangeFeed(), clock);
            List<ShortUrl> targets = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                targets.add(links.create(workspace, new NewShortUrl("https://example.com/" + i, Optional.empty(),
                        Optional.empty(), Optional.empty(), true, false, true)));
            }
            Traffic traffic = new Traffic(42 + round);
            ClickIds ids = new ClickIds();
            List<ClickEvent> events = new ArrayList<>(clicks);
            long now = clock.millis();
            for (int i = 0; i < clicks; i++) {
                ShortUrl link = targets.get(traffic.nextInt(targets.size()));
                events.add(new ClickEvent(ids.next(now).toString(), now, link.id(), link.workspaceId(), link.originalUrl(),
                        traffic.ip(), traffic.userAgent(), traffic.referrer(), traffic.utm()));
            }
            if (round == 0) {
                System.out.printf("store=%s, %d links, %d distinct user agents in the pool%n", storeName, targets.size(),
                        traffic.distinctAgents());
            }
            // Let Yauaa finish building so the first batches do not measure its start-up.
            agents.classify("warm-up");
            RollupStep rollupStep = new RollupStep(db.jdbi(), db.dialect());
            ClickRecorder[] storing = new ClickRecorder[1];
            RollupWorker rollups = new RollupWorker(rollupStep, () -> storing[0] != null && storing[0].behind()); // as App wires it
            ClickRecorder recorder = new ClickRecorder(new Enricher(geo, agents, new VisitorHasher(db.jdbi())), store,
                    new ClickJournal(work.resolve("journal")), new ClickRecorder.Settings(ClickRecorder.Settings.DEFAULT.capacity(),
                            Integer.getInteger("batch", ClickRecorder.Settings.DEFAULT.batchSize()), Duration.ofMillis(5), Duration.ofMinutes(5)),
                    workspaces -> rollups.wake());
            storing[0] = recorder;
            java.util.Map<String, Long> cpuBefore = pipelineCpu();
            long start = System.nanoTime();
            for (ClickEvent e : events) {
                while (!recorder.offer(e)) {
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }
            }
            while (recorder.stats().stored() < clicks) {
                Thread.sleep(5);
            }
            double storedSeconds = (System.nanoTime() - start) / 1e9;
            while (rollupStep.lag() > 0) {
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("  rows stored at %,.0f clicks/s; rolled up %.1f s after the last row%n", clicks / storedSeconds,
                    seconds - storedSeconds);
            // CPU per click by thread: on a shared, busy machine this moves far less than the rates do.
            StringBuilder cpu = new StringBuilder("  CPU µs per click:");
            long total = 0;
            for (var e : pipelineCpu().entrySet()) {
                long used = e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0L);
                total += used;
                cpu.append(String.format(" %s %.1f,", e.getKey(), used / 1e3 / clicks));
            }
            System.out.println(cpu.append(String.format(" all pipeline threads %.1f", total / 1e3 / clicks)));
            recorder.close();
            rollups.close();
            long stored = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM clicks").mapTo(Long.class).one());
            if (stored != clicks) {
                throw new IllegalStateException("stored " + stored + " of " + clicks);
            }
            return clicks / seconds;
        } finally {
            db.close();
            dev.linkpulse.support.TempDirs.delete(work);
        }
    }
}
