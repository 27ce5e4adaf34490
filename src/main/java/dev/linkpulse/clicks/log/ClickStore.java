package dev.linkpulse.clicks.log;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickFilter;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;
import dev.linkpulse.clicks.rollups.Rollups;

import dev.linkpulse.store.CopyText;
import dev.linkpulse.store.Dialect;
import dev.linkpulse.store.IdSet;
import dev.linkpulse.store.Rows;
import dev.linkpulse.store.SqlErrors;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.Savepoint;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.PGConnection;

/** SQL for the click log ({@code clicks}) and the per-link counters ({@code link_counters}). */
public final class ClickStore {

    /** Maps a row of {@code clicks} (all columns) to a click. */
    public static final RowMapper<Click> CLICK = (rs, ctx) -> withoutDetails(rs).withDetails(rs.getString("timezone"),
            rs.getString("device_brand"), rs.getString("device_model"), rs.getString("browser_version"), rs.getString("os_version"))
            .withSmartLink(Rows.nullableInt(rs, "matched_rule"), rs.getString("variant_id"))
            .withQrCode(rs.getString("qr_code_id"));

    /**
     * Maps a row of {@code clicks} as it was before V13 added the click details: for migrations
     * that run on the schema of their own version (the rollup backfill of V2).
     */
    public static final RowMapper<Click> CLICK_WITHOUT_DETAILS = (rs, ctx) -> withoutDetails(rs);

    private static Click withoutDetails(java.sql.ResultSet rs) throws SQLException {
        return new Click(
                rs.getString("id"),
                rs.getString("link_id"),
                rs.getString("workspace_id"),
                rs.getLong("clicked_at"),
                rs.getString("destination"),
                rs.getString("ip_address"),
                rs.getString("user_agent"),
                rs.getString("referrer"),
                rs.getString("referrer_domain"),
                rs.getString("source"),
                rs.getString("country"),
                rs.getString("region"),
                rs.getString("city"),
                rs.getString("device_type"),
                rs.getString("browser"),
                rs.getString("os"),
                TrafficClass.fromLabel(rs.getString("traffic_class")),
                rs.getString("visitor_hash"),
                new Utm(rs.getString("utm_source"), rs.getString("utm_medium"), rs.getString("utm_campaign"),
                        rs.getString("utm_term"), rs.getString("utm_content")));
    }

    /** Rows per INSERT: 32 parameters each stays well below both stores' parameter limits. */
    private static final int ROWS_PER_STATEMENT = 500;

    private static final String COLUMNS = "id, link_id, workspace_id, clicked_at, destination, ip_address, user_agent, "
            + "referrer, referrer_domain, source, country, region, city, device_type, browser, os, "
            + "traffic_class, visitor_hash, utm_source, utm_medium, utm_campaign, utm_term, utm_content, "
            + "timezone, device_brand, device_model, browser_version, os_version, matched_rule, variant_id, qr_code_id";
    private static final int COLUMN_COUNT = 31;

    private final Jdbi jdbi;
    private final FirstOfDay firstOfDay;
    private final Dialect dialect;
    private final Rollups rollups;

    public ClickStore(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.rollups = new Rollups(dialect);
        this.firstOfDay = new FirstOfDay(dialect);
    }

