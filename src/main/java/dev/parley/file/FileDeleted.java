package dev.parley.file;

import java.util.UUID;

/**
 * Published after a file record's deletion has committed, so that modules holding derived
 * data (the knowledge base's chunks in a search index) drop it. Rows that reference the file
 * in the database go with it by cascade; this event is for what lives outside the database.
 */
public record FileDeleted(UUID fileId, UUID projectId) {
}
