package dev.linkpulse.links;

import java.util.List;
import java.util.Optional;

/**
 * What {@code GET /api/v1/short-urls} asks for, already checked. {@code campaign} is the campaign
 * as named (id or name), {@code campaignField} the spelling it came in (for errors); {@code tags} match
 * links with any of them.
 */
public record LinkListQuery(
        int page,
        int limit,
        Sort sort,
        boolean ascending,
        Optional<String> search,
        Optional<Status> status,
        Optional<Long> createdFrom,
        Optional<Long> createdBefore,
        Optional<String> campaign,
        String campaignField,
        List<String> tags,
        Optional<String> urlType) {

    public enum Sort { CREATED_AT, CLICKS, NAME, SHORT_CODE }

    public enum Status { ACTIVE, EXPIRED, DISABLED }

    public long offset() {
        return (long) (page - 1) * limit;
    }

    /** The same query for one campaign's links (by its id). */
    public LinkListQuery inCampaign(String campaignId) {
        return new LinkListQuery(page, limit, sort, ascending, search, status, createdFrom, createdBefore,
                Optional.of(campaignId), campaignField, tags, urlType);
    }
}
