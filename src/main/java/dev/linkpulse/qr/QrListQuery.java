package dev.linkpulse.qr;

import java.util.Optional;

/** A validated {@code GET /qr-codes} query. */
record QrListQuery(int page, int limit, String type, Optional<String> search, Optional<Long> createdFrom, String sortBy,
        boolean ascending) {}
