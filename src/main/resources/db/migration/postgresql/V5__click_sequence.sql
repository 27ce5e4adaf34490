-- Every click gets a storage sequence number, given in commit order: readers that continue from a
-- click (the live stream, since_id, the rollup step) follow it, so a click stored late, with an
-- older clicked_at, is still found after the clicks stored before it.
ALTER TABLE clicks ADD COLUMN seq BIGINT;
UPDATE clicks SET seq = numbered.n
FROM (SELECT id, row_number() OVER (ORDER BY clicked_at, id) AS n FROM clicks) AS numbered
WHERE clicks.id = numbered.id;
ALTER TABLE clicks ALTER COLUMN seq SET NOT NULL;
CREATE UNIQUE INDEX clicks_seq ON clicks (seq);

-- The last sequence number handed out. The writer takes a range from it in its transaction (the
-- row stays locked until it commits), so writers of several processes commit in sequence order and
-- what a reader sees of the log is always a prefix of it.
CREATE TABLE click_sequence (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    last  BIGINT  NOT NULL
);
INSERT INTO click_sequence (id, last) SELECT 1, COALESCE(MAX(seq), 0) FROM clicks;

-- How far the rollups have counted: every click with seq <= watermark is in them, none after.
-- Clicks stored before this migration were counted when they were written. A rollup step plans
-- its changes before it locks this row, and writes them only if neither number moved meanwhile;
-- deleting a link bumps the generation (it rewrites rollup rows).
CREATE TABLE rollup_watermark (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    generation  BIGINT  NOT NULL DEFAULT 0,
    watermark  BIGINT  NOT NULL
);
INSERT INTO rollup_watermark (id, watermark) SELECT 1, last FROM click_sequence;
