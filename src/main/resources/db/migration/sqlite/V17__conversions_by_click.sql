-- The click log shows each click's conversions: found by click id, a page at a time.
CREATE INDEX conversions_click ON conversions (click_id);
