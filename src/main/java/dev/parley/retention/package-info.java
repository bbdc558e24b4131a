/**
 * Retention: the scheduled job that forgets what Parley promised to keep only for a while.
 * Conversations soft-deleted longer than {@code parley.retention.deleted-conversations} are
 * deleted for good (their messages go with them by the foreign-key cascade), and stored
 * {@code Idempotency-Key} answers older than {@code parley.retention.idempotency-keys} are
 * dropped. Work goes in small batches, one short transaction each, so that the purge never
 * holds locks that a chat turn would wait on.
 */
package dev.parley.retention;