    /**
     * Stores a batch in one transaction: the click rows, each with the next storage sequence number,
     * and the per-link counters, so totals never disagree with the log. The rollups count the rows
     * later, in large steps behind a watermark ({@link RollupStep}). A click id already stored, or
     * twice in the batch, is stored and counted once (replays are harmless), and a click of a link
     * deleted while the click waited in the queue is skipped.
     */
    public void insert(List<Click> clicks) {
        if (clicks.isEmpty()) {
            return;
        }
        jdbi.useTransaction(h -> {
            // On SQLite first, so the transaction writes from its start (it never has to upgrade a read
            // lock). On PostgreSQL the sequence row stays locked until commit: writers commit in sequence order.
            long firstSeq = dialect == Dialect.SQLITE ? reserveSequence(h, clicks.size()) : 0;
            Set<String> liveLinks = liveLinks(h, clicks);
            if (dialect == Dialect.POSTGRESQL) {
                // After the links: a link row held elsewhere delays this writer only, not, through the
                // sequence row, the writers of every process.
                firstSeq = reserveSequence(h, clicks.size());
            }
            // A click can come twice in one batch (a replayed journal segment holding a group written
            // twice after a failed write): the row is inserted once, so it must be counted once.
            Set<String> ids = new HashSet<>();
            List<Click> storable = clicks.stream().filter(c -> liveLinks.contains(c.linkId()) && ids.add(c.id())).toList();
            if (dialect == Dialect.POSTGRESQL && copy(h, storable, firstSeq)) {
                bumpCounters(h, storable, null);
                return;
            }
            Set<String> inserted = new HashSet<>();
            try {
                if (dialect == Dialect.SQLITE) {
                    inserted.addAll(insertOneByOne(h, storable, firstSeq));
                } else {
                    for (int from = 0; from < storable.size(); from += ROWS_PER_STATEMENT) {
                        inserted.addAll(insertRows(h, storable.subList(from, Math.min(storable.size(), from + ROWS_PER_STATEMENT)),
                                firstSeq + from));
                    }
                }
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException("inserting " + storable.size() + " clicks failed", e, null);
            }
            bumpCounters(h, storable, inserted);
        });
    }

    /**
     * Takes {@code n} numbers from the click sequence; returns the first. Numbers of clicks that turn
     * out not to be stored (replays, deleted links) are simply never used: readers expect gaps.
     */
    private static long reserveSequence(Handle h, int n) {
        long last = h.createQuery("UPDATE click_sequence SET last = last + :n WHERE id = 1 RETURNING last")
                .bind("n", n).mapTo(Long.class).one();
        return last - n + 1;
    }

    /** The links of the batch that still exist, held against deletion until the transaction ends. */
    private Set<String> liveLinks(Handle h, List<Click> clicks) {
        Set<String> linkIds = new HashSet<>();
        clicks.forEach(c -> linkIds.add(c.linkId()));
        return new HashSet<>(h.createQuery("SELECT id FROM short_urls WHERE id IN (<ids>)" + dialect.lockRowsForShare())
                .bindList("ids", List.copyOf(linkIds))
                .mapTo(String.class)
                .list());
    }

