package dev.linkpulse.campaigns;

import java.util.List;

/**
 * A campaign as stored. Times are epoch milliseconds; {@code endDate} is exclusive (a bare end date
 * means that whole day) and either date may be null.
 */
public record Campaign(
        String id,
        String workspaceId,
        String name,
        String description,
        Long startDate,
        Long endDate,
        boolean archived,
        List<String> tags,
        long createdAt,
        long updatedAt) {

    public enum Status { ACTIVE, SCHEDULED, ENDED, ARCHIVED }

    /** The status its dates give it at {@code now} (spec §6.4): only "archived" is stored. */
    public Status statusAt(long now) {
        if (archived) {
            return Status.ARCHIVED;
        }
        if (startDate != null && startDate > now) {
            return Status.SCHEDULED;
        }
        if (endDate != null && endDate <= now) {
            return Status.ENDED;
        }
        return Status.ACTIVE;
    }
}
