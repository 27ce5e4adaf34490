-- Webhook subscriptions (spec §6.7): who gets which events where, signed with the subscription's secret.
-- failing_since: when deliveries started failing without a success since; disabled_at/_reason once
-- they had failed for 3 days.
CREATE TABLE webhook_subscriptions (
    id               TEXT    PRIMARY KEY,
    workspace_id     TEXT    NOT NULL,
    event_type       TEXT    NOT NULL,
    target_url       TEXT    NOT NULL,
    short_code       TEXT,
    link_id          TEXT,
    filters          TEXT,
    secret           TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    failing_since    INTEGER,
    disabled_at      INTEGER,
    disabled_reason  TEXT
);
CREATE INDEX webhook_subscriptions_workspace ON webhook_subscriptions (workspace_id, created_at);

-- Every message to send, kept until delivered or given up on: the outbox and the delivery log in one.
-- The id is the webhook-id header, the same on every attempt. next_attempt_at doubles as a lease:
-- a sender claims a delivery by moving it forward.
CREATE TABLE webhook_deliveries (
    id                TEXT    PRIMARY KEY,
    subscription_id   TEXT    NOT NULL,
    workspace_id      TEXT    NOT NULL,
    event             TEXT    NOT NULL,
    payload           TEXT    NOT NULL,
    status            TEXT    NOT NULL,   -- pending | delivered | failed
    attempts          INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    next_attempt_at   INTEGER NOT NULL,
    retry_until       INTEGER NOT NULL,   -- given up (failed) after a failed attempt past this
    last_attempt_at   INTEGER,
    last_status_code  INTEGER,
    last_error        TEXT,
    delivered_at      INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, created_at DESC);

-- How far the click log has been turned into deliveries: every click with seq <= last_seq has been.
-- Starts at the current end of the log: subscriptions see clicks stored after they exist.
CREATE TABLE webhook_position (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq  INTEGER NOT NULL
);
INSERT INTO webhook_position (id, last_seq) SELECT 1, last FROM click_sequence;
