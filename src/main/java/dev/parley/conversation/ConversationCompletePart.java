package dev.parley.conversation;

import java.util.Map;
import java.util.UUID;

import dev.parley.project.ProjectCompletePart;
import dev.parley.web.Cursor;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import org.springframework.stereotype.Component;

/**
 * The {@code conversations} section of {@code /projects/{id}/complete}: the project's live
 * conversations, most recently updated first; its cursor continues in
 * {@code GET /projects/{id}/conversations}.
 */
@Component
class ConversationCompletePart implements ProjectCompletePart {

    private final ConversationRepository conversations;

    ConversationCompletePart(ConversationRepository conversations) {
        this.conversations = conversations;
    }

    @Override
    public Map<String, Object> sections(UUID projectId, int limit) {
        PageRequest page = PageRequest.first(limit);
        Page<ConversationResponse> newest = Page.of(
                conversations.listVisible(null, projectId, false, null, page.fetchSize()), page,
                c -> Cursor.of(c.updatedAt(), c.id())).map(ConversationResponse::of);
        return Map.of("conversations", newest);
    }
}
