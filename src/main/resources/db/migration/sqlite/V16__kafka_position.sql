-- The Kafka click stream (issue 18): how far the click log has been published to each topic. Every
-- click with seq <= last_seq has been acknowledged by the broker. The row of a topic is made when a
-- process first publishes to it, at the then end of the log: turning Kafka on publishes from then on.
-- owner/lease_until: the one process (of several on PostgreSQL) that publishes; another takes over
-- once the lease has run out.
CREATE TABLE kafka_position (
    topic        TEXT    PRIMARY KEY,
    last_seq     INTEGER NOT NULL,
    owner        TEXT    NOT NULL,
    lease_until  INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
