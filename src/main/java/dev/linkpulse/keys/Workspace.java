package dev.linkpulse.keys;

/** A tenant: every link, click and key belongs to exactly one. */
public record Workspace(String id, String name, long createdAt) {}
