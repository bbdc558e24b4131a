package dev.parley.conversation;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import dev.parley.project.ProjectAccess;
import dev.parley.project.ProjectRole;
import dev.parley.project.ProjectService;
import dev.parley.web.Caller;
import dev.parley.web.ConflictException;
import dev.parley.web.Cursor;
import dev.parley.web.ForbiddenException;
import dev.parley.web.Ids;
import dev.parley.web.JsonRules;
import dev.parley.web.NotFoundException;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import dev.parley.web.ValidationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The conversations module's API. It decides who may see ({@code VIEWER}) or change
 * ({@code EDITOR}) a conversation: a personal one (no project) is its user's alone — not even
 * an admin sees it — and one in a project follows the caller's role there. It also owns the
 * conversation's counter row, which the message module bumps to number and order appends.
 */
@Service
public class ConversationService {

    static final String DEFAULT_TITLE = "New Chat";

    private final ConversationRepository conversations;
    private final ProjectService projects;
    private final ObjectProvider<KnowledgeBaseStatus> knowledgeBase;
    private final ApplicationEventPublisher events;

    ConversationService(ConversationRepository conversations, ProjectService projects,
                        ObjectProvider<KnowledgeBaseStatus> knowledgeBase, ApplicationEventPublisher events) {
        this.conversations = conversations;
        this.projects = projects;
        this.knowledgeBase = knowledgeBase;
        this.events = events;
    }

    /**
     * The conversation, if the caller may act on it with {@code required}: 404 when it may not
     * see it, 403 when it may see it but its project role is too low.
     */
    public ConversationAccess require(Caller caller, UUID id, ProjectRole required) {
        ConversationRepository.WithRole found = conversations.findWithRole(id, caller.userId())
                .orElseThrow(ConversationService::notFound);
        Conversation conversation = found.conversation();
        if (conversation.projectId() == null) {
            if (!conversation.userId().equals(caller.userId())) {
                throw notFound();
            }
            return new ConversationAccess(conversation, null);
        }
        ProjectAccess project;
        try {
            project = projects.require(caller, conversation.projectId(), found.memberRole(), required);
        } catch (NotFoundException e) {
            throw notFound();
        } catch (ForbiddenException e) {
            throw new ForbiddenException("this needs the " + required.apiValue() + " role in the conversation's project");
        }
        return new ConversationAccess(conversation, project);
    }

    /**
     * Reserves the next {@code count} message numbers of a live conversation and bumps its
     * counters ({@code message_count}, and {@code last_message_at} and {@code updated_at} to
     * {@code now}, the new messages' creation time). The row
     * lock it takes orders concurrent appends until the caller's transaction ends.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public AppendSlot reserveAppend(UUID conversationId, int count, Instant now) {
        return conversations.reserve(conversationId, count, now).orElseThrow(ConversationService::deletedConflict);
    }

    /** Makes a message of the conversation its leaf, inside the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void setLeaf(UUID conversationId, UUID leafId) {
        conversations.setLeaf(conversationId, leafId);
    }

    /**
     * Locks a live conversation for a change to its message tree (an edit of the leaf, a
     * deletion) and returns its current leaf; bumps {@code updated_at}.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<UUID> lockForTreeChange(UUID conversationId) {
        return conversations.lockForTreeChange(conversationId, Ids.now())
                .orElseThrow(ConversationService::deletedConflict);
    }

    /** Records that {@code count} messages went and where the leaf now is. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void messagesRemoved(UUID conversationId, int count, UUID leafId) {
        conversations.removed(conversationId, count, leafId);
    }

    @Transactional
    Conversation create(Caller caller, ConversationRequests.Create request) {
        JsonRules.requireObject("metadata", request.metadata());
        if (request.projectId() != null) {
            projects.require(caller, request.projectId(), ProjectRole.EDITOR);
        }
        boolean useKnowledgeBase = Boolean.TRUE.equals(request.useKnowledgeBase());
        if (useKnowledgeBase) {
            requireActiveKnowledgeBase(request.projectId());
        }
        Instant now = Ids.now();
        Conversation conversation = new Conversation(Ids.newId(), request.projectId(), caller.userId(),
                title(request.title(), DEFAULT_TITLE), request.modelId(), useKnowledgeBase, 0, 0, null, null,
                request.metadata() == null ? JsonNodeFactory.instance.objectNode() : request.metadata(), null, now,
                now);
        conversations.insert(conversation);
        return conversation;
    }

    Page<Conversation> list(Caller caller, UUID projectId, boolean includeDeleted, PageRequest page) {
        if (projectId != null) {
            projects.require(caller, projectId, ProjectRole.VIEWER);
        }
        ConversationRepository.Key after = page.after().map(cursor -> {
            cursor.expect(2);
            return new ConversationRepository.Key(cursor.instant(0), cursor.uuid(1));
        }).orElse(null);
        return Page.of(conversations.listVisible(caller.userId(), projectId, includeDeleted, after, page.fetchSize()),
                page, c -> Cursor.of(c.updatedAt(), c.id()));
    }

    /** A soft-deleted conversation can still be fetched by id, so that it can be restored. */
    Conversation get(Caller caller, UUID id) {
        return require(caller, id, ProjectRole.VIEWER).conversation();
    }

