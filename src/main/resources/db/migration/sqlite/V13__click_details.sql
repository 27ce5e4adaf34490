-- What jmpy's click payloads carry beyond the first fields (spec §6.2): the visitor's IANA time
-- zone (from a city database), device brand and model, browser and OS versions (from the user
-- agent). Clicks stored before this have them null.
ALTER TABLE clicks ADD COLUMN timezone        TEXT;
ALTER TABLE clicks ADD COLUMN device_brand    TEXT;
ALTER TABLE clicks ADD COLUMN device_model    TEXT;
ALTER TABLE clicks ADD COLUMN browser_version TEXT;
ALTER TABLE clicks ADD COLUMN os_version      TEXT;

-- is_unique (first click of this visitor on this link this UTC day) needs no index here: the
-- rollups' visitor rows hold each visitor's first counted click (ClickStore.firstOfDay).
