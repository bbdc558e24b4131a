package dev.parley.log;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/** A processing log entry as stored and shown. */
public record ProcessingLog(UUID id, UUID projectId, int version, LogLevel level, String summary, UUID fileId,
                            JsonNode metadata, Instant createdAt) {
}
