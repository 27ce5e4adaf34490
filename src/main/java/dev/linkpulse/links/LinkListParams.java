package dev.linkpulse.links;

import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.QueryParams;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;

/** Reads the query of {@code GET /api/v1/short-urls} (spec §3); both spellings of the dates. */
public final class LinkListParams {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private LinkListParams() {}

    public static LinkListQuery parse(Context ctx) {
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
        return new LinkListQuery(page, limit, sort, order.equals("asc"), search, status, from, before,
                campaign(ctx), campaignField(ctx), tags(ctx), urlType(ctx));
    }

    /** The {@code campaign_id} (or {@code campaignId}) filter as given: a campaign's UUID or name. */
    public static Optional<String> campaign(Context ctx) {
        String a = QueryParams.single(ctx, "campaign_id");
        String b = QueryParams.single(ctx, "campaignId");
        if (a != null && b != null && !a.equals(b)) {
            throw ApiException.validation("campaign_id", "campaign_id and campaignId disagree");
        }
        String raw = a != null ? a : b;
        String field = a != null ? "campaign_id" : "campaignId";
        if (raw == null || raw.isEmpty()) {
            return Optional.empty();
        }
        if (raw.length() > 100 || raw.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.validation(field, field + " must be a campaign's id or name (1 to 100 characters)");
        }
        return Optional.of(raw);
    }

    /** The spelling the campaign filter came in: {@code campaignId} when only that one is given. */
    public static String campaignField(Context ctx) {
        return ctx.queryParam("campaign_id") == null && ctx.queryParam("campaignId") != null ? "campaignId" : "campaign_id";
    }

    /** The {@code url_type} (or {@code urlType}) filter: standard, subdomain or branded. */
    static Optional<String> urlType(Context ctx) {
        String a = QueryParams.single(ctx, "url_type");
        String b = QueryParams.single(ctx, "urlType");
        String field = a != null ? "url_type" : "urlType";
        String raw = a != null ? a : b;
        if (a != null && b != null && !a.equals(b)) {
            throw ApiException.validation("url_type", "url_type and urlType disagree");
        }
        if (raw == null || raw.isEmpty()) {
            return Optional.empty();
        }
        if (!raw.equals(ShortUrl.STANDARD) && !raw.equals(ShortUrl.SUBDOMAIN) && !raw.equals(ShortUrl.BRANDED)) {
            throw ApiException.validation(field, field + " must be one of: standard, subdomain, branded");
        }
        return Optional.of(raw);
    }

    /** The {@code tags} filter: comma-separated, links with any of them. */
    public static java.util.List<String> tags(Context ctx) {
        String raw = QueryParams.single(ctx, "tags");
        if (raw != null && raw.length() > 2_000) {
            throw ApiException.validation("tags", "tags must be at most 2000 characters");
        }
        return Tags.ofList(raw, "tags");
    }

    /** jmpy's camelCase values of {@code sortBy}. */
    private static final java.util.Map<String, String> SORT_SPELLINGS = java.util.Map.of(
            "createdAt", "created_at", "shortCode", "short_code", "clickCount", "clicks", "click_count", "clicks");

    /**
     * Filters of features this server lacks (campaigns, domains): refused, never ignored, so a
     * client filtering by campaign does not take every link for its campaign's (spec §6.1).
     */
    private static void refuseUnsupported(Context ctx) {
        String domain = QueryParams.single(ctx, "branded_domain", "brandedDomain");
        if (domain != null && !domain.isEmpty()) {
            throw ApiException.validation("branded_domain", "branded_domain is not supported as a list filter; use url_type",
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
