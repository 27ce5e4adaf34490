-- QR scans (issue 15): a click that came through a tracked QR code's marked URL names the code.
-- Null for every other click (and for clicks stored before this).
ALTER TABLE clicks ADD COLUMN qr_code_id TEXT;

-- Scans only: trigger=qr and /qranalytics read these rows without touching plain clicks.
CREATE INDEX clicks_qr_scans           ON clicks (qr_code_id, clicked_at) WHERE qr_code_id IS NOT NULL;
CREATE INDEX clicks_workspace_qr_scans ON clicks (workspace_id, clicked_at) WHERE qr_code_id IS NOT NULL;

-- Per QR code scan totals, kept with the click rows in one transaction (like link_counters), so a
-- code's scan_count and last_scanned_at need no count over the log. Only scans write here.
CREATE TABLE qr_scan_counters (
    qr_code_id       TEXT    PRIMARY KEY,
    workspace_id     TEXT    NOT NULL,
    scans_stored     INTEGER NOT NULL,
    scans_human      INTEGER NOT NULL,
    last_scanned_at  INTEGER
);
