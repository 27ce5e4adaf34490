package dev.linkpulse.analytics;

import dev.linkpulse.clicks.ClickFilter;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.keys.ApiKey;
import dev.linkpulse.links.LinkListParams;
import dev.linkpulse.links.LinkService;
import dev.linkpulse.links.ShortUrl;
import io.javalin.http.Context;
import java.util.Optional;

/** The clicks a request asks about: its filters, narrowed to the link its path names, if any. */
record Scope(ClickFilter filter, Optional<ShortUrl> link) {

    static Scope of(Context ctx, ApiKey key, LinkService links, Optional<TrafficClass> defaultTraffic) {
        ClickFilter f = AnalyticsParams.filter(ctx, key.workspaceId(), defaultTraffic);
        // A campaign or tags narrow to a set of links, answered from those links' rollups (issue 16).
        Optional<String> campaign = LinkListParams.campaign(ctx);
        java.util.List<String> tags = LinkListParams.tags(ctx);
        if (campaign.isPresent() || !tags.isEmpty()) {
            f = f.withLinks(links.idsMatching(key.workspaceId(), campaign,
                    LinkListParams.campaignField(ctx), tags));
        }
        String id = ctx.pathParamMap().get("shortUrlId");
        if (id == null) {
            return new Scope(f, Optional.empty());
        }
        ShortUrl link = links.resolve(key.workspaceId(), id).orElseThrow(() -> ApiException.notFound("Short URL not found"));
        return new Scope(f.withLink(link.id()), Optional.of(link));
    }
}
