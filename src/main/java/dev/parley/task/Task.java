package dev.parley.task;

import java.time.Instant;
import java.util.UUID;

/** A stored task. {@code userId} is its creator; {@code projectId} decides who else may see it. */
public record Task(UUID id, UUID userId, UUID projectId, UUID conversationId, String title, String description,
                   boolean completed, Instant createdAt, Instant updatedAt) {
}
