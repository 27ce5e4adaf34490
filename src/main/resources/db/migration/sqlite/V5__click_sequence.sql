-- Every click gets a storage sequence number, given in commit order: readers that continue from a
-- click (the live stream, since_id, the rollup step) follow it, so a click stored late, with an
-- older clicked_at, is still found after the clicks stored before it.
-- On SQLite the sequence is the rowid: the table is laid out in storage order and costs no extra index.
CREATE TABLE clicks_by_seq (
    seq              INTEGER PRIMARY KEY,
    id               TEXT    NOT NULL UNIQUE,   -- UUIDv7: text order is time order
    link_id          TEXT    NOT NULL,
    workspace_id     TEXT    NOT NULL,
    clicked_at       INTEGER NOT NULL,
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
    visitor_hash     TEXT    NOT NULL,
    utm_source       TEXT,
    utm_medium       TEXT,
    utm_campaign     TEXT,
    utm_term         TEXT,
    utm_content      TEXT
);
INSERT INTO clicks_by_seq
SELECT row_number() OVER (ORDER BY clicked_at, id), id, link_id, workspace_id, clicked_at, destination, ip_address,
       user_agent, referrer, referrer_domain, source, country, region, city, device_type, browser, os,
       traffic_class, visitor_hash, utm_source, utm_medium, utm_campaign, utm_term, utm_content
FROM clicks;
DROP TABLE clicks;
ALTER TABLE clicks_by_seq RENAME TO clicks;
CREATE INDEX clicks_link_newest      ON clicks (link_id, clicked_at DESC, id DESC);
CREATE INDEX clicks_workspace_newest ON clicks (workspace_id, clicked_at DESC, id DESC);

-- The last sequence number handed out. The writer takes a range from it in its transaction, so on
-- PostgreSQL writers of several processes commit in sequence order.
CREATE TABLE click_sequence (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    last  INTEGER NOT NULL
);
INSERT INTO click_sequence (id, last) SELECT 1, COALESCE(MAX(seq), 0) FROM clicks;

-- How far the rollups have counted: every click with seq <= watermark is in them, none after.
-- Clicks stored before this migration were counted when they were written. A rollup step plans
-- its changes before it locks this row, and writes them only if neither number moved meanwhile;
-- deleting a link bumps the generation (it rewrites rollup rows).
CREATE TABLE rollup_watermark (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    generation  BIGINT  NOT NULL DEFAULT 0,
    watermark  INTEGER NOT NULL
);
INSERT INTO rollup_watermark (id, watermark) SELECT 1, last FROM click_sequence;
