-- Times are epoch milliseconds; ids are lower-case hyphenated UUIDs stored as text.

CREATE TABLE workspaces (
    id          TEXT    PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id            TEXT    PRIMARY KEY,
    workspace_id  TEXT    NOT NULL REFERENCES workspaces (id),
    name          TEXT    NOT NULL,
    key_hash      TEXT    NOT NULL UNIQUE,  -- SHA-256 of the key; the key itself is never stored
    key_prefix    TEXT    NOT NULL,         -- first characters, so a person can tell keys apart
    permissions   TEXT    NOT NULL,         -- comma-separated
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER,
    revoked_at    INTEGER
);

CREATE TABLE short_urls (
    id                TEXT    PRIMARY KEY,
    workspace_id      TEXT    NOT NULL REFERENCES workspaces (id),
    short_code        TEXT    NOT NULL UNIQUE,  -- case-sensitive (BINARY collation)
    is_custom_alias   INTEGER NOT NULL,
    original_url      TEXT    NOT NULL,
    name              TEXT,
    tracking_enabled  INTEGER NOT NULL,
    is_dynamic        INTEGER NOT NULL,
    forward_query     INTEGER NOT NULL,
    disabled          INTEGER NOT NULL DEFAULT 0,
    campaign_id       TEXT,
    expires_at        INTEGER,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX short_urls_workspace_created ON short_urls (workspace_id, created_at DESC);

-- The raw click log: append-only, read newest first.
CREATE TABLE clicks (
    id               TEXT    PRIMARY KEY,   -- UUIDv7: text order is time order
    link_id          TEXT    NOT NULL,
    workspace_id     TEXT    NOT NULL,
    clicked_at       INTEGER NOT NULL,
    destination      TEXT    NOT NULL,
    ip_address       TEXT,                  -- masked unless the operator turned masking off
    user_agent       TEXT,
    referrer         TEXT,
    referrer_domain  TEXT,
    source           TEXT    NOT NULL,
    country          TEXT,
    region           TEXT,
    city             TEXT,
    device_type      TEXT    NOT NULL,
    browser          TEXT,
    os               TEXT,
    traffic_class    TEXT    NOT NULL,
    visitor_hash     TEXT    NOT NULL,
    utm_source       TEXT,
    utm_medium       TEXT,
    utm_campaign     TEXT,
    utm_term         TEXT,
    utm_content      TEXT
);
CREATE INDEX clicks_link_newest      ON clicks (link_id, clicked_at DESC, id DESC);
CREATE INDEX clicks_workspace_newest ON clicks (workspace_id, clicked_at DESC, id DESC);

-- Per-link counters, written in the same transaction as the click rows they count.
CREATE TABLE link_counters (
    link_id          TEXT    PRIMARY KEY,
    workspace_id     TEXT    NOT NULL,
    clicks_stored    INTEGER NOT NULL DEFAULT 0,  -- rows in the click log
    clicks_human     INTEGER NOT NULL DEFAULT 0,
    clicks_bot       INTEGER NOT NULL DEFAULT 0,
    clicks_preview   INTEGER NOT NULL DEFAULT 0,
    last_clicked_at  INTEGER
);
CREATE INDEX link_counters_workspace ON link_counters (workspace_id);

-- Salts for the visitor hash, one per UTC day; old ones are deleted so hashes cannot be recomputed.
CREATE TABLE visitor_salts (
    day   TEXT PRIMARY KEY,  -- yyyy-MM-dd (UTC)
    salt  BLOB NOT NULL
);
