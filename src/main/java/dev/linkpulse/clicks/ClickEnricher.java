package dev.linkpulse.clicks;

/** Turns what the redirect saw into a storable click (implemented in {@code enrich}). */
public interface ClickEnricher {

    Click enrich(ClickEvent event);

    /**
     * Derives what needs the full IP, without waiting for the store: called by the journal thread
     * before the click is written, so the journal need not keep the IP. By default nothing.
     */
    default ClickEvent identify(ClickEvent event) {
        return event;
    }
}
