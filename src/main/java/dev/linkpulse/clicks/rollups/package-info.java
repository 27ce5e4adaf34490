/**
 * Per-day rollups and the aggregate questions: {@link dev.linkpulse.clicks.rollups.RollupStep} counts
 * the clicks stored after a watermark into the rollups ({@link dev.linkpulse.clicks.rollups.Rollups}),
 * {@link dev.linkpulse.clicks.rollups.RollupWorker} keeps it close behind the log, and
 * {@link dev.linkpulse.clicks.rollups.ClickAggregates} answers from the rollups once they have caught
 * up, or from raw rows where they cannot answer.
 */
package dev.linkpulse.clicks.rollups;
