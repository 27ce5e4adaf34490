-- Domains (issue 16): subdomains of the base domain and branded domains, and the host a link answers on.
-- short_urls.domain is '' for the standard domain, the subdomain's label, or the branded domain's
-- host; a code is unique per host, so the table is rebuilt without UNIQUE (short_code).
CREATE TABLE subdomains (
    id            TEXT    PRIMARY KEY,
    workspace_id  TEXT    NOT NULL REFERENCES workspaces (id),
    subdomain     TEXT    NOT NULL UNIQUE,   -- the label, lower case; one workspace's across the server
    name          TEXT,
    description   TEXT,
    created_at    INTEGER NOT NULL
);
CREATE TABLE branded_domains (
    id                  TEXT    PRIMARY KEY,
    workspace_id        TEXT    NOT NULL REFERENCES workspaces (id),
    domain              TEXT    NOT NULL UNIQUE,   -- the host, lower case
    name                TEXT,
    description         TEXT,
    verification_token  TEXT    NOT NULL,
    verified_at         INTEGER,
    created_at          INTEGER NOT NULL
);

CREATE TABLE short_urls_by_host (
    id                TEXT    PRIMARY KEY,
    workspace_id      TEXT    NOT NULL REFERENCES workspaces (id),
    short_code        TEXT    NOT NULL,  -- case-sensitive (BINARY collation), unique per domain
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
    updated_at        INTEGER NOT NULL,
    url_type          TEXT    NOT NULL DEFAULT 'standard',
    domain            TEXT    NOT NULL DEFAULT '',
    UNIQUE (domain, short_code)
);
INSERT INTO short_urls_by_host (id, workspace_id, short_code, is_custom_alias, original_url, name, tracking_enabled,
    is_dynamic, forward_query, disabled, campaign_id, expires_at, created_at, updated_at)
SELECT id, workspace_id, short_code, is_custom_alias, original_url, name, tracking_enabled,
    is_dynamic, forward_query, disabled, campaign_id, expires_at, created_at, updated_at FROM short_urls;
DROP TABLE short_urls;
ALTER TABLE short_urls_by_host RENAME TO short_urls;
CREATE INDEX short_urls_workspace_created ON short_urls (workspace_id, created_at DESC);
CREATE INDEX short_urls_campaign ON short_urls (campaign_id);
CREATE INDEX short_urls_workspace_code ON short_urls (workspace_id, short_code);
