/**
 * Imports and exports. Each importer ({@link dev.parley.imports.SourceReader}) reads a legacy
 * layout or an export into one neutral model ({@link dev.parley.imports.SourceData}); one
 * {@link dev.parley.imports.ImportService} maps users, writes each conversation in its own
 * transaction with the invariants an append keeps (gap-free {@code seq}, {@code depth},
 * counters, leaf, token usage), records where every row came from (a batch and a mapping, so
 * re-runs skip and rollbacks remove exactly one batch), and verifies counts and a checksum of
 * message contents against the source. The same service runs behind the {@code import}
 * command and {@code POST /api/v1/admin/imports}. The project export streams a zip that the
 * {@code parley} source reads back.
 */
package dev.parley.imports;
