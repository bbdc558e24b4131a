package dev.parley.conversation;

import java.util.UUID;

/**
 * Published inside the transaction that moves a conversation to another project, so that
 * the modules keeping rows of the conversation re-home them in that same transaction.
 */
public record ConversationMoved(UUID conversationId, UUID fromProjectId, UUID toProjectId) {
}
