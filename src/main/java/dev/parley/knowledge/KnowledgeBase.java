package dev.parley.knowledge;

import java.time.Instant;
import java.util.UUID;

/** A project's knowledge base as stored. */
record KnowledgeBase(UUID id, UUID projectId, String name, String description, String embeddingModel,
                     int chunkSize, int chunkOverlap, boolean isActive, Instant createdAt, Instant updatedAt) {
}
