package dev.linkpulse.clicks;

import java.util.List;
import java.util.Optional;

/**
 * Which clicks a question is about: one workspace, optionally one link, a time range
 * ({@code from} inclusive, {@code to} exclusive, epoch ms) and the common filters of spec §4.
 * An empty {@code traffic} means every class. {@code linkIds}, when present, narrows to those links
 * (a campaign's or a tag's: issue 16); an empty list matches nothing. {@code trigger} narrows to
 * plain clicks or QR scans (issue 15); those questions read raw rows, the rollups do not tell them apart.
 */
public record ClickFilter(
        String workspaceId,
        Optional<String> linkId,
        Optional<Long> from,
        Optional<Long> to,
        Optional<String> country,
        Optional<String> city,
        Optional<String> deviceType,
        Optional<String> browser,
        Optional<String> os,
        Optional<String> referrerDomain,
        Optional<String> source,
        Optional<TrafficClass> traffic,
        Optional<List<String>> linkIds,
        Trigger trigger) {

    public ClickFilter(String workspaceId, Optional<String> linkId, Optional<Long> from, Optional<Long> to,
            Optional<String> country, Optional<String> city, Optional<String> deviceType, Optional<String> browser,
            Optional<String> os, Optional<String> referrerDomain, Optional<String> source, Optional<TrafficClass> traffic,
            Optional<List<String>> linkIds) {
        this(workspaceId, linkId, from, to, country, city, deviceType, browser, os, referrerDomain, source, traffic, linkIds,
                Trigger.ALL);
    }

    public ClickFilter(String workspaceId, Optional<String> linkId, Optional<Long> from, Optional<Long> to,
            Optional<String> country, Optional<String> city, Optional<String> deviceType, Optional<String> browser,
            Optional<String> os, Optional<String> referrerDomain, Optional<String> source, Optional<TrafficClass> traffic) {
        this(workspaceId, linkId, from, to, country, city, deviceType, browser, os, referrerDomain, source, traffic,
                Optional.empty());
    }

    public static ClickFilter of(String workspaceId) {
        return new ClickFilter(workspaceId, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** Narrowed to these links (sorted, so equal sets make equal filters). */
    public ClickFilter withLinks(List<String> ids) {
        return new ClickFilter(workspaceId, linkId, from, to, country, city, deviceType, browser, os,
                referrerDomain, source, traffic, Optional.of(ids.stream().sorted().distinct().toList()), trigger);
    }

    public ClickFilter withLink(String id) {
        return new ClickFilter(workspaceId, Optional.of(id), from, to, country, city, deviceType, browser, os,
                referrerDomain, source, traffic, linkIds, trigger);
    }

    /** This filter's link restriction on another filter's workspace (and nothing else). */
    public ClickFilter withLinkOf(ClickFilter other) {
        ClickFilter f = other.linkId().map(this::withLink).orElse(this);
        return other.linkIds().map(f::withLinks).orElse(f);
    }

    /** True when nothing narrows the workspace or link: every click of it matches. */
    public boolean isUnfiltered() {
        return from.isEmpty() && to.isEmpty() && country.isEmpty() && city.isEmpty() && deviceType.isEmpty()
                && browser.isEmpty() && os.isEmpty() && referrerDomain.isEmpty() && source.isEmpty() && traffic.isEmpty()
                && linkIds.isEmpty() && trigger == Trigger.ALL;
    }

    /** Narrowed to plain clicks, QR scans, or both (issue 15). */
    public ClickFilter withTrigger(Trigger newTrigger) {
        return new ClickFilter(workspaceId, linkId, from, to, country, city, deviceType, browser, os,
                referrerDomain, source, traffic, linkIds, newTrigger);
    }

    public ClickFilter withRange(Optional<Long> newFrom, Optional<Long> newTo) {
        return new ClickFilter(workspaceId, linkId, newFrom, newTo, country, city, deviceType, browser, os,
                referrerDomain, source, traffic, linkIds, trigger);
    }

    public ClickFilter withTraffic(Optional<TrafficClass> newTraffic) {
        return new ClickFilter(workspaceId, linkId, from, to, country, city, deviceType, browser, os,
                referrerDomain, source, newTraffic, linkIds, trigger);
    }
}
