-- QR codes (issue 15). A dynamic or tracked code owns a short URL created for it (short_url_id);
-- deleting the code deletes that link. Times are epoch milliseconds.
CREATE TABLE qr_codes (
    id                TEXT    PRIMARY KEY,
    workspace_id      TEXT    NOT NULL REFERENCES workspaces (id),
    name              TEXT,
    content_type      TEXT    NOT NULL,
    content_data      TEXT    NOT NULL,  -- JSON object as given (canonical field names)
    content           TEXT    NOT NULL,  -- the text the code encodes
    foreground        INTEGER NOT NULL,  -- RGB
    background        INTEGER NOT NULL,
    size              INTEGER NOT NULL,
    margin            INTEGER NOT NULL,
    error_level       TEXT    NOT NULL,
    logo              TEXT,              -- data:image/png;base64,... (never a URL to fetch)
    is_dynamic        INTEGER NOT NULL,
    tracking_enabled  INTEGER NOT NULL,
    short_url_id      TEXT,
    source            TEXT    NOT NULL,
    expires_at        INTEGER,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX qr_codes_workspace_created ON qr_codes (workspace_id, created_at DESC);
CREATE INDEX qr_codes_short_url ON qr_codes (short_url_id);
