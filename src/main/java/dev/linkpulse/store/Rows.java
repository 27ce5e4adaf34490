package dev.linkpulse.store;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Column reads that every JDBC driver answers the same way. */
public final class Rows {

    private Rows() {}

    /** A nullable INTEGER column (sqlite-jdbc refuses {@code getObject(col, Long.class)} on NULL). */
    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /** A nullable INTEGER column as an Integer. */
    public static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
