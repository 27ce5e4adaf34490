package dev.linkpulse.links;

import java.util.Optional;

/** What {@code GET /api/v1/short-urls} asks for, already checked. */
public record LinkListQuery(
        int page,
        int limit,
        Sort sort,
        boolean ascending,
        Optional<String> search,
        Optional<Status> status,
        Optional<Long> createdFrom,
        Optional<Long> createdBefore) {

    public enum Sort { CREATED_AT, CLICKS, NAME, SHORT_CODE }

    public enum Status { ACTIVE, EXPIRED, DISABLED }

    public long offset() {
        return (long) (page - 1) * limit;
    }
}
