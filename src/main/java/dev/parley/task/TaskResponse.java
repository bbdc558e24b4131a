package dev.parley.task;

import java.time.Instant;
import java.util.UUID;

/** A task as the API shows it. */
record TaskResponse(UUID id, UUID userId, UUID projectId, UUID conversationId, String title, String description,
                    boolean completed, Instant createdAt, Instant updatedAt) {

    static TaskResponse of(Task t) {
        return new TaskResponse(t.id(), t.userId(), t.projectId(), t.conversationId(), t.title(), t.description(),
                t.completed(), t.createdAt(), t.updatedAt());
    }
}
