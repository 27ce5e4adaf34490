-- A/B tests (issue 17, spec §6.6): a test splits a link's clicks between its variants.
CREATE TABLE ab_tests (
    id                  TEXT    PRIMARY KEY,
    workspace_id        TEXT    NOT NULL,
    link_id             TEXT    NOT NULL REFERENCES short_urls (id) ON DELETE CASCADE,
    name                TEXT    NOT NULL,
    description         TEXT,
    hypothesis          TEXT,
    status              TEXT    NOT NULL,   -- draft | running | paused | completed
    traffic_split_mode  TEXT    NOT NULL,   -- equal | weighted
    min_sample_size     BIGINT  NOT NULL,
    confidence_level    INTEGER NOT NULL,
    conversions_enabled BOOLEAN NOT NULL,
    start_date          BIGINT,
    end_date            BIGINT,
    winner_variant_id   TEXT,
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL
);
CREATE INDEX ab_tests_workspace ON ab_tests (workspace_id, created_at DESC);
CREATE INDEX ab_tests_link ON ab_tests (link_id);

CREATE TABLE ab_variants (
    id              TEXT    PRIMARY KEY,
    test_id         TEXT    NOT NULL REFERENCES ab_tests (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,   -- 0 is the control
    name            TEXT    NOT NULL,
    destination_url TEXT    NOT NULL,
    traffic_weight  INTEGER NOT NULL
);
CREATE INDEX ab_variants_test ON ab_variants (test_id, position);

-- Conversions (Dub's model): an event tied to a click of the same workspace.
CREATE TABLE conversions (
    id            TEXT    PRIMARY KEY,
    workspace_id  TEXT    NOT NULL,
    link_id       TEXT    NOT NULL REFERENCES short_urls (id) ON DELETE CASCADE,
    click_id      TEXT    NOT NULL,
    variant_id    TEXT,
    event         TEXT    NOT NULL,   -- lead | signup | sale
    amount_minor  BIGINT,             -- amount in hundredths (cents), null when not given
    currency      TEXT,
    external_id   TEXT,
    created_at    BIGINT  NOT NULL
);
CREATE UNIQUE INDEX conversions_external ON conversions (workspace_id, external_id);
CREATE INDEX conversions_link ON conversions (link_id);

ALTER TABLE smart_links ADD COLUMN conversion_tracking BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE smart_links ADD COLUMN ab_test_id TEXT;  -- the running test, null when none

-- Which A/B test variant a click was sent to, null when none.
ALTER TABLE clicks ADD COLUMN variant_id TEXT;
