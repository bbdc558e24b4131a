/**
 * How data is stored: the timestamp binding that keeps SQLite's text sortable, the JSON
 * column conversions, and the content-addressed {@link dev.parley.storage.BlobStore} that
 * keeps file bytes (a directory in the data directory today, ready for S3).
 */
@ApplicationModule(type = ApplicationModule.Type.OPEN)
package dev.parley.storage;

import org.springframework.modulith.ApplicationModule;
