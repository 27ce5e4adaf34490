-- key_prefix held the first 8 characters of each secret (5 of them random for a generated key,
-- all 8 of an operator's LINKPULSE_INITIAL_API_KEY). It now holds the first 8 characters of the
-- key's id, which is not secret (KeyService.displayPrefix). Version 3 is the Java migration
-- RollupBackfill, hence 3.1.
UPDATE api_keys SET key_prefix = substr(id, 1, 8);
