package dev.linkpulse.store;

/** The two stores, and the little SQL that differs between them. */
public enum Dialect {
    SQLITE(""),
    POSTGRESQL(" FOR SHARE");

    private final String lockRowsForShare;

    Dialect(String lockRowsForShare) {
        this.lockRowsForShare = lockRowsForShare;
    }

    /**
     * Appended to a SELECT to keep the rows read from being deleted until the transaction ends.
     * SQLite needs nothing: its writers are serialised.
     */
    public String lockRowsForShare() {
        return lockRowsForShare;
    }
}
