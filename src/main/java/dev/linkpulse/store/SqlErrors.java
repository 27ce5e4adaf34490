package dev.linkpulse.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Reads what went wrong in the store, the same way for SQLite and PostgreSQL. */
public final class SqlErrors {

    private SqlErrors() {}

    /** True when {@code e} (or a cause) is a unique-constraint violation. */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String message = String.valueOf(sql.getMessage());
                if ("23505".equals(sql.getSQLState()) || message.contains("UNIQUE constraint failed")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * True when the store could not be reached or is busy (no connection, server shutting down,
     * lock wait exceeded): a condition to retry later, not a bug.
     */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = String.valueOf(sql.getSQLState());
                String message = String.valueOf(sql.getMessage());
                if (state.startsWith("08") || state.startsWith("57P") || state.equals("55P03")
                        || message.contains("SQLITE_BUSY") || message.contains("database is locked")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * True when the store refused the data itself (a NOT NULL, CHECK or foreign-key constraint, a
     * value of the wrong type or size): the same rows will fail the same way however often they are
     * tried. Never true for an unavailable store or a full disk.
     */
    public static boolean isRejectedData(Throwable e) {
        if (isUnavailable(e)) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = String.valueOf(sql.getSQLState());
                String message = String.valueOf(sql.getMessage());
                if (state.startsWith("22") || state.startsWith("23")
                        || message.contains("SQLITE_CONSTRAINT") || message.contains("SQLITE_MISMATCH")
                        || message.contains("SQLITE_TOOBIG")) {
                    return true;
                }
            }
        }
        return false;
    }
}
