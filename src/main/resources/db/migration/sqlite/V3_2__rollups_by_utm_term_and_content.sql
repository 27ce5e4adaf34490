-- Breakdowns by utm_term and utm_content come from the per-day rollups like the other UTM tags
-- (RollupDimension.UTM_TERM, UTM_CONTENT; codes 'o' and 'p' in visitor_days.seen, their ordinals).
-- Clicks stored before this version were rolled up without them: count them in now, clicks and
-- unique visitors per scope (link and workspace), UTC day, traffic class and value ('' for none),
-- and add the values to each visitor's `seen`, so a later click of the same visitor that day is
-- not counted as a new unique. Skipped when the rollups hold these dimensions already (a store
-- upgraded from schema 1, whose clicks migration 3 counted with every dimension).
-- As with every migration, stop processes of the earlier version before starting this one.

CREATE TEMP TABLE utm_backfill AS
SELECT NOT EXISTS (SELECT 1 FROM day_stats WHERE dimension IN ('utm_term', 'utm_content')) AS needed;

INSERT INTO day_stats (scope_id, dimension, day, traffic_class, value, clicks, uniques)
SELECT scope_id, dimension, day, traffic_class, value, COUNT(*), COUNT(DISTINCT visitor_hash)
FROM (
    SELECT link_id AS scope_id, 'utm_term' AS dimension, clicked_at / 86400000 AS day, traffic_class,
           COALESCE(utm_term, '') AS value, visitor_hash FROM clicks
    UNION ALL
    SELECT workspace_id, 'utm_term', clicked_at / 86400000, traffic_class, COALESCE(utm_term, ''), visitor_hash FROM clicks
    UNION ALL
    SELECT link_id, 'utm_content', clicked_at / 86400000, traffic_class, COALESCE(utm_content, ''), visitor_hash FROM clicks
    UNION ALL
    SELECT workspace_id, 'utm_content', clicked_at / 86400000, traffic_class, COALESCE(utm_content, ''), visitor_hash FROM clicks
) c
WHERE (SELECT needed FROM utm_backfill)
GROUP BY scope_id, dimension, day, traffic_class, value;

-- A seen entry is the code and the value with backslash and newline escaped (Rollups.Visitor.seenText).
CREATE TEMP TABLE utm_seen AS
SELECT scope_id, day, traffic_class, visitor_hash, group_concat(code, char(10)) AS codes
FROM (
    SELECT link_id AS scope_id, clicked_at / 86400000 AS day, traffic_class, visitor_hash,
           'o' || replace(replace(COALESCE(utm_term, ''), '\', '\\'), char(10), '\n') AS code FROM clicks
    UNION
    SELECT workspace_id, clicked_at / 86400000, traffic_class, visitor_hash,
           'o' || replace(replace(COALESCE(utm_term, ''), '\', '\\'), char(10), '\n') FROM clicks
    UNION
    SELECT link_id, clicked_at / 86400000, traffic_class, visitor_hash,
           'p' || replace(replace(COALESCE(utm_content, ''), '\', '\\'), char(10), '\n') FROM clicks
    UNION
    SELECT workspace_id, clicked_at / 86400000, traffic_class, visitor_hash,
           'p' || replace(replace(COALESCE(utm_content, ''), '\', '\\'), char(10), '\n') FROM clicks
) s
WHERE (SELECT needed FROM utm_backfill)
GROUP BY scope_id, day, traffic_class, visitor_hash;

UPDATE visitor_days
SET seen = CASE WHEN seen = '' THEN u.codes ELSE seen || char(10) || u.codes END
FROM utm_seen u
WHERE visitor_days.scope_id = u.scope_id AND visitor_days.day = u.day
  AND visitor_days.traffic_class = u.traffic_class AND visitor_days.visitor_hash = u.visitor_hash;

DROP TABLE utm_seen;
DROP TABLE utm_backfill;
