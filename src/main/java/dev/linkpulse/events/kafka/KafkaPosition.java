package dev.linkpulse.events.kafka;

import java.util.OptionalLong;
import org.jdbi.v3.core.Jdbi;

/**
 * SQL for {@code kafka_position}: how far the click log has been published to a topic, and which
 * process publishes it. The position only ever moves forward, and only by its lease holder, after
 * the broker acknowledged every click up to it.
 */
final class KafkaPosition {

    private final Jdbi jdbi;
    private final String topic;
    private final String owner;

    KafkaPosition(Jdbi jdbi, String topic, String owner) {
        this.jdbi = jdbi;
        this.topic = topic;
        this.owner = owner;
    }

    /**
     * Takes or renews the lease until {@code leaseUntil} and answers the position; empty while another
     * process holds an unexpired lease. The topic's row is made at {@code endOfLog} the first time:
     * turning Kafka on publishes the clicks stored from then on, not the whole history.
     */
    OptionalLong claim(long now, long leaseUntil, long endOfLog) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("INSERT INTO kafka_position (topic, last_seq, owner, lease_until, updated_at) "
                            + "VALUES (:topic, :seq, :owner, :until, :now) ON CONFLICT (topic) DO NOTHING")
                    .bind("topic", topic).bind("seq", endOfLog).bind("owner", owner).bind("until", leaseUntil).bind("now", now)
                    .execute();
            int took = h.createUpdate("UPDATE kafka_position SET owner = :owner, lease_until = :until "
                            + "WHERE topic = :topic AND (owner = :owner OR lease_until < :now)")
                    .bind("topic", topic).bind("owner", owner).bind("until", leaseUntil).bind("now", now).execute();
            if (took != 1) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(h.createQuery("SELECT last_seq FROM kafka_position WHERE topic = :topic")
                    .bind("topic", topic).mapTo(Long.class).one());
        });
    }

    /**
     * Moves the position from {@code from} to {@code to} once the broker acknowledged the clicks in
     * between; false (nothing moved) when this process lost the lease or the position moved meanwhile.
     */
    boolean advance(long from, long to, long now) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE kafka_position SET last_seq = :to, updated_at = :now "
                        + "WHERE topic = :topic AND owner = :owner AND last_seq = :from")
                .bind("topic", topic).bind("owner", owner).bind("to", to).bind("from", from).bind("now", now)
                .execute()) == 1;
    }

    /** The position, for the lag; empty before the first publisher started. */
    OptionalLong read() {
        return jdbi.withHandle(h -> h.createQuery("SELECT last_seq FROM kafka_position WHERE topic = :topic")
                .bind("topic", topic).mapTo(Long.class).findOne()
                .map(OptionalLong::of).orElse(OptionalLong.empty()));
    }

    /** Lets the lease go at a graceful stop, so another process need not wait for it to run out. */
    void release() {
        jdbi.useHandle(h -> h.createUpdate("UPDATE kafka_position SET lease_until = 0 WHERE topic = :topic AND owner = :owner")
                .bind("topic", topic).bind("owner", owner).execute());
    }
}
