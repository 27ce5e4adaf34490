-- Smart links (issue 17): targeting rules and click limits of a link, apart from short_urls so that
-- a plain link's row and cached form stay as they were. short_urls.smart says a link has any of
-- them: the redirect loads this table only for those links.
CREATE TABLE smart_links (
    link_id       TEXT    PRIMARY KEY REFERENCES short_urls (id) ON DELETE CASCADE,
    workspace_id  TEXT    NOT NULL,
    rules         TEXT,                       -- JSON array of rules, null when none
    max_clicks    INTEGER,                     -- human clicks allowed, null when unlimited
    used_clicks   INTEGER NOT NULL DEFAULT 0, -- human clicks counted against max_clicks
    fallback_url  TEXT,                       -- where clicks past the limit go; null: 410
    password_hash TEXT,                       -- BCrypt; null when not protected
    updated_at    INTEGER NOT NULL
);

ALTER TABLE short_urls ADD COLUMN smart INTEGER NOT NULL DEFAULT 0;

-- Which targeting rule chose the destination of a click (0-based), null when none did.
ALTER TABLE clicks ADD COLUMN matched_rule INTEGER;
