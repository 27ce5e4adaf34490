package dev.linkpulse.clicks.rollups;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.log.ClickStore;

import dev.linkpulse.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Migration 3: counts the clicks stored before the rollups existed (migration 2) into them, so a
 * store from an earlier version answers its aggregates in full. Reads the log in id order, a few
 * thousand clicks at a time, with progress in the log. A new store has no clicks and skips it.
 */
public final class RollupBackfill implements JavaMigration {

    private static final Logger LOG = LoggerFactory.getLogger(RollupBackfill.class);
    private static final int CHUNK = 5_000;

    private final Dialect dialect;

    public RollupBackfill(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("3");
    }

    @Override
    public String getDescription() {
        return "count earlier clicks into the rollups";
    }

    @Override
    public Integer getChecksum() {
        return 3;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        long total;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM clicks")) {
            rs.next();
            total = rs.getLong(1);
        }
        if (total == 0) {
            return;
        }
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM day_totals")) {
            rs.next();
            if (rs.getLong(1) > 0) {
                return; // written by a build that kept rollups already (between migrations 2 and 3): counted
            }
        }
        LOG.info("Counting {} stored clicks into the daily rollups (once, on upgrade)...", total);
        Rollups rollups = new Rollups(dialect);
        String after = "";
        long done = 0;
        try (PreparedStatement st = connection.prepareStatement(
                // matched_rule and variant_id (migration 14) do not exist yet when this runs; the click mapper reads them.
                "SELECT *, NULL AS matched_rule, NULL AS variant_id FROM clicks WHERE id > ? ORDER BY id LIMIT " + CHUNK)) {
            while (true) {
                st.setString(1, after);
                List<Click> chunk = new ArrayList<>(CHUNK);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        chunk.add(ClickStore.CLICK_WITHOUT_DETAILS.map(rs, null)); // the V2 schema: no V13 columns yet
                    }
                }
                if (chunk.isEmpty()) {
                    break;
                }
                rollups.add(connection, chunk);
                after = chunk.get(chunk.size() - 1).id();
                done += chunk.size();
                if (done % 100_000 < CHUNK || done == total) {
                    LOG.info("Rollups: {} of {} clicks counted ({}%)", done, total, done * 100 / total);
                }
            }
        }
    }
}
