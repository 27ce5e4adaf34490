package dev.linkpulse.store;

import java.sql.SQLException;

/** Recognises constraint violations across SQLite and PostgreSQL. */
public final class Constraints {

    private Constraints() {}

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
}
