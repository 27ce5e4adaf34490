package dev.linkpulse.links;

import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.QueryParams;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;

/** Reads the query of {@code GET /api/v1/short-urls} (spec §3); both spellings of the dates. */
final class LinkListParams {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private LinkListParams() {}

    static LinkListQuery parse(Context ctx) {
        int page = (int) QueryParams.integer(ctx, "page", 1, 1, 1_000_000);
        int limit = (int) QueryParams.integer(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        String rawSort = QueryParams.single(ctx, "sort", "sortBy");
        LinkListQuery.Sort sort = rawSort == null ? LinkListQuery.Sort.CREATED_AT
                : parseEnum("sort", SORT_SPELLINGS.getOrDefault(rawSort, rawSort), LinkListQuery.Sort.class);
        String order = Optional.ofNullable(QueryParams.single(ctx, "order", "sortOrder"))
                .map(o -> o.toLowerCase(Locale.ROOT)).orElse("desc");
        if (!order.equals("asc") && !order.equals("desc")) {
            throw ApiException.validation("order", "order must be asc or desc");
        }
        Optional<String> search = Optional.ofNullable(QueryParams.single(ctx, "search")).filter(s -> !s.isEmpty());
        if (search.isPresent() && search.get().length() > 200) {
            throw ApiException.validation("search", "search must be at most 200 characters");
        }
        Optional<LinkListQuery.Status> status = Optional.ofNullable(QueryParams.single(ctx, "status"))
                .map(v -> parseEnum("status", v, LinkListQuery.Status.class));
        Optional<Long> from = QueryParams.date(ctx, "start_date", "startDate", false);
        Optional<Long> before = QueryParams.date(ctx, "end_date", "endDate", true);
        if (from.isPresent() && before.isPresent() && from.get() >= before.get()) {
            throw ApiException.validation("end_date", "end_date must be after start_date");
        }
        refuseUnsupported(ctx);
        return new LinkListQuery(page, limit, sort, order.equals("asc"), search, status, from, before);
    }

    /** jmpy's camelCase values of {@code sortBy}. */
    private static final java.util.Map<String, String> SORT_SPELLINGS = java.util.Map.of(
            "createdAt", "created_at", "shortCode", "short_code", "clickCount", "clicks", "click_count", "clicks");

    /**
     * Filters of features this server lacks (campaigns, domains): refused, never ignored, so a
     * client filtering by campaign does not take every link for its campaign's (spec §6.1).
     */
    private static void refuseUnsupported(Context ctx) {
        String campaign = QueryParams.single(ctx, "campaign_id", "campaignId");
        if (campaign != null && !campaign.isEmpty()) {
            throw ApiException.validation("campaign_id", "campaign_id is not supported by this server yet",
                    java.util.Map.of("reason", "not_supported"));
        }
        String type = QueryParams.single(ctx, "url_type", "urlType");
        if (type != null && !type.isEmpty() && !type.equals("standard") && !type.equals("all")) {
            throw ApiException.validation("url_type", "url_type " + type + " is not supported by this server yet",
                    java.util.Map.of("reason", "not_supported"));
        }
        String domain = QueryParams.single(ctx, "branded_domain", "brandedDomain");
        if (domain != null && !domain.isEmpty()) {
            throw ApiException.validation("branded_domain", "branded_domain is not supported by this server yet",
                    java.util.Map.of("reason", "not_supported"));
        }
    }

    private static <E extends Enum<E>> E parseEnum(String name, String raw, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(raw)) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.isEmpty() ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw ApiException.validation(name, name + " must be one of: " + allowed);
    }
}
