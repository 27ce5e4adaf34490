/**
 * From the redirect to the writer: {@link dev.linkpulse.clicks.ingest.ClickRecorder} never makes the
 * redirect wait; {@link dev.linkpulse.clicks.ingest.ClickJournal} puts every click on disk within
 * milliseconds and replays what was not stored; the writer stores batches through
 * {@link dev.linkpulse.clicks.log.ClickStore}, retrying with backoff, and sets aside what the store
 * keeps rejecting ({@link dev.linkpulse.clicks.ingest.ClickQuarantine}).
 */
package dev.linkpulse.clicks.ingest;
