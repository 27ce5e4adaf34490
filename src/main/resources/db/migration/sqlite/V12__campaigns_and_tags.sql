-- Campaigns group links (a link belongs to at most one: short_urls.campaign_id); tags label them.
-- A campaign's status is derived from its dates when read (archived is the only stored state).
CREATE TABLE campaigns (
    id            TEXT    PRIMARY KEY,
    workspace_id  TEXT    NOT NULL REFERENCES workspaces (id),
    name          TEXT    NOT NULL,
    description   TEXT,
    start_date    INTEGER,
    end_date      INTEGER,
    archived      INTEGER NOT NULL DEFAULT 0,
    tags          TEXT    NOT NULL DEFAULT '',  -- newline-separated
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
);
CREATE INDEX campaigns_workspace_created ON campaigns (workspace_id, created_at DESC);
CREATE INDEX short_urls_campaign ON short_urls (campaign_id);

-- A link's tags, one row each; the workspace is repeated so "links with any of these tags" is one index range.
CREATE TABLE link_tags (
    link_id       TEXT NOT NULL,
    workspace_id  TEXT NOT NULL,
    tag           TEXT NOT NULL,
    PRIMARY KEY (link_id, tag)
);
CREATE INDEX link_tags_workspace_tag ON link_tags (workspace_id, tag);
