package dev.parley.message;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/** A message as the API shows it. */
record MessageResponse(UUID id, UUID conversationId, UUID projectId, UUID userId, UUID parentId, long seq,
                       MessageRole role, String content, JsonNode toolCalls, String toolCallId, String name,
                       JsonNode metadata, JsonNode contextUsed, UsageResponse usage, Instant createdAt,
                       Instant editedAt) {

    record UsageResponse(long promptTokens, long completionTokens) {
    }

    static MessageResponse of(Message m) {
        UsageResponse usage = m.promptTokens() == null && m.completionTokens() == null ? null
                : new UsageResponse(m.promptTokens() == null ? 0 : m.promptTokens(),
                m.completionTokens() == null ? 0 : m.completionTokens());
        return new MessageResponse(m.id(), m.conversationId(), m.projectId(), m.userId(), m.parentId(), m.seq(),
                m.role(), m.content(), m.toolCalls(), m.toolCallId(), m.name(), m.metadata(), m.contextUsed(), usage,
                m.createdAt(), m.editedAt());
    }
}
