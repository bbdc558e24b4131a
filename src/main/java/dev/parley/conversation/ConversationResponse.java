package dev.parley.conversation;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/** A conversation as the API shows it. */
record ConversationResponse(UUID id, UUID projectId, UUID userId, String title, String modelId,
                            boolean useKnowledgeBase, int messageCount, Instant lastMessageAt, UUID currentLeafId,
                            Instant deletedAt, JsonNode metadata, Instant createdAt, Instant updatedAt) {

    static ConversationResponse of(Conversation c) {
        return new ConversationResponse(c.id(), c.projectId(), c.userId(), c.title(), c.modelId(),
                c.useKnowledgeBase(), c.messageCount(), c.lastMessageAt(), c.currentLeafId(), c.deletedAt(),
                c.metadata(), c.createdAt(), c.updatedAt());
    }
}
