package dev.parley.conversation;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * A stored conversation. {@code projectId} is null for a personal conversation, which only
 * {@code userId} may see. {@code seqCounter} is the last {@code seq} handed out (never reused);
 * {@code currentLeafId} marks the active branch of the message tree.
 */
public record Conversation(UUID id, UUID projectId, UUID userId, String title, String modelId,
                           boolean useKnowledgeBase, int messageCount, long seqCounter, Instant lastMessageAt,
                           UUID currentLeafId, JsonNode metadata, Instant deletedAt, Instant createdAt,
                           Instant updatedAt) {

    public boolean deleted() {
        return deletedAt != null;
    }
}