    /**
     * PostgreSQL's fast path: COPY the whole batch. True when every row went in; false (and nothing
     * written) when some id was already stored, a replay, which the INSERT path then sorts out.
     */
    private static boolean copy(Handle h, List<Click> rows, long firstSeq) {
        if (rows.isEmpty()) {
            return true;
        }
        CopyText text = new CopyText(rows.size() * 700);
        long seq = firstSeq;
        for (Click c : rows) {
            text.add(seq++).add(c.id()).add(c.linkId()).add(c.workspaceId()).add(c.clickedAt()).add(c.destination())
                    .add(c.ipAddress()).add(c.userAgent()).add(c.referrer()).add(c.referrerDomain()).add(c.source())
                    .add(c.country()).add(c.region()).add(c.city()).add(c.deviceType()).add(c.browser()).add(c.os())
                    .add(c.trafficClass().label()).add(c.visitorHash()).add(c.utm().source()).add(c.utm().medium())
                    .add(c.utm().campaign()).add(c.utm().term()).add(c.utm().content()).add(c.timezone())
                    .add(c.deviceBrand()).add(c.deviceModel()).add(c.browserVersion()).add(c.osVersion())
                    .add(c.matchedRule() == null ? null : c.matchedRule().toString()).add(c.variantId()).add(c.qrCodeId()).endRow();
        }
        Connection connection = h.getConnection();
        Savepoint savepoint = null;
        try {
            savepoint = connection.setSavepoint();
            connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY clicks (seq, " + COLUMNS + ") FROM STDIN", new ByteArrayInputStream(text.toUtf8()));
            connection.releaseSavepoint(savepoint);
            return true;
        } catch (SQLException e) {
            if (savepoint != null && SqlErrors.isUniqueViolation(e)) {
                try {
                    connection.rollback(savepoint);
                    return false;
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
            }
            throw new UnableToExecuteStatementException("copying " + rows.size() + " clicks failed", e, null);
        } catch (java.io.IOException e) {
            throw new UnableToExecuteStatementException("copying " + rows.size() + " clicks failed", e, null);
        }
    }

    /**
     * SQLite's fast path: one prepared single-row INSERT, stepped once per click (no statement to
     * parse per batch). Returns the ids inserted; a replayed id reports zero rows and is skipped.
     */
    private static List<String> insertOneByOne(Handle h, List<Click> rows, long firstSeq) throws SQLException {
        String sql = "INSERT INTO clicks (seq, " + COLUMNS + ") VALUES (" + "?,".repeat(COLUMN_COUNT) + "?) ON CONFLICT (id) DO NOTHING";
        List<String> inserted = new ArrayList<>(rows.size());
        try (PreparedStatement st = h.getConnection().prepareStatement(sql)) {
            long seq = firstSeq;
            for (Click c : rows) {
                st.setLong(1, seq++);
                bindRow(st, 2, c);
                if (st.executeUpdate() == 1) {
                    inserted.add(c.id());
                }
            }
        }
        return inserted;
    }

    /** Binds the 31 columns of a click from parameter {@code p} on; returns the next parameter index. */
    private static int bindRow(PreparedStatement st, int p, Click c) throws SQLException {
        st.setString(p++, c.id());
        st.setString(p++, c.linkId());
        st.setString(p++, c.workspaceId());
        st.setLong(p++, c.clickedAt());
        st.setString(p++, c.destination());
        st.setString(p++, c.ipAddress());
        st.setString(p++, c.userAgent());
        st.setString(p++, c.referrer());
        st.setString(p++, c.referrerDomain());
        st.setString(p++, c.source());
        st.setString(p++, c.country());
        st.setString(p++, c.region());
        st.setString(p++, c.city());
        st.setString(p++, c.deviceType());
        st.setString(p++, c.browser());
        st.setString(p++, c.os());
        st.setString(p++, c.trafficClass().label());
        st.setString(p++, c.visitorHash());
        st.setString(p++, c.utm().source());
        st.setString(p++, c.utm().medium());
        st.setString(p++, c.utm().campaign());
        st.setString(p++, c.utm().term());
        st.setString(p++, c.utm().content());
        st.setString(p++, c.timezone());
        st.setString(p++, c.deviceBrand());
        st.setString(p++, c.deviceModel());
        st.setString(p++, c.browserVersion());
        st.setString(p++, c.osVersion());
        if (c.matchedRule() == null) {
            st.setNull(p++, java.sql.Types.INTEGER);
        } else {
            st.setInt(p++, c.matchedRule());
        }
        st.setString(p++, c.variantId());
        st.setString(p++, c.qrCodeId());
        return p;
    }

    /**
     * One multi-row INSERT; returns the ids actually inserted (not already present). Plain JDBC:
     * this is the hot path of ingest, and binding 11,500 parameters through Jdbi costs more than
     * the database work.
     */
    private static List<String> insertRows(Handle h, List<Click> rows, long firstSeq) throws SQLException {
        StringBuilder sql = new StringBuilder(64 + rows.size() * (COLUMN_COUNT * 2 + 5))
                .append("INSERT INTO clicks (seq, ").append(COLUMNS).append(") VALUES ");
        String placeholders = "(" + "?,".repeat(COLUMN_COUNT) + "?)";
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ",").append(placeholders);
        }
        sql.append(" ON CONFLICT (id) DO NOTHING RETURNING id");
        try (PreparedStatement st = h.getConnection().prepareStatement(sql.toString())) {
            int p = 1;
            long seq = firstSeq;
            for (Click c : rows) {
                st.setLong(p++, seq++);
                p = bindRow(st, p, c);
            }
            List<String> inserted = new ArrayList<>(rows.size());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
            return inserted;
        }
    }

    private record CounterDelta(String workspaceId, long[] byClass, long lastClickedAt) {}

    /** Adds the clicks to their links' counters; {@code inserted} names the ones stored, null when all were. */
    private static void bumpCounters(Handle h, List<Click> clicks, Set<String> inserted) {
        // In link order, as retention updates them: two transactions on PostgreSQL never wait for each other in a circle.
        Map<String, CounterDelta> deltas = new TreeMap<>();
        for (Click c : clicks) {
            if (inserted != null && !inserted.contains(c.id())) {
                continue;
            }
            CounterDelta d = deltas.get(c.linkId());
            long last = Math.max(c.clickedAt(), d == null ? Long.MIN_VALUE : d.lastClickedAt());
            long[] byClass = d == null ? new long[TrafficClass.values().length] : d.byClass();
            byClass[c.trafficClass().ordinal()]++;
            deltas.put(c.linkId(), new CounterDelta(c.workspaceId(), byClass, last));
        }
        if (deltas.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO link_counters (link_id, workspace_id, clicks_stored, clicks_human, clicks_bot, clicks_preview, last_clicked_at)
                VALUES (:linkId, :workspaceId, :stored, :human, :bot, :preview, :last)
                ON CONFLICT (link_id) DO UPDATE SET
                    clicks_stored = link_counters.clicks_stored + excluded.clicks_stored,
                    clicks_human = link_counters.clicks_human + excluded.clicks_human,
                    clicks_bot = link_counters.clicks_bot + excluded.clicks_bot,
                    clicks_preview = link_counters.clicks_preview + excluded.clicks_preview,
                    last_clicked_at = CASE
                        WHEN link_counters.last_clicked_at IS NULL OR excluded.last_clicked_at > link_counters.last_clicked_at
                        THEN excluded.last_clicked_at ELSE link_counters.last_clicked_at END""");
        deltas.forEach((linkId, d) -> {
            long[] n = d.byClass();
            batch.bind("linkId", linkId)
                    .bind("workspaceId", d.workspaceId())
                    .bind("stored", n[0] + n[1] + n[2])
                    .bind("human", n[TrafficClass.HUMAN.ordinal()])
                    .bind("bot", n[TrafficClass.BOT.ordinal()])
                    .bind("preview", n[TrafficClass.PREVIEW.ordinal()])
                    .bind("last", d.lastClickedAt())
                    .add();
        });
        batch.execute();
        bumpScanCounters(h, clicks, inserted);
    }

    /** Adds the QR scans among the clicks to their codes' counters (issue 15); plain clicks write nothing here. */
    private static void bumpScanCounters(Handle h, List<Click> clicks, Set<String> inserted) {
        Map<String, CounterDelta> deltas = null;
        for (Click c : clicks) {
            if (c.qrCodeId() == null || (inserted != null && !inserted.contains(c.id()))) {
                continue;
            }
            if (deltas == null) {
                deltas = new TreeMap<>(); // in code order: no two transactions wait for each other in a circle
            }
            CounterDelta d = deltas.get(c.qrCodeId());
            long last = Math.max(c.clickedAt(), d == null ? Long.MIN_VALUE : d.lastClickedAt());
            long[] byClass = d == null ? new long[TrafficClass.values().length] : d.byClass();
            byClass[c.trafficClass().ordinal()]++;
            deltas.put(c.qrCodeId(), new CounterDelta(c.workspaceId(), byClass, last));
        }
        if (deltas == null) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO qr_scan_counters (qr_code_id, workspace_id, scans_stored, scans_human, last_scanned_at)
                VALUES (:code, :workspaceId, :stored, :human, :last)
                ON CONFLICT (qr_code_id) DO UPDATE SET
                    scans_stored = qr_scan_counters.scans_stored + excluded.scans_stored,
                    scans_human = qr_scan_counters.scans_human + excluded.scans_human,
                    last_scanned_at = CASE
                        WHEN qr_scan_counters.last_scanned_at IS NULL OR excluded.last_scanned_at > qr_scan_counters.last_scanned_at
                        THEN excluded.last_scanned_at ELSE qr_scan_counters.last_scanned_at END""");
        deltas.forEach((code, d) -> {
            long[] n = d.byClass();
            batch.bind("code", code).bind("workspaceId", d.workspaceId()).bind("stored", n[0] + n[1] + n[2])
                    .bind("human", n[TrafficClass.HUMAN.ordinal()]).bind("last", d.lastClickedAt()).add();
        });
        batch.execute();
    }

    /** Scans of a QR code: human scans (as link click counts count humans) and the last scan of any kind. */
    public record ScanTotals(long human, long stored, Long lastScannedAt) {}

    /** The scan totals of these QR codes of a workspace (issue 15); codes never scanned are absent. */
    public Map<String, ScanTotals> scanTotals(String workspaceId, java.util.Collection<String> qrCodeIds) {
        if (qrCodeIds.isEmpty()) {
            return Map.of();
        }
        Map<String, ScanTotals> out = new HashMap<>();
        List<String> ids = List.copyOf(qrCodeIds);
        for (int from = 0; from < ids.size(); from += ROWS_PER_STATEMENT) {
            List<String> part = ids.subList(from, Math.min(ids.size(), from + ROWS_PER_STATEMENT));
            jdbi.useHandle(h -> h.createQuery("""
                            SELECT qr_code_id, scans_human, scans_stored, last_scanned_at FROM qr_scan_counters
                            WHERE workspace_id = :ws AND qr_code_id IN (<ids>)""")
                    .bind("ws", workspaceId).bindList("ids", part)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), new ScanTotals(rs.getLong(2), rs.getLong(3), Rows.nullableLong(rs, "last_scanned_at"))))
                    .forEach(e -> out.put(e.getKey(), e.getValue())));
        }
        return out;
    }

    /** Forgets a deleted QR code's scan totals (its clicks go with its link; retention may have left totals without them). */
    public void deleteScanTotals(String workspaceId, String qrCodeId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM qr_scan_counters WHERE qr_code_id = :id AND workspace_id = :ws")
                .bind("id", qrCodeId).bind("ws", workspaceId).execute());
    }

    /** Erases every click, counter and rollup of a link, inside the caller's transaction. */
    public void deleteAllOf(Handle h, String linkId, String workspaceId) {
        // The rollups first: that may wait for a rollup step's write (up to 15 s on PostgreSQL), and
        // the link is not locked yet, so the click writer is not held up meanwhile. No step counts
        // this link's clicks from here on (the watermark row stays locked): those stored meanwhile
        // are still in the log below.
        rollups.removeLink(h, linkId, workspaceId);
        if (dialect == Dialect.POSTGRESQL) {
            // Then: a writer holding the link (FOR SHARE, clicks of it not yet committed) commits
            // before the deletion reads the log, so its clicks are deleted too; a writer coming later
            // waits and then finds the link gone.
            h.createQuery("SELECT id FROM short_urls WHERE id = :id FOR UPDATE").bind("id", linkId).mapTo(String.class).findOne();
        }
        // A tracked QR code's link is its own (issue 15): its scans are this link's clicks, and the
        // code is found by its link (indexed; counters of scans retention already deleted included).
        h.createUpdate("DELETE FROM qr_scan_counters WHERE qr_code_id IN (SELECT id FROM qr_codes WHERE short_url_id = :linkId)")
                .bind("linkId", linkId).execute();
        h.createUpdate("DELETE FROM clicks WHERE link_id = :linkId").bind("linkId", linkId).execute();
        h.createUpdate("DELETE FROM link_counters WHERE link_id = :linkId").bind("linkId", linkId).execute();
    }

    /** A place in the click log's order (clicked_at, then id). */
    public record Position(long clickedAt, String id) {}

    /**
     * A page of the log, newest first (ties in time broken by id): after {@code offset} rows, or
     * strictly older than {@code olderThan} (keyset paging). Each call is its own short read.
     */
    public List<Click> page(ClickFilter f, int limit, long offset, Optional<Position> olderThan) {
        FilterSql w = FilterSql.of(f, dialect);
        StringBuilder sql = new StringBuilder("SELECT * FROM clicks c WHERE ").append(w.sql());
        // The plain bound before the OR lets the index seek to the position instead of filtering up to it.
        olderThan.ifPresent(p -> sql.append(" AND c.clicked_at <= :oAt AND (c.clicked_at < :oAt OR (c.clicked_at = :oAt AND c.id < :oId))"));
        sql.append(" ORDER BY c.clicked_at DESC, c.id DESC LIMIT :limit OFFSET :offset");
        return jdbi.withHandle(h -> {
            var q = w.bind(h.createQuery(sql.toString())).bind("limit", limit).bind("offset", offset);
            olderThan.ifPresent(p -> q.bind("oAt", p.clickedAt()).bind("oId", p.id()));
            return q.map(CLICK).list();
        });
    }

    /** A stored click and its storage sequence number (the order clicks were stored in). */
    public record Stored(long seq, Click click) {}

    private static final RowMapper<Stored> STORED = (rs, ctx) -> new Stored(rs.getLong("seq"), CLICK.map(rs, ctx));

    /** The storage sequence number of a click of the filter's workspace (and link); empty when there is no such click. */
    public Optional<Long> seqOf(ClickFilter f, String clickId) {
        FilterSql w = FilterSql.of(ClickFilter.of(f.workspaceId()).withLinkOf(f), dialect);
        return jdbi.withHandle(h -> w.bind(h.createQuery("SELECT seq FROM clicks c WHERE " + w.sql() + " AND c.id = :id"))
                .bind("id", clickId)
                .mapTo(Long.class).findOne());
    }

    /** Which of these clicks are their visitor's first on their link that UTC day (spec §6.2 {@code is_unique}): {@link FirstOfDay}. */
    public Set<String> firstOfDay(List<Click> page) {
        return page.isEmpty() ? new HashSet<>() : jdbi.withHandle(h -> firstOfDay.of(h, page));
    }

    /**
     * The last sequence number handed to a committed click batch. Writers commit in sequence order,
     * so every click numbered up to it is visible to any read that starts after this one (numbers of
     * skipped replays simply never appear).
     */
    public long lastSeq() {
        return jdbi.withHandle(h -> h.createQuery("SELECT last FROM click_sequence WHERE id = 1").mapTo(Long.class).one());
    }

    /**
     * Matching clicks stored after {@code afterSeq} and up to {@code upToSeq}, in storage order
     * (oldest stored first), at most {@code limit}: how a reader continues from where it was,
     * however old a late-stored click's clicked_at is.
     */
    public List<Stored> storedAfter(ClickFilter f, long afterSeq, long upToSeq, int limit) {
        FilterSql w = FilterSql.of(f, dialect);
        return jdbi.withHandle(h -> w.bind(h.createQuery("SELECT * FROM clicks c" + seqScan() + " WHERE " + w.sql()
                        + " AND c.seq > :after AND c.seq <= :upTo ORDER BY c.seq LIMIT :limit"))
                .bind("after", afterSeq).bind("upTo", upToSeq).bind("limit", limit)
                .map(STORED).list());
    }

    /** Clicks of every workspace stored after {@code afterSeq} and up to {@code upToSeq}, in storage order: for the event publishers. */
    public List<Stored> storedAfter(long afterSeq, long upToSeq, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM clicks c" + seqScan()
                        + " WHERE c.seq > :after AND c.seq <= :upTo ORDER BY c.seq LIMIT :limit")
                .bind("after", afterSeq).bind("upTo", upToSeq).bind("limit", limit)
                .map(STORED).list());
    }

    /**
     * True when no click of the same visitor on the same link was stored before this one on the
     * same UTC day (of clicked_at): the visitor's first click there that day, decided once, in
     * storage order, so each visitor, link and day has exactly one. (The visitor hash's salt is
     * per UTC day, so the hash alone names the visitor within the day.)
     */
    public boolean firstOfVisitorThatDay(Stored s) {
        long day = Math.floorDiv(s.click().clickedAt(), 86_400_000L) * 86_400_000L;
        return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM clicks WHERE link_id = :link AND clicked_at >= :from "
                        + "AND clicked_at < :to AND visitor_hash = :visitor AND seq < :seq LIMIT 1")
                .bind("link", s.click().linkId()).bind("from", day).bind("to", day + 86_400_000L)
                .bind("visitor", s.click().visitorHash()).bind("seq", s.seq())
                .mapTo(Integer.class).findOne().isEmpty());
    }

    /**
     * Matching clicks stored after {@code afterSeq} (and before {@code beforeSeq}, keyset paging),
     * newest stored first: the {@code since_id} view of the log. New clicks only ever get higher
     * numbers, so a walk down these pages never meets a click stored while it walks.
     */
    public List<Stored> newestStored(ClickFilter f, long afterSeq, Optional<Long> beforeSeq, int limit, long offset) {
        FilterSql w = FilterSql.of(f, dialect);
        String before = beforeSeq.isPresent() ? " AND c.seq < :before" : "";
        return jdbi.withHandle(h -> {
            var q = w.bind(h.createQuery("SELECT * FROM clicks c" + seqScan() + " WHERE " + w.sql() + " AND c.seq > :after" + before
                            + " ORDER BY c.seq DESC LIMIT :limit OFFSET :offset"))
                    .bind("after", afterSeq).bind("limit", limit).bind("offset", offset);
            beforeSeq.ifPresent(b -> q.bind("before", b));
            return q.map(STORED).list();
        });
    }

    /** How many matching clicks were stored after {@code afterSeq}. */
    public long countStoredAfter(ClickFilter f, long afterSeq) {
        FilterSql w = FilterSql.of(f, dialect);
        return jdbi.withHandle(h -> w.bind(h.createQuery("SELECT COUNT(*) FROM clicks c" + seqScan() + " WHERE " + w.sql()
                        + " AND c.seq > :after"))
                .bind("after", afterSeq)
                .mapTo(Long.class).one());
    }

    /**
     * On SQLite the sequence is the rowid: reading a range of it walks the table from that point,
     * where the planner would otherwise pick the (workspace, time) index and sort the whole workspace.
     */
    private String seqScan() {
        return dialect == Dialect.SQLITE ? " NOT INDEXED" : "";
    }

    /**
     * How many raw rows match: the click log's total. Not the rollups, which keep counting clicks
     * retention has deleted from the log; the counters answer the unfiltered case.
     */
    public long count(ClickFilter f) {
        FilterSql w = FilterSql.of(f, dialect);
        return jdbi.withHandle(h -> w.bind(h.createQuery("SELECT COUNT(*) FROM clicks c WHERE " + w.sql())).mapTo(Long.class).one());
    }

    /** How many clicks of the link are in the log (from the counters, not a scan). */
    public long countOfLink(String linkId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(clicks_stored), 0) FROM link_counters WHERE link_id = :linkId")
                .bind("linkId", linkId).mapTo(Long.class).one());
    }

    /** How many clicks of the workspace are in the log (from the counters, not a scan). */
    public long countOfWorkspace(String workspaceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(clicks_stored), 0) FROM link_counters WHERE workspace_id = :workspaceId")
                .bind("workspaceId", workspaceId).mapTo(Long.class).one());
    }

    /** Human clicks per link, for the links asked about, as many as they are (links never clicked are absent). */
    public Map<String, Long> humanClicks(List<String> linkIds) {
        if (linkIds.isEmpty()) {
            return Map.of();
        }
        IdSet ids = new IdSet(dialect, "ids", linkIds);
        return jdbi.withHandle(h -> ids.bind(h.createQuery("SELECT link_id, clicks_human FROM link_counters WHERE " + ids.matches("link_id")))
                .reduceRows(new HashMap<String, Long>(), (map, row) -> {
                    map.put(row.getColumn("link_id", String.class), row.getColumn("clicks_human", Long.class));
                    return map;
                }));
    }
}
