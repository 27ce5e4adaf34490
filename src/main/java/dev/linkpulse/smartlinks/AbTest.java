package dev.linkpulse.smartlinks;

import java.util.List;

/** An A/B test of a link (spec §6.6). Times are epoch milliseconds; variant 0 is the control. */
public record AbTest(String id, String workspaceId, String linkId, String name, String description, String hypothesis, String status,
        String splitMode, long minSampleSize, int confidenceLevel, boolean conversionsEnabled, Long startDate, Long endDate,
        String winnerVariantId, long createdAt, long updatedAt, List<Variant> variants) {

    record Variant(String id, String name, String destinationUrl, int weight) {}

    static final String DRAFT = "draft";
    static final String RUNNING = "running";
    static final String PAUSED = "paused";
    static final String COMPLETED = "completed";
}