    /**
     * Moving to another project ({@code project_id}) needs the editor role in both projects
     * (a personal conversation can be moved into a project by its user) and re-homes the
     * messages in the same transaction.
     */
    @Transactional
    Conversation update(Caller caller, UUID id, ConversationRequests.Update request) {
        // the settings are written back whole and a move carries the messages along: one change
        // at a time, or two concurrent moves could leave the messages in the other project
        conversations.lock(id);
        Conversation current = require(caller, id, ProjectRole.EDITOR).conversation();
        if (current.deleted()) {
            throw deletedConflict();
        }
        JsonRules.requireObject("metadata", request.metadata());
        UUID projectId = current.projectId();
        boolean leaving = request.clears("project_id") && current.projectId() != null;
        boolean moving = leaving || request.projectId() != null && !request.projectId().equals(current.projectId());
        if (leaving) {
            // out of its project a conversation is personal: its creator's alone
            if (!current.userId().equals(caller.userId())) {
                throw new ForbiddenException("only the conversation's creator may take it out of its project");
            }
            projectId = null;
        } else if (moving) {
            projects.require(caller, request.projectId(), ProjectRole.EDITOR);
            // a conversation goes only where its creator can still see it
            if (!current.userId().equals(caller.userId()) && !projects.isMember(request.projectId(), current.userId())) {
                throw new ValidationException("project_id", "the conversation's creator is not a member of that project");
            }
            projectId = request.projectId();
        }
        boolean useKnowledgeBase = request.useKnowledgeBase() != null ? request.useKnowledgeBase()
                : current.useKnowledgeBase() && projectId != null;
        if (useKnowledgeBase && (Boolean.TRUE.equals(request.useKnowledgeBase()) || moving)) {
            requireActiveKnowledgeBase(projectId);
        }
        JsonNode metadata = request.metadata() != null ? request.metadata() : current.metadata();
        Conversation updated = new Conversation(current.id(), projectId, current.userId(),
                request.title() != null ? title(request.title(), current.title()) : current.title(),
                request.clears("model_id") ? null : request.modelId() != null ? request.modelId() : current.modelId(),
                useKnowledgeBase,
                current.messageCount(), current.seqCounter(), current.lastMessageAt(), current.currentLeafId(),
                metadata, current.deletedAt(), current.createdAt(), Ids.now());
        conversations.updateSettings(updated);
        if (moving) {
            events.publishEvent(new ConversationMoved(id, current.projectId(), projectId));
        }
        return conversations.find(id).orElseThrow(ConversationService::notFound);
    }

    /**
     * A soft delete hides the conversation from lists until it is restored. A purge deletes it
     * and its messages for good: in a project that is its creator's (as an editor) or an owner's.
     */
    @Transactional
    void delete(Caller caller, UUID id, boolean purge) {
        ConversationAccess access = require(caller, id, ProjectRole.EDITOR);
        Conversation conversation = access.conversation();
        if (purge) {
            if (!conversation.userId().equals(caller.userId()) && !access.can(ProjectRole.OWNER)) {
                throw new ForbiddenException("only the conversation's creator or a project owner may purge it");
            }
            conversations.delete(id);
        } else if (!conversation.deleted()) {
            Instant now = Ids.now();
            conversations.setDeletedAt(id, now, now);
        }
    }

    @Transactional
    Conversation restore(Caller caller, UUID id) {
        Conversation conversation = require(caller, id, ProjectRole.EDITOR).conversation();
        if (conversation.deleted()) {
            conversations.setDeletedAt(id, null, Ids.now());
        }
        return conversations.find(id).orElseThrow(ConversationService::notFound);
    }

    /** Switches the active branch to the one ending at {@code messageId}. */
    @Transactional
    Conversation switchLeaf(Caller caller, UUID id, UUID messageId) {
        Conversation conversation = require(caller, id, ProjectRole.EDITOR).conversation();
        if (conversation.deleted()) {
            throw deletedConflict();
        }
        if (!conversations.switchLeaf(id, messageId, Ids.now())) {
            throw new ValidationException("message_id", "is not a message of this conversation");
        }
        return conversations.find(id).orElseThrow(ConversationService::notFound);
    }

    private void requireActiveKnowledgeBase(UUID projectId) {
        if (projectId == null) {
            throw new ValidationException("use_knowledge_base", "needs a project whose knowledge base is active");
        }
        if (!knowledgeBase.getIfAvailable(() -> KnowledgeBaseStatus.NONE).isActive(projectId)) {
            throw new ValidationException("use_knowledge_base", "the project's knowledge base is not active");
        }
    }

    private static String title(String requested, String fallback) {
        if (requested == null) {
            return fallback;
        }
        if (requested.isBlank()) {
            throw new ValidationException("title", "must not be blank");
        }
        return requested.strip();
    }

    private static NotFoundException notFound() {
        return new NotFoundException("conversation");
    }

    private static ConflictException deletedConflict() {
        return new ConflictException("the conversation is deleted; restore it first");
    }
}
