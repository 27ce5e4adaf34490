-- Webhooks of QR codes (issue 15): a subscription may narrow click events (link.clicked,
-- link.clicked.unique, qr.scanned) to the scans of one QR code of its workspace.
ALTER TABLE webhook_subscriptions ADD COLUMN qr_code_id TEXT;
