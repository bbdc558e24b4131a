/**
 * How rows are stored on both databases: the timestamp binding that keeps SQLite's text
 * sortable and the JSON column conversions. Blob storage joins it with files.
 */
@ApplicationModule(type = ApplicationModule.Type.OPEN)
package dev.parley.storage;

import org.springframework.modulith.ApplicationModule;
