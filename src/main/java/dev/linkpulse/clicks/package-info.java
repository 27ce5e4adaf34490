/**
 * Clicks: what a click is ({@link dev.linkpulse.clicks.ClickEvent} as the redirect saw it,
 * {@link dev.linkpulse.clicks.Click} once enriched), and the path it takes, one sub-package a stage:
 * <ul>
 *   <li>{@code ingest}: the recorder takes clicks from the redirect, journals them to disk at once,
 *       enriches them and hands them to the writer in batches (journal, its IP sealing and segment
 *       ledger, quarantine of clicks the store rejects);</li>
 *   <li>{@code log}: the click log in the store: rows with their storage sequence, per-link counters,
 *       paging and retention;</li>
 *   <li>{@code rollups}: per-day rollups counted behind a watermark, and the aggregate questions that
 *       read them (or raw rows where they cannot answer).</li>
 * </ul>
 * Enrichment itself (geolocation, user agents, referrers, visitor hash) lives in {@code enrich}.
 */
package dev.linkpulse.clicks;
