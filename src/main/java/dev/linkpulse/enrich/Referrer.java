package dev.linkpulse.enrich;

/** Where a click came from: the referring domain (null when none) and its source category. */
public record Referrer(String domain, String source) {}
