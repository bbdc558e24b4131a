package dev.parley.conversation;

import java.util.UUID;

/**
 * Whether a project's knowledge base is active, asked before a conversation may use it.
 * The knowledge-base module implements it as a bean; until one exists every project
 * answers "not active", so {@code use_knowledge_base: true} is refused.
 */
public interface KnowledgeBaseStatus {

    KnowledgeBaseStatus NONE = projectId -> false;

    boolean isActive(UUID projectId);
}
