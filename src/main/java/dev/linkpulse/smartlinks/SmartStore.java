package dev.linkpulse.smartlinks;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.linkpulse.http.Json;
import dev.linkpulse.store.Rows;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** SQL for the {@code smart_links} table and the {@code short_urls.smart} flag it drives. */
final class SmartStore {

    private final Jdbi jdbi;
    private final RulesInput rulesInput;

    private final AbTestStore tests;

    SmartStore(Jdbi jdbi, RulesInput rulesInput) {
        this.jdbi = jdbi;
        this.tests = new AbTestStore(jdbi);
        this.rulesInput = rulesInput;
    }

    Optional<SmartSettings> find(String linkId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM smart_links WHERE link_id = :id")
                .bind("id", linkId)
                .map((rs, ctx) -> {
                    Long max = Rows.nullableLong(rs, "max_clicks");
                    long used = rs.getLong("used_clicks");
                    return new SmartSettings(rs.getString("link_id"), rs.getString("workspace_id"),
                            rules(rs.getString("rules")), max, used, rs.getString("fallback_url"), rs.getString("password_hash"),
                            rs.getBoolean("conversion_tracking"), rs.getString("ab_test_id"), List.of(),
                            new AtomicBoolean(max != null && used >= max));
                })
                .findOne()
                .map(s -> s.testId() == null ? s : new SmartSettings(s.linkId(), s.workspaceId(), s.rules(), s.maxClicks(),
                        s.usedClicks(), s.fallbackUrl(), s.passwordHash(), s.conversionTracking(), s.testId(),
                        tests.variants(h, s.testId()), s.exhausted())));
    }

    private List<Rule> rules(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return rulesInput.parseRules(Json.MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("smart_links.rules is not JSON", e);
        }
    }

    /** Stores the rules (null removes them) and sets the link's smart flag to match its row. */
    void putRules(String linkId, String workspaceId, List<Rule> rules, long now) {
        String json = rules.isEmpty() ? null : toJson(rules);
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                    INSERT INTO smart_links (link_id, workspace_id, rules, updated_at) VALUES (:id, :ws, :rules, :now)
                    ON CONFLICT (link_id) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at""")
                    .bind("id", linkId).bind("ws", workspaceId).bind("rules", json).bind("now", now).execute();
            syncFlag(h, linkId);
        });
    }

    /**
     * Sets the click limit: {@code maxClicks} null removes it. The count of used clicks stays, so
     * raising a limit lets exactly the difference through.
     */
    void putLimit(String linkId, String workspaceId, Long maxClicks, String fallbackUrl, long now) {
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                    INSERT INTO smart_links (link_id, workspace_id, max_clicks, fallback_url, updated_at)
                    VALUES (:id, :ws, :max, :fallback, :now)
                    ON CONFLICT (link_id) DO UPDATE SET max_clicks = excluded.max_clicks,
                        fallback_url = excluded.fallback_url, updated_at = excluded.updated_at""")
                    .bind("id", linkId).bind("ws", workspaceId).bind("max", maxClicks).bind("fallback", fallbackUrl)
                    .bind("now", now).execute();
            syncFlag(h, linkId);
        });
    }

    void putConversionTracking(String linkId, String workspaceId, boolean on, long now) {
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                    INSERT INTO smart_links (link_id, workspace_id, conversion_tracking, updated_at) VALUES (:id, :ws, :on, :now)
                    ON CONFLICT (link_id) DO UPDATE SET conversion_tracking = excluded.conversion_tracking,
                        updated_at = excluded.updated_at""")
                    .bind("id", linkId).bind("ws", workspaceId).bind("on", on).bind("now", now).execute();
            syncFlag(h, linkId);
        });
    }

    /** Sets the password's hash; null removes the password. */
    void putPassword(String linkId, String workspaceId, String hash, long now) {
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                    INSERT INTO smart_links (link_id, workspace_id, password_hash, updated_at) VALUES (:id, :ws, :hash, :now)
                    ON CONFLICT (link_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at""")
                    .bind("id", linkId).bind("ws", workspaceId).bind("hash", hash).bind("now", now).execute();
            syncFlag(h, linkId);
        });
    }

    static void syncFlag(Handle h, String linkId) {
        h.createUpdate("""
                UPDATE short_urls SET smart = EXISTS (SELECT 1 FROM smart_links
                    WHERE link_id = :id AND (rules IS NOT NULL OR max_clicks IS NOT NULL OR password_hash IS NOT NULL
                        OR ab_test_id IS NOT NULL OR conversion_tracking))
                WHERE id = :id""").bind("id", linkId).execute();
    }

    /**
     * Takes one click of the limit: true when it was still under it. One atomic UPDATE, so clicks of
     * every process sharing the store are counted exactly (each process asks the store per click).
     */
    boolean consume(String linkId) {
        return jdbi.withHandle(h -> h.createUpdate(
                "UPDATE smart_links SET used_clicks = used_clicks + 1 WHERE link_id = :id AND used_clicks < max_clicks")
                .bind("id", linkId).execute()) == 1;
    }

    void giveBack(String linkId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE smart_links SET used_clicks = used_clicks - 1 WHERE link_id = :id AND used_clicks > 0")
                .bind("id", linkId).execute());
    }

    private static String toJson(List<Rule> rules) {
        try {
            return Json.MAPPER.writeValueAsString(RulesInput.view(rules));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes a deleted link's rows, tests and conversions (PostgreSQL cascades; SQLite does not enforce the foreign keys). */
    void delete(String linkId) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM smart_links WHERE link_id = :id").bind("id", linkId).execute();
            h.createUpdate("DELETE FROM conversions WHERE link_id = :id").bind("id", linkId).execute();
            h.createUpdate("DELETE FROM ab_variants WHERE test_id IN (SELECT id FROM ab_tests WHERE link_id = :id)")
                    .bind("id", linkId).execute();
            h.createUpdate("DELETE FROM ab_tests WHERE link_id = :id").bind("id", linkId).execute();
        });
    }
}
