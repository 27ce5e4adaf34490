package dev.linkpulse.enrich;

import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickEnricher;
import dev.linkpulse.clicks.ClickEvent;
import dev.linkpulse.clicks.IpDerived;
import dev.linkpulse.common.IpAddresses;
import java.net.InetAddress;

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
    public ClickEvent identify(ClickEvent e) {
        if (e.clientIp() == null || e.derived() != null) {
            return e;
        }
        return e.withDerived(derive(e, visitors.hashIfSaltAtHand(e.clientIp(), e.userAgent(), e.clickedAt()).orElse(null)));
    }

    private IpDerived derive(ClickEvent e, String visitorHash) {
        InetAddress ip = IpAddresses.parse(e.clientIp()).orElse(null);
        Geo where = ip == null ? Geo.UNKNOWN : geo.locate(ip);
        return new IpDerived(ip == null ? null : IpMasker.mask(ip), where.country(), where.region(), where.city(), visitorHash,
                where.timezone());
    }

    @Override
    public Click enrich(ClickEvent e) {
        IpDerived d = e.derived() != null ? e.derived() : derive(e, null);
        String visitor = d.visitorHash();
        if (visitor == null) {
            visitor = e.clientIp() != null || d.maskedIp() == null
                    ? visitors.hash(e.clientIp(), e.userAgent(), e.clickedAt())
                    // Journaled without a hash by a process that crashed: its IP is gone, the masked one is the best left.
                    : visitors.hashMasked(d.maskedIp(), e.userAgent(), e.clickedAt());
        }
        Device device = userAgents.classify(e.userAgent());
        Referrer referrer = ReferrerClassifier.classify(e.referrer(), e.utm());
        return new Click(e.id(), e.linkId(), e.workspaceId(), e.clickedAt(), e.destination(), d.maskedIp(),
                e.userAgent(), e.referrer(), referrer.domain(), referrer.source(),
                d.country(), d.region(), d.city(),
                device.deviceType(), device.browser(), device.os(), device.trafficClass(), visitor, e.utm(),
                d.timezone(), device.brand(), device.model(), device.browserVersion(), device.osVersion(), e.matchedRule(), e.variantId());
    }
}
