package dev.parley.conversation;

import dev.parley.project.ProjectAccess;
import dev.parley.project.ProjectRole;

/**
 * A conversation and what the caller may do with it, handed out only by
 * {@link ConversationService#require}. {@code project} is null for a personal conversation,
 * whose user has every right over it.
 */
public record ConversationAccess(Conversation conversation, ProjectAccess project) {

    public boolean can(ProjectRole required) {
        return project == null || project.can(required);
    }
}
