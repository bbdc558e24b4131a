/**
 * Processing logs: what a worker reports while it processes a project version (the CAD app's
 * script runs), newest first, filterable by version and level, optionally pointing at a log
 * file. They are kept for {@code parley.retention.logs} (90 days by default) and then
 * removed by {@link dev.parley.log.LogRetention}.
 */
package dev.parley.log;
