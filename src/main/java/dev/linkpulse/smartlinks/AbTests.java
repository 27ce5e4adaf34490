package dev.linkpulse.smartlinks;

import dev.linkpulse.common.Timestamps;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.links.LinkService;
import dev.linkpulse.links.LinkUpdate;
import dev.linkpulse.links.ShortUrl;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/** A/B tests of links (spec §6.6): their lifecycle and their results. */
final class AbTests {

    private static final Pattern UUID_SHAPE =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final AbTestStore store;
    private final LinkService links;
    private final SmartLinks smart;
    private final Clock clock;

    AbTests(Jdbi jdbi, LinkService links, SmartLinks smart, Clock clock) {
        this.store = new AbTestStore(jdbi);
        this.links = links;
        this.smart = smart;
        this.clock = clock;
    }

    AbTest create(String workspaceId, AbTestInput.NewTest n) {
        ShortUrl link = links.resolve(workspaceId, n.primaryUrl()).orElseThrow(() ->
                ApiException.validation("primary_url_id", "primary_url_id names no short URL of this workspace"));
        long now = clock.millis();
        AbTest t = new AbTest(UUID.randomUUID().toString(), workspaceId, link.id(), n.name(), n.description(), n.hypothesis(),
                AbTest.DRAFT, n.splitMode(), n.minSampleSize(), n.confidenceLevel(), n.conversionsEnabled(), null, null, null,
                now, now, n.variants());
        store.insert(t);
        return t;
    }

    /** A test by id, or the newest test of the link a short code names; 404 otherwise. */
    AbTest find(String workspaceId, String idOrCode) {
        Optional<AbTest> byId = UUID_SHAPE.matcher(idOrCode).matches()
                ? store.find(workspaceId, idOrCode.toLowerCase(java.util.Locale.ROOT)) : Optional.empty();
        return byId.or(() -> links.resolve(workspaceId, idOrCode).flatMap(l -> store.latestOfLink(workspaceId, l.id())))
                .orElseThrow(() -> ApiException.notFound("A/B test not found"));
    }

    List<AbTest> page(String workspaceId, int limit, int offset) {
        return store.page(workspaceId, limit, offset);
    }

    long count(String workspaceId) {
        return store.count(workspaceId);
    }

    AbTest start(AbTest t) {
        if (t.status().equals(AbTest.COMPLETED)) {
            throw conflict("A completed test cannot be started again");
        }
        if (t.status().equals(AbTest.RUNNING)) {
            return t;
        }
        Optional<String> running = store.runningOn(t.linkId());
        if (running.isPresent() && !running.get().equals(t.id())) {
            throw conflict("Another A/B test is running on this short URL");
        }
        long now = clock.millis();
        store.setStatus(t, AbTest.RUNNING, t.startDate() == null ? now : t.startDate(), null, null, now, true);
        changed(t);
        return store.find(t.workspaceId(), t.id()).orElseThrow();
    }

    AbTest pause(AbTest t) {
        if (!t.status().equals(AbTest.RUNNING)) {
            throw conflict("Only a running test can be paused; this one is " + t.status());
        }
        store.setStatus(t, AbTest.PAUSED, t.startDate(), null, null, clock.millis(), false);
        changed(t);
        return store.find(t.workspaceId(), t.id()).orElseThrow();
    }

