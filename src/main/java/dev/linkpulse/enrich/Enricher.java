package dev.linkpulse.enrich;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickEnricher;
import dev.linkpulse.clicks.ClickEvent;
import dev.linkpulse.common.IpAddresses;
import java.net.InetAddress;
import java.util.Optional;

/** Derives everything a click records from what the redirect saw (spec §2, "What a click records"). */
public final class Enricher implements ClickEnricher {

    private final GeoLocator geo;
    private final UserAgentClassifier userAgents;
    private final VisitorHasher visitors;

    public Enricher(GeoLocator geo, UserAgentClassifier userAgents, VisitorHasher visitors) {
        this.geo = geo;
        this.userAgents = userAgents;
        this.visitors = visitors;
    }

    @Override
    public Click enrich(ClickEvent e) {
        Optional<InetAddress> ip = IpAddresses.parse(e.clientIp());
        Geo where = ip.map(geo::locate).orElse(Geo.UNKNOWN);
        String maskedIp = ip.map(IpMasker::mask).orElse(null);
        Device device = userAgents.classify(e.userAgent());
        Referrer referrer = ReferrerClassifier.classify(e.referrer(), e.utm());
        String visitor = visitors.hash(e.clientIp(), e.userAgent(), e.clickedAt());
        return new Click(e.id(), e.linkId(), e.workspaceId(), e.clickedAt(), e.destination(), maskedIp,
                e.userAgent(), e.referrer(), referrer.domain(), referrer.source(),
                where.country(), where.region(), where.city(),
                device.deviceType(), device.browser(), device.os(), device.trafficClass(), visitor, e.utm());
    }
}
