package dev.parley.imports;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One run of an importer.
 *
 * @param source        which reader
 * @param location      a path (file, directory or zip) or a JDBC URL
 * @param dryRun        read and check everything, write nothing
 * @param verifyOnly    compare the source with what Parley holds, write nothing
 * @param rollbackBatch remove the rows of this batch instead of importing
 * @param projectId     the existing project that receives conversations without a project of their own
 * @param owner         the username that owns what the source does not attribute to a user
 *                      (a ChatGPT export has no users)
 * @param createdBy     the Parley user running the import, if any
 */
public record ImportOptions(SourceKind source, String location, boolean dryRun, boolean verifyOnly,
                            @Nullable UUID rollbackBatch, @Nullable UUID projectId, @Nullable String owner,
                            @Nullable UUID createdBy) {
}