    /** Ends the test; the link points at the winner from now on (the named one, else the best). */
    AbTest complete(AbTest t, Optional<String> winnerId) {
        if (t.status().equals(AbTest.COMPLETED)) {
            throw conflict("The test is already completed");
        }
        AbTest.Variant winner = winnerId.map(id -> t.variants().stream().filter(v -> v.id().equals(id)).findFirst()
                        .orElseThrow(() -> ApiException.validation("winner_variant_id", "winner_variant_id is not a variant of this test")))
                .orElseGet(() -> best(t));
        long now = clock.millis();
        store.setStatus(t, AbTest.COMPLETED, t.startDate(), now, winner.id(), now, false);
        ShortUrl link = links.resolve(t.workspaceId(), t.linkId()).orElseThrow(() -> ApiException.notFound("Short URL not found"));
        links.update(link, new LinkUpdate(Optional.of(winner.destinationUrl()), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        changed(t);
        return store.find(t.workspaceId(), t.id()).orElseThrow();
    }

    /** The variant with the highest conversion rate (converted clicks / clicks), then the most clicks, then the earliest. */
    private AbTest.Variant best(AbTest t) {
        Map<String, AbTestStore.Counts> counts = store.counts(t);
        AbTest.Variant best = t.variants().get(0);
        double bestRate = -1;
        long bestClicks = -1;
        for (AbTest.Variant v : t.variants()) {
            AbTestStore.Counts c = counts.getOrDefault(v.id(), AbTestStore.Counts.NONE);
            double rate = c.rate();
            if (rate > bestRate || (rate == bestRate && c.clicks() > bestClicks)) {
                best = v;
                bestRate = rate;
                bestClicks = c.clicks();
            }
        }
        return best;
    }

    private void changed(AbTest t) {
        links.resolve(t.workspaceId(), t.linkId()).ifPresent(smart::testChanged);
    }

    private static ApiException conflict(String message) {
        return new ApiException(409, "CONFLICT", message, null);
    }

    /**
     * Results per variant: clicks, uniques, conversions, converted clicks, rate, uplift against the
     * control and, once every variant has min_sample_size clicks, the z-test. The rate, uplift, test
     * and winner are of converted clicks / clicks, a true proportion: a click with a lead and then a
     * sale converted once (conversion events could exceed the clicks and make no proportion at all).
     */
    Map<String, Object> results(AbTest t) {
        Map<String, AbTestStore.Counts> counts = store.counts(t);
        AbTestStore.Counts control = counts.getOrDefault(t.variants().get(0).id(), AbTestStore.Counts.NONE);
        double controlRate = control.rate();
        boolean reached = t.variants().stream()
                .allMatch(v -> counts.getOrDefault(v.id(), AbTestStore.Counts.NONE).clicks() >= t.minSampleSize());
        double alpha = 1 - t.confidenceLevel() / 100.0;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < t.variants().size(); i++) {
            AbTest.Variant v = t.variants().get(i);
            AbTestStore.Counts c = counts.getOrDefault(v.id(), AbTestStore.Counts.NONE);
            double rate = c.rate();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("variant_id", v.id());
            m.put("name", v.name());
            m.put("is_control", i == 0);
            m.put("traffic_weight", v.weight());
            m.put("clicks", c.clicks());
            m.put("uniques", c.uniques());
            m.put("conversions", c.conversions());
            m.put("converted_clicks", c.convertedClicks());
            m.put("conversion_rate", round(rate * 100));
            m.put("uplift", i == 0 || controlRate == 0 ? null : round((rate - controlRate) / controlRate * 100));
            Double p = i == 0 || !reached ? null
                    : Significance.pValue(control.convertedClicks(), control.clicks(), c.convertedClicks(), c.clicks());
            m.put("p_value", p == null ? null : Math.round(p * 1e6) / 1e6);
            m.put("significant", p != null && p < alpha);
            rows.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("test_id", t.id());
        out.put("status", t.status());
        out.put("min_sample_size", t.minSampleSize());
        out.put("confidence_level", t.confidenceLevel());
        out.put("sample_size_reached", reached);
        out.put("winner_variant_id", t.winnerVariantId());
        out.put("variants", rows);
        return out;
    }

    private static double round(double percent) {
        return Math.round(percent * 100) / 100.0;
    }

    static Map<String, Object> view(AbTest t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("description", t.description());
        m.put("hypothesis", t.hypothesis());
        m.put("primary_url_id", t.linkId());
        m.put("status", t.status());
        m.put("traffic_split_mode", t.splitMode());
        m.put("min_sample_size", t.minSampleSize());
        m.put("confidence_level", t.confidenceLevel());
        m.put("conversions_enabled", t.conversionsEnabled());
        m.put("start_date", Timestamps.formatNullable(t.startDate()));
        m.put("end_date", Timestamps.formatNullable(t.endDate()));
        m.put("winner_variant_id", t.winnerVariantId());
        m.put("created_at", Timestamps.format(t.createdAt()));
        m.put("updated_at", Timestamps.format(t.updatedAt()));
        List<Map<String, Object>> variants = new ArrayList<>();
        for (AbTest.Variant v : t.variants()) {
            Map<String, Object> vm = new LinkedHashMap<>();
            vm.put("id", v.id());
            vm.put("name", v.name());
            vm.put("destination_url", v.destinationUrl());
            vm.put("traffic_weight", v.weight());
            variants.add(vm);
        }
        m.put("variants", variants);
        return m;
    }
}
