package dev.linkpulse.campaigns;

import dev.linkpulse.http.ApiException;
import dev.linkpulse.links.CampaignDirectory;
import dev.linkpulse.links.LinkService;
import dev.linkpulse.links.ShortUrl;
import dev.linkpulse.store.SqlErrors;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/** Campaigns: create, find by id or name, list with their totals, change, delete; and their links. */
public final class CampaignService {

    private static final Pattern UUID_SHAPE =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final Jdbi jdbi;
    private final CampaignStore store;
    private final LinkService links;
    private final Clock clock;

    public CampaignService(Jdbi jdbi, LinkService links, Clock clock) {
        this.jdbi = jdbi;
        this.store = new CampaignStore(jdbi);
        this.links = links;
        this.clock = clock;
    }

    /** How links find campaigns; made before the link service, which the campaign service needs. */
    public static CampaignDirectory directory(Jdbi jdbi) {
        CampaignStore store = new CampaignStore(jdbi);
        return (workspaceId, idOrName) -> find(store, workspaceId, idOrName).map(Campaign::id);
    }

    /** A campaign with its links and their human clicks. */
    public record Counted(Campaign campaign, long urlCount, long totalClicks) {}

    long now() {
        return clock.millis();
    }

    /**
     * The workspace's campaign named by {@code idOrName}: a UUID-shaped value is looked up as an id
     * first, then as a name. Other workspaces' campaigns are never found.
     */
    public Optional<Campaign> resolve(String workspaceId, String idOrName) {
        return find(store, workspaceId, idOrName);
    }

    private static Optional<Campaign> find(CampaignStore store, String workspaceId, String idOrName) {
        if (idOrName.isEmpty() || idOrName.length() > CampaignInput.MAX_NAME * 2) {
            return Optional.empty();
        }
        if (UUID_SHAPE.matcher(idOrName).matches()) {
            Optional<Campaign> byId = store.findById(workspaceId, idOrName.toLowerCase(Locale.ROOT));
            if (byId.isPresent()) {
                return byId;
            }
        }
        return store.findByName(workspaceId, idOrName);
    }

    Campaign create(String workspaceId, CampaignInput.Fields f) {
        long now = clock.millis();
        Campaign c = new Campaign(UUID.randomUUID().toString(), workspaceId, f.name().orElseThrow(),
                f.description().flatMap(d -> d).orElse(null), f.startDate().flatMap(d -> d).orElse(null),
                f.endDate().flatMap(d -> d).orElse(null), f.archived().orElse(false), f.tags().orElse(List.of()), now, now);
        checkDates(c);
        if (!store.insert(c)) {
            throw nameTaken(c.name());
        }
        return c;
    }

    Campaign update(Campaign current, CampaignInput.Fields f) {
        Campaign c = new Campaign(current.id(), current.workspaceId(), f.name().orElse(current.name()),
                f.description().isPresent() ? f.description().get().orElse(null) : current.description(),
                f.startDate().isPresent() ? f.startDate().get().orElse(null) : current.startDate(),
                f.endDate().isPresent() ? f.endDate().get().orElse(null) : current.endDate(),
                f.archived().orElse(current.archived()), f.tags().orElse(current.tags()), current.createdAt(), clock.millis());
        checkDates(c);
        try {
            store.update(c);
        } catch (JdbiException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                throw nameTaken(c.name());
            }
            throw e;
        }
        return c;
    }

    private static void checkDates(Campaign c) {
        if (c.startDate() != null && c.endDate() != null && c.endDate() <= c.startDate()) {
            throw ApiException.validation("end_date", "end_date must be after start_date");
        }
    }

    private static ApiException nameTaken(String name) {
        return new ApiException(409, "NAME_TAKEN", "A campaign named '" + name + "' already exists", Map.of("field", "name"));
    }

    /** Deletes the campaign; its links stay, in no campaign. */
    void delete(Campaign c) {
        jdbi.useTransaction(h -> {
            links.unassignCampaign(h, c.workspaceId(), c.id());
            store.delete(h, c.workspaceId(), c.id());
        });
    }

    CampaignStore.Page list(String workspaceId, CampaignStore.ListQuery q) {
        return store.list(workspaceId, q, clock.millis());
    }

    /** The campaigns with their links and clicks (from the links' click counters). */
    List<Counted> counted(String workspaceId, List<Campaign> campaigns) {
        Map<String, long[]> totals = links.campaignTotals(workspaceId, campaigns.stream().map(Campaign::id).toList());
        return campaigns.stream().map(c -> {
            long[] t = totals.getOrDefault(c.id(), new long[2]);
            return new Counted(c, t[0], t[1]);
        }).toList();
    }

    /** Puts a link of the same workspace into the campaign (out of any other). */
    ShortUrl add(Campaign c, ShortUrl link) {
        return links.assignCampaign(link, c.id());
    }

    /** Takes the link out of the campaign; a 404 when it is not in it. */
    void remove(Campaign c, ShortUrl link) {
        if (!c.id().equals(link.campaignId())) {
            throw ApiException.notFound("Short URL is not in this campaign");
        }
        links.assignCampaign(link, null);
    }

    /** Ids of the campaign's links. */
    List<String> linkIds(Campaign c) {
        return links.idsMatching(c.workspaceId(), Optional.of(c.id()), "id", List.of());
    }
}
