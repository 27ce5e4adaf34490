package dev.linkpulse.clicks.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;
import dev.linkpulse.store.Dialect;
import dev.linkpulse.store.IdSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Which clicks of a page are their visitor's first on their link that UTC day (spec §6.2
 * {@code is_unique}), ties in one millisecond broken by id as the log orders them, within a traffic
 * class as the rollups count a visitor's uniques. The hash's salt changes each UTC day, so a visitor
 * has one hash per day.
 *
 * <p>Read without an index of its own on the click log: the rollups' visitor row (link, day, class,
 * visitor) holds the first counted click's time, and the clicks after the watermark, not counted
 * yet, are read directly. The watermark is read first, so a click counted meanwhile is seen in one
 * place or both. When the rollups count every click stored at that moment (as they usually do,
 * except under load), there is nothing uncounted to read; a click stored after that moment is
 * seen only once counted, as if the page had been asked a moment earlier.
 *
 * <p>Of a visitor's clicks on the page only the earliest can be first (the others have a stored
 * click before them: that one), so only those are looked up, in one statement for the whole page
 * whatever links, days and classes it spans. One statement per link and day made a page of a
 * workspace's log (or a Kafka or webhook batch) up to one per click; one or two per click, before
 * that, made an export of a million clicks ask PostgreSQL two million times (docs/PERFORMANCE.md,
 * sessions 10 and 11).
 */
final class FirstOfDay {

    private static final long DAY_MS = 86_400_000L;

    /** The tie-break: the smallest id among the clicks of a visitor, link and class in one millisecond. */
    private static final String SMALLEST_ID_AT = "SELECT MIN(c.id) FROM clicks c WHERE c.link_id = %s AND c.clicked_at = %s "
            + "AND c.visitor_hash = %s AND c.traffic_class = %s";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Dialect dialect;

    FirstOfDay(Dialect dialect) {
        this.dialect = dialect;
    }

    Set<String> of(Handle h, List<Click> page) {
        Map<String, Click> candidates = new HashMap<>();
        for (Click c : page) {
            candidates.merge(visitorKey(c), c, FirstOfDay::earlier);
        }
        List<Map.Entry<String, Click>> listed = new ArrayList<>(candidates.entrySet());
        long[] position = h.createQuery("SELECT watermark, (SELECT last FROM click_sequence WHERE id = 1) FROM rollup_watermark WHERE id = 1")
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one();
        long watermark = position[0];
        // Rollups that count every click stored (the page's included) leave no uncounted click to read:
        // the common case, which spares an export a statement a page.
        boolean allCounted = position[1] <= watermark;
        CountedFirst[] counted = listed.size() >= WHOLE_DAYS_FROM ? countedFirstsReadingWholeDays(h, listed) : countedFirsts(h, listed);

        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            Click c = listed.get(i).getValue();
            CountedFirst f = counted[i];
            boolean countedBefore = f != null && (f.at() < c.clickedAt()
                    || (f.at() == c.clickedAt() && f.clicks() > 1 && f.smallestId() != null && f.smallestId().compareTo(c.id()) < 0));
            if (!countedBefore) {
                open.add(i);
            }
        }
        Uncounted uncounted = open.isEmpty() || allCounted ? Uncounted.NONE : uncounted(h, open.stream().map(i -> listed.get(i).getValue()).toList(), watermark);

