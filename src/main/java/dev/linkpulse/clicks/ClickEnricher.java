package dev.linkpulse.clicks;

/** Turns what the redirect saw into a storable click (implemented in {@code enrich}). */
public interface ClickEnricher {
    Click enrich(ClickEvent event);
}
