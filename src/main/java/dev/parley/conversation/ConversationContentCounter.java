package dev.parley.conversation;

import java.util.Map;
import java.util.UUID;

import dev.parley.project.ProjectContentCounter;
import org.springframework.stereotype.Component;

/**
 * Counts for the project summary: live (not soft-deleted) conversations and their messages,
 * read from the conversations' counters in one query.
 */
@Component
class ConversationContentCounter implements ProjectContentCounter {

    private final ConversationRepository conversations;

    ConversationContentCounter(ConversationRepository conversations) {
        this.conversations = conversations;
    }

    @Override
    public Map<String, Long> count(UUID projectId) {
        ConversationRepository.ProjectCounts counts = conversations.countInProject(projectId);
        return Map.of("conversations", counts.conversations(), "messages", counts.messages());
    }
}