        Set<String> first = new HashSet<>();
        for (int i : open) {
            Click c = listed.get(i).getValue();
            CountedFirst f = counted[i];
            if (f != null && f.at() == c.clickedAt() && f.clicks() == 1 && oneCountedClickIsEarlier(h, f, c, uncounted)) {
                continue;
            }
            if (!uncounted.anyBefore(listed.get(i).getKey(), c)) {
                first.add(c.id());
            }
        }
        return first;
    }

    /**
     * With one counted click in {@code c}'s millisecond, that click is {@code c} itself when
     * {@code c} is counted in the rows read (its sequence number at or below the watermark the rows
     * were read with); only otherwise is the millisecond's smallest id looked up.
     */
    private static boolean oneCountedClickIsEarlier(Handle h, CountedFirst f, Click c, Uncounted uncounted) {
        Long seq = uncounted.seqOf(c.id());
        if (seq == null || seq <= f.watermark()) {
            return false;
        }
        String smallest = h.createQuery(SMALLEST_ID_AT.formatted(":link", ":at", ":hash", ":class"))
                .bind("link", c.linkId()).bind("at", c.clickedAt()).bind("hash", c.visitorHash()).bind("class", c.trafficClass().label())
                .mapTo(String.class).one();
        return smallest != null && smallest.compareTo(c.id()) < 0; // null: deleted meanwhile, so none is earlier
    }

    /**
     * A visitor's counted clicks of the day, as one statement read them with the watermark of the same
     * snapshot (a rollup step moves both in one transaction): the first one's time, how many, and,
     * when there are several and the first is in the candidate's millisecond, the smallest id among
     * the visitor's clicks of that class on the link in that millisecond (all stored clicks, counted
     * or not: the tie-break).
     */
    private record CountedFirst(long at, long clicks, String smallestId, long watermark) {}

    /**
     * Candidates on a page from which a day's visitor rows may be read whole: an export's page, a
     * publisher's batch. Smaller pages (the click log's: 100 by default) keep to one statement, for
     * which asking the days' sizes first would cost more than it saves.
     */
    private static final int WHOLE_DAYS_FROM = 1_000;

    /**
     * A day (of a link and class) whose visitors are at most this many times the page's candidates
     * in it is read whole: a visitor row read in a range costs a small part of one looked up by its
     * key (on PostgreSQL about 0.6 µs against 10 µs or more, docs/PERFORMANCE.md, session 13).
     */
    private static final int WHOLE_DAY_RATIO = 4;

    /**
     * As {@link #countedFirsts}, for a large page: the visitor rows of each day that the page covers
     * for a good part are read whole (the export of a busy link asks for nearly all of them), the
     * others looked up one by one. A visitor whose first counted click may tie with the candidate in
     * its millisecond is looked up one by one too, for the tie-break.
     */
    private CountedFirst[] countedFirstsReadingWholeDays(Handle h, List<Map.Entry<String, Click>> candidates) {
        Map<Group, Map<String, Integer>> byGroup = new HashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            Click c = candidates.get(i).getValue();
            byGroup.computeIfAbsent(groupOf(c), g -> new HashMap<>()).put(c.visitorHash(), i);
        }
        List<Group> groups = new ArrayList<>(byGroup.keySet());
        long[] visitors = new long[groups.size()];
        bindGroups(h.createQuery("SELECT g.n, t.visitors FROM " + groups("g") + groupsFirst()
                        + "day_totals t ON t.scope_id = g.link AND t.day = g.day AND t.traffic_class = g.class"), groups)
                .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getLong(2)))
                .forEach(row -> visitors[row.getKey() - 1] = row.getValue());
        List<Group> whole = new ArrayList<>();
        List<Integer> oneByOne = new ArrayList<>();
        for (int n = 0; n < groups.size(); n++) {
            Map<String, Integer> asked = byGroup.get(groups.get(n));
            if (visitors[n] <= (long) WHOLE_DAY_RATIO * asked.size()) {
                whole.add(groups.get(n));
            } else {
                oneByOne.addAll(asked.values());
            }
        }
        CountedFirst[] counted = new CountedFirst[candidates.size()];
        if (!whole.isEmpty()) {
            bindGroups(h.createQuery("SELECT g.n, v.visitor_hash, v.first_at, v.clicks, (SELECT watermark FROM rollup_watermark WHERE id = 1) "
                            + "FROM " + groups("g") + groupsFirst() + "visitor_days v ON v.scope_id = g.link AND v.day = g.day AND v.traffic_class = g.class"),
                    whole)
                    .map((rs, ctx) -> new VisitorRow(whole.get(rs.getInt(1) - 1), rs.getString(2),
                            new CountedFirst(rs.getLong(3), rs.getLong(4), null, rs.getLong(5))))
                    .forEach(row -> {
                        Integer i = byGroup.get(row.group()).get(row.hash());
                        if (i == null) {
                            return; // a visitor of that day not on the page
                        }
                        CountedFirst f = row.first();
                        if (f.clicks() > 1 && f.at() == candidates.get(i).getValue().clickedAt()) {
                            oneByOne.add(i); // the tie-break's smallest id comes with the lookup
                        } else {
                            counted[i] = f;
                        }
                    });
        }
        if (!oneByOne.isEmpty()) {
            List<Map.Entry<String, Click>> some = oneByOne.stream().map(candidates::get).toList();
            CountedFirst[] found = countedFirsts(h, some);
            for (int k = 0; k < found.length; k++) {
                counted[oneByOne.get(k)] = found[k];
            }
        }
        return counted;
    }

    /** The counted clicks of each candidate's visitor, by the candidate's place in the list (null: none counted): one statement. */
    private CountedFirst[] countedFirsts(Handle h, List<Map.Entry<String, Click>> candidates) {
        CountedFirst[] counted = new CountedFirst[candidates.size()];
        Query q = h.createQuery("SELECT k.i, v.first_at, v.clicks, CASE WHEN v.clicks > 1 AND v.first_at = k.at "
                + "THEN (" + SMALLEST_ID_AT.formatted("g.link", "k.at", "k.hash", "g.class") + ") END, "
                + "(SELECT watermark FROM rollup_watermark WHERE id = 1) " + visitorRowsOf());
        bindKeys(q, candidates).map((rs, ctx) -> Map.entry(rs.getInt(1), new CountedFirst(rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getLong(5))))
                .forEach(row -> counted[row.getKey()] = row.getValue());
        return counted;
    }

    /**
     * FROM the candidates as {@code k} (hash, at) with their link, day and class as {@code g}, joined
     * to their visitor rows as {@code v}, each found through the unique index, candidates first. The
     * links, days and classes of a page are few, so they go once each ({@code g}, numbered from 1)
     * and each candidate names its own by number: sending them with every candidate made an
     * export's 5,000-click page 40 % dearer on PostgreSQL (parsing 5,000 link ids).
     *
     * <p>On PostgreSQL a lateral subquery behind OFFSET 0 fixes the join order: as a plain join the
     * planner, whose statistics seldom hold today's rows yet, walked all of today's visitor rows of
     * a link and filtered them (the click log's first page of a busy link: 100 ms at 5M clicks,
     * against 2–8 ms for the lookups). On SQLite a CROSS JOIN fixes it.
     */
    private String visitorRowsOf() {
        String key = "v.scope_id = g.link AND v.day = g.day AND v.traffic_class = g.class AND v.visitor_hash = k.hash";
        if (dialect == Dialect.POSTGRESQL) {
            return "FROM (SELECT hash, at, g, CAST(i AS int) - 1 AS i FROM unnest(CAST(:hashes AS text[]), CAST(:ats AS bigint[]), "
                    + "CAST(:groupOf AS int[])) WITH ORDINALITY AS k (hash, at, g, i)) k "
                    + "JOIN " + groups("g") + " ON g.n = k.g "
                    + "CROSS JOIN LATERAL (SELECT * FROM visitor_days v WHERE " + key + " OFFSET 0) v";
        }
        return "FROM (SELECT value ->> '$[0]' AS hash, value ->> '$[1]' AS at, value ->> '$[2]' AS g, key AS i FROM json_each(:keys)) k "
                + "JOIN " + groups("g") + " ON g.n = k.g CROSS JOIN visitor_days v ON " + key;
    }

    /** A link, UTC day and traffic class: the visitor rows of a page come in few of them. */
    private record Group(String link, long day, String trafficClass) {}

    /** A visitor row of a day read whole, without the tie-break's smallest id. */
    private record VisitorRow(Group group, String hash, CountedFirst first) {}

    private static Group groupOf(Click c) {
        return new Group(c.linkId(), Math.floorDiv(c.clickedAt(), DAY_MS), c.trafficClass().label());
    }

    /** The groups as a table {@code alias} (link, day, class, n numbered from 1), bound by {@link #bindGroups}. */
    private String groups(String alias) {
        if (dialect == Dialect.POSTGRESQL) {
            return "unnest(CAST(:links AS text[]), CAST(:days AS bigint[]), CAST(:classes AS text[])) WITH ORDINALITY AS "
                    + alias + " (link, day, class, n)";
        }
        return "(SELECT value ->> '$[0]' AS link, value ->> '$[1]' AS day, value ->> '$[2]' AS class, key + 1 AS n "
                + "FROM json_each(:groups)) " + alias;
    }

    /** The join after {@link #groups}, which SQLite's planner must not reorder (PostgreSQL allows no CROSS JOIN … ON). */
    private String groupsFirst() {
        return dialect == Dialect.POSTGRESQL ? " JOIN " : " CROSS JOIN ";
    }

    private Query bindGroups(Query q, List<Group> groups) {
        if (dialect == Dialect.POSTGRESQL) {
            return q.bindArray("links", String.class, groups.stream().map(Group::link).toList())
                    .bindArray("days", Long.class, groups.stream().map(Group::day).toList())
                    .bindArray("classes", String.class, groups.stream().map(Group::trafficClass).toList());
        }
        try {
            return q.bind("groups", JSON.writeValueAsString(groups.stream().map(g -> List.of(g.link(), g.day(), g.trafficClass())).toList()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings and numbers are always JSON", e);
        }
    }

    private Query bindKeys(Query q, List<Map.Entry<String, Click>> candidates) {
        Map<Group, Integer> groupNumbers = new HashMap<>();
        List<Group> groups = new ArrayList<>();
        List<String> hashes = new ArrayList<>(candidates.size());
        List<Long> ats = new ArrayList<>(candidates.size());
        List<Integer> groupOf = new ArrayList<>(candidates.size());
        for (Map.Entry<String, Click> candidate : candidates) {
            Click c = candidate.getValue();
            groupOf.add(groupNumbers.computeIfAbsent(groupOf(c), g -> {
                groups.add(g);
                return groups.size();
            }));
            hashes.add(c.visitorHash());
            ats.add(c.clickedAt());
        }
        if (dialect == Dialect.POSTGRESQL) {
            return bindGroups(q.bindArray("hashes", String.class, hashes).bindArray("ats", Long.class, ats)
                    .bindArray("groupOf", Integer.class, groupOf), groups);
        }
        List<List<Object>> keys = new ArrayList<>(candidates.size());
        for (int i = 0; i < hashes.size(); i++) {
            keys.add(List.of(hashes.get(i), ats.get(i), groupOf.get(i)));
        }
        try {
            return bindGroups(q.bind("keys", JSON.writeValueAsString(keys)), groups);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings and numbers are always JSON", e);
        }
    }

    /** The clicks after the watermark of the open candidates' visitors, by {@link #visitorKey}, with their sequence numbers. */
    private record Uncounted(Map<String, List<Click>> byVisitor, Map<String, Long> seqs) {
        static final Uncounted NONE = new Uncounted(Map.of(), Map.of());

        Long seqOf(String clickId) {
            return seqs.get(clickId);
        }

        /** Whether a click not counted yet of {@code c}'s visitor (its {@link #visitorKey}) comes before it. */
        boolean anyBefore(String visitor, Click c) {
            List<Click> others = byVisitor.get(visitor);
            if (others != null) {
                for (Click o : others) {
                    if (before(o, c)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** One walk of the log after the watermark for the open candidates' hashes. */
    private Uncounted uncounted(Handle h, Collection<Click> open, long watermark) {
        IdSet hashes = new IdSet(dialect, "hashes", open.stream().map(Click::visitorHash).distinct().toList());
        Map<String, List<Click>> byVisitor = new HashMap<>();
        Map<String, Long> seqs = new HashMap<>();
        hashes.bind(h.createQuery("SELECT id, link_id, clicked_at, traffic_class, visitor_hash, seq "
                        + "FROM clicks WHERE seq > :watermark AND " + hashes.matches("visitor_hash")))
                .bind("watermark", watermark)
                .map((rs, ctx) -> Map.entry(new Click(rs.getString(1), rs.getString(2), null, rs.getLong(3), null, null, null, null, null,
                        null, null, null, null, null, null, null, TrafficClass.fromLabel(rs.getString(4)), rs.getString(5), Utm.NONE), rs.getLong(6)))
                .forEach(o -> {
                    byVisitor.computeIfAbsent(visitorKey(o.getKey()), k -> new ArrayList<>()).add(o.getKey());
                    seqs.put(o.getKey().id(), o.getValue());
                });
        return new Uncounted(byVisitor, seqs);
    }

    /** Whether {@code a} comes before {@code b} in the log's order: time, then id. */
    private static boolean before(Click a, Click b) {
        return a.clickedAt() < b.clickedAt() || (a.clickedAt() == b.clickedAt() && a.id().compareTo(b.id()) < 0);
    }

    private static Click earlier(Click a, Click b) {
        return before(b, a) ? b : a;
    }

    /** A visitor of one link, UTC day and traffic class, as the rollups key it. */
    private static String visitorKey(Click c) {
        return c.linkId() + '\u0000' + Math.floorDiv(c.clickedAt(), DAY_MS) + '\u0000' + c.trafficClass().label() + '\u0000' + c.visitorHash();
    }
}
