package dev.parley.file;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * A file record as stored and as the API shows it. {@code projectId} is null for a file in
 * its user's library. The bytes are the blob {@code sha256}.
 */
public record StoredFile(UUID id, UUID projectId, UUID userId, String filename, FilePurpose purpose, String mediaType,
                         long sizeBytes, String sha256, int version, int orderIndex, JsonNode metadata,
                         Instant createdAt) {
}
