/**
 * The click log: {@link dev.linkpulse.clicks.log.ClickStore} appends click rows (each with a storage
 * sequence number, in commit order) and per-link counters, and reads them back for the click log,
 * the live stream and exports; {@link dev.linkpulse.clicks.log.ClickRetention} deletes old rows.
 */
package dev.linkpulse.clicks.log;
