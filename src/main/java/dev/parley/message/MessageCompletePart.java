package dev.parley.message;

import java.util.Map;
import java.util.UUID;

import dev.parley.project.ProjectCompletePart;
import dev.parley.web.Cursor;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import org.springframework.stereotype.Component;

/**
 * The {@code messages} section of {@code /projects/{id}/complete}: the project's newest
 * messages across its live conversations; its cursor continues in
 * {@code GET /projects/{id}/messages}.
 */
@Component
class MessageCompletePart implements ProjectCompletePart {

    private final MessageRepository messages;

    MessageCompletePart(MessageRepository messages) {
        this.messages = messages;
    }

    @Override
    public Map<String, Object> sections(UUID projectId, int limit) {
        PageRequest page = PageRequest.first(limit);
        Page<MessageResponse> newest = Page.of(messages.listInProject(projectId, null, page.fetchSize()), page,
                m -> Cursor.of(m.id())).map(MessageResponse::of);
        return Map.of("messages", newest);
    }
}
