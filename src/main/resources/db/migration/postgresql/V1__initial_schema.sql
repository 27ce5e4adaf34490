-- Same tables and meaning as the SQLite schema; times are epoch milliseconds, ids text UUIDs.
-- Ids compare bytewise (COLLATE "C"): the same order as SQLite, and no locale work in index upkeep.

CREATE TABLE workspaces (
    id          TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE api_keys (
    id            TEXT COLLATE "C" PRIMARY KEY,
    workspace_id  TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id),
    name          TEXT    NOT NULL,
    key_hash      TEXT    NOT NULL UNIQUE,
    key_prefix    TEXT    NOT NULL,
    permissions   TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    expires_at    BIGINT,
    revoked_at    BIGINT
);

CREATE TABLE short_urls (
    id                TEXT COLLATE "C" PRIMARY KEY,
    workspace_id      TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id),
    short_code        TEXT    COLLATE "C" NOT NULL UNIQUE,  -- case-sensitive, byte order like SQLite
    is_custom_alias   BOOLEAN NOT NULL,
    original_url      TEXT    NOT NULL,
    name              TEXT,
    tracking_enabled  BOOLEAN NOT NULL,
    is_dynamic        BOOLEAN NOT NULL,
    forward_query     BOOLEAN NOT NULL,
    disabled          BOOLEAN NOT NULL DEFAULT FALSE,
    campaign_id       TEXT,
    expires_at        BIGINT,
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL
);
CREATE INDEX short_urls_workspace_created ON short_urls (workspace_id, created_at DESC);

CREATE TABLE clicks (
    id               TEXT COLLATE "C" PRIMARY KEY,  -- UUIDv7: byte order is time order
    link_id          TEXT COLLATE "C" NOT NULL,
    workspace_id     TEXT COLLATE "C" NOT NULL,
    clicked_at       BIGINT  NOT NULL,
    destination      TEXT    NOT NULL,
    ip_address       TEXT,
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
    visitor_hash     TEXT COLLATE "C" NOT NULL,
    utm_source       TEXT,
    utm_medium       TEXT,
    utm_campaign     TEXT,
    utm_term         TEXT,
    utm_content      TEXT
);
CREATE INDEX clicks_link_newest      ON clicks (link_id, clicked_at DESC, id DESC);
CREATE INDEX clicks_workspace_newest ON clicks (workspace_id, clicked_at DESC, id DESC);

CREATE TABLE link_counters (
    link_id          TEXT COLLATE "C" PRIMARY KEY,
    workspace_id     TEXT COLLATE "C" NOT NULL,
    clicks_stored    BIGINT  NOT NULL DEFAULT 0,
    clicks_human     BIGINT  NOT NULL DEFAULT 0,
    clicks_bot       BIGINT  NOT NULL DEFAULT 0,
    clicks_preview   BIGINT  NOT NULL DEFAULT 0,
    last_clicked_at  BIGINT
);
CREATE INDEX link_counters_workspace ON link_counters (workspace_id);

CREATE TABLE visitor_salts (
    day   TEXT  PRIMARY KEY,
    salt  BYTEA NOT NULL
);
