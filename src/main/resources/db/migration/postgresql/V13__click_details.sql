-- What jmpy's click payloads carry beyond the first fields (spec §6.2): the visitor's IANA time
-- zone (from a city database), device brand and model, browser and OS versions (from the user
-- agent). Clicks stored before this have them null.
ALTER TABLE clicks ADD COLUMN timezone        TEXT;
ALTER TABLE clicks ADD COLUMN device_brand    TEXT;
ALTER TABLE clicks ADD COLUMN device_model    TEXT;
ALTER TABLE clicks ADD COLUMN browser_version TEXT;
ALTER TABLE clicks ADD COLUMN os_version      TEXT;

-- is_unique (first click of this visitor on this link this UTC day) is read from the log itself, so
-- it is exact at any rollup lag: one probe of this index per click shown.
CREATE INDEX clicks_link_visitor ON clicks (link_id, visitor_hash, clicked_at);
