package dev.parley.message;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * A stored message. {@code parentId} is the message before it on its branch (null for a
 * first message); {@code depth} is its position on that branch (1 for a first message);
 * {@code toolCalls} is the OpenAI-shaped array exactly as it was given, or null.
 */
public record Message(UUID id, UUID conversationId, UUID projectId, UUID userId, UUID parentId, long seq, long depth,
                      MessageRole role, String content, JsonNode toolCalls, String toolCallId, String name,
                      JsonNode metadata, JsonNode contextUsed, Long promptTokens, Long completionTokens,
                      Instant createdAt, Instant editedAt) {

    public boolean hasToolCalls() {
        return toolCalls != null && toolCalls.isArray() && !toolCalls.isEmpty();
    }
}
