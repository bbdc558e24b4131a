package dev.parley.message;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.parley.conversation.AppendSlot;
import dev.parley.conversation.Conversation;
import dev.parley.conversation.ConversationAccess;
import dev.parley.conversation.ConversationMoved;
import dev.parley.conversation.ConversationService;
import dev.parley.message.MessageRequests.NewMessage;
import dev.parley.message.MessageRequests.ToolCall;
import dev.parley.project.ProjectRole;
import dev.parley.project.ProjectService;
import dev.parley.web.BadRequestException;
import dev.parley.web.Caller;
import dev.parley.web.ConflictException;
import dev.parley.web.Cursor;
import dev.parley.web.ErrorCode;
import dev.parley.web.Ids;
import dev.parley.web.JsonRules;
import dev.parley.web.NotFoundException;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import dev.parley.web.ValidationException;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The messages module's API. An append is one transaction that reserves the next numbers on
 * the conversation's counter row (its lock orders concurrent appends, so {@code seq} has no
 * gaps), inserts the messages and moves the leaf: its cost does not depend on the
 * conversation's length. The active branch is read by walking parent links up from the leaf,
 * never by loading the conversation.
 */
@Service
public class MessageService {

    /** The most messages one walk of a branch returns ({@code ?last=N}). */
    public static final int MAX_LAST = 1000;

    private final MessageRepository messages;
    private final ConversationService conversations;
    private final ProjectService projects;

    MessageService(MessageRepository messages, ConversationService conversations, ProjectService projects) {
        this.messages = messages;
        this.conversations = conversations;
        this.projects = projects;
    }

    /**
     * Appends one message after the current leaf, or after {@code parent_id} (a new branch),
     * and makes it the leaf. Recorded usage is added to the project's budget in the same
     * transaction; it is never refused.
     */
    @Transactional
    public Message append(Caller caller, UUID conversationId, NewMessage message) {
        return appendAll(caller, conversationId, List.of(message), "").getFirst();
    }

    /** Appends several messages in order, each after the previous one; all or nothing. */
    @Transactional
    public List<Message> appendBatch(Caller caller, UUID conversationId, List<NewMessage> batch) {
        return appendAll(caller, conversationId, batch, "messages");
    }

    /**
     * The branch ending at {@code fromId}, newest first, at most {@code max} (1..1000)
     * messages; empty when {@code fromId} is not a message of the conversation. Callers that
     * need more walk on from the last message's parent.
     */
    public List<Message> branch(UUID conversationId, UUID fromId, int max) {
        if (max < 1 || max > MAX_LAST) {
            throw new IllegalArgumentException("max must be 1.." + MAX_LAST);
        }
        return messages.branch(conversationId, fromId, max);
    }

    private List<Message> appendAll(Caller caller, UUID conversationId, List<NewMessage> batch, String field) {
        ConversationAccess access = conversations.require(caller, conversationId, ProjectRole.EDITOR);
        Conversation conversation = access.conversation();
        Map<UUID, Long> parentDepths = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            String prefix = field.isEmpty() ? "" : field + "[" + i + "].";
            NewMessage message = batch.get(i);
            check(prefix, message);
            UUID parentId = message.parentId();
            if (parentId != null && !parentDepths.containsKey(parentId)) {
                parentDepths.put(parentId, messages.depth(conversationId, parentId).orElseThrow(() ->
                        new ValidationException(prefix + "parent_id", "is not a message of this conversation")));
            }
        }
        if (conversation.deleted()) {
            throw new ConflictException("the conversation is deleted; restore it first");
        }
        Instant now = Ids.now();
        AppendSlot slot = conversations.reserveAppend(conversationId, batch.size(), now);
        UUID parentId = slot.currentLeafId();
        long parentDepth = slot.currentLeafDepth();
        List<Message> created = new ArrayList<>(batch.size());
        long usage = 0;
        for (int i = 0; i < batch.size(); i++) {
            NewMessage in = batch.get(i);
            if (in.parentId() != null) {
                parentId = in.parentId();
                parentDepth = parentDepths.get(parentId);
            }
            Long prompt = in.usage() == null ? null : in.usage().promptTokens();
            Long completion = in.usage() == null ? null : in.usage().completionTokens();
            Message message = new Message(Ids.newId(), conversationId, slot.projectId(), caller.userId(), parentId,
                    slot.firstSeq() + i, parentDepth + 1, in.role(), in.content() == null ? "" : in.content(),
                    toolCalls(in.toolCalls()), in.toolCallId(), in.name(),
                    in.metadata() == null ? JsonNodeFactory.instance.objectNode() : in.metadata(), in.contextUsed(),
                    prompt, completion, now, null);
            created.add(message);
            usage += (prompt == null ? 0 : prompt) + (completion == null ? 0 : completion);
            parentId = message.id();
            parentDepth = message.depth();
        }
        messages.insert(created);
        conversations.setLeaf(conversationId, created.getLast().id());
        if (slot.projectId() != null) {
            projects.addTokenUsage(slot.projectId(), usage);
        }
        return created;
    }

    /** Rules that span a message's fields; bean validation has checked each field alone. */
    private static void check(String prefix, NewMessage m) {
        JsonRules.requireObject(prefix + "metadata", m.metadata());
        JsonRules.requireObject(prefix + "context_used", m.contextUsed());
        boolean toolCalls = m.toolCalls() != null && !m.toolCalls().isEmpty();
        if (toolCalls && m.role() != MessageRole.ASSISTANT) {
            throw new ValidationException(prefix + "tool_calls", "only assistant messages carry tool calls");
        }
        if (m.role() == MessageRole.TOOL && m.toolCallId() == null) {
            throw new ValidationException(prefix + "tool_call_id", "is required for a tool message");
        }
        if (m.role() != MessageRole.TOOL && m.toolCallId() != null) {
            throw new ValidationException(prefix + "tool_call_id", "only tool messages answer a tool call");
        }
        if ((m.content() == null || m.content().isEmpty()) && !toolCalls) {
            throw new ValidationException(prefix + "content", "must not be empty unless the message has tool_calls");
        }
    }

    /** The tool calls in their OpenAI shape, member for member as given. */
    private static JsonNode toolCalls(List<ToolCall> calls) {
        if (calls == null) {
            return null;
        }
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (ToolCall call : calls) {
            ObjectNode node = array.addObject();
            node.put("id", call.id());
            node.put("type", call.type().apiValue());
            ObjectNode function = node.putObject("function");
            function.put("name", call.function().name());
            function.put("arguments", call.function().arguments());
        }
        return array;
    }

    Page<Message> list(Caller caller, UUID conversationId, boolean descending, PageRequest page) {
        conversations.require(caller, conversationId, ProjectRole.VIEWER);
        Long after = page.after().map(cursor -> cursor.expect(1).number(0)).orElse(null);
        return Page.of(messages.list(conversationId, descending, after, page.fetchSize()), page,
                m -> Cursor.of(m.seq()));
    }

    /**
     * The last {@code n} messages of the active branch, oldest first; {@code has_more} says
     * that older messages exist on the branch.
     */
    Page<Message> last(Caller caller, UUID conversationId, int n) {
        if (n < 1 || n > MAX_LAST) {
            throw new BadRequestException(ErrorCode.INVALID_PARAMETER, "last", "must be an integer from 1 to " + MAX_LAST);
        }
        Conversation conversation = conversations.require(caller, conversationId, ProjectRole.VIEWER).conversation();
        if (conversation.currentLeafId() == null) {
            return new Page<>(List.of(), false, null);
        }
        List<Message> branch = new ArrayList<>(messages.branch(conversationId, conversation.currentLeafId(), n));
        boolean more = !branch.isEmpty() && branch.getLast().parentId() != null;
        return new Page<>(List.copyOf(branch.reversed()), more, null);
    }

    Message get(Caller caller, UUID conversationId, UUID id) {
        conversations.require(caller, conversationId, ProjectRole.VIEWER);
        return messages.find(conversationId, id).orElseThrow(MessageService::notFound);
    }

    /** Changes content and/or metadata and stamps {@code edited_at}; the tree stays as it is. */
    @Transactional
    Message edit(Caller caller, UUID conversationId, UUID id, MessageRequests.Edit edit) {
        Conversation conversation = conversations.require(caller, conversationId, ProjectRole.EDITOR).conversation();
        if (conversation.deleted()) {
            throw new ConflictException("the conversation is deleted; restore it first");
        }
        Message current = messages.find(conversationId, id).orElseThrow(MessageService::notFound);
        JsonRules.requireObject("metadata", edit.metadata());
        if (edit.content() == null && edit.metadata() == null) {
            return current;
        }
        if (edit.content() != null && edit.content().isEmpty() && !current.hasToolCalls()) {
            throw new ValidationException("content", "must not be empty unless the message has tool_calls");
        }
        messages.edit(id, edit.content() != null ? edit.content() : current.content(),
                edit.metadata() != null ? edit.metadata() : current.metadata(), Ids.now());
        return messages.find(conversationId, id).orElseThrow(MessageService::notFound);
    }

    /**
     * Deletes a message and the sub-branch below it. If the leaf was in that sub-branch, the
     * leaf moves to the deleted message's parent.
     */
    @Transactional
    void delete(Caller caller, UUID conversationId, UUID id) {
        conversations.require(caller, conversationId, ProjectRole.EDITOR);
        // the conversation's row lock orders this against appends and other deletes
        Optional<UUID> leaf = conversations.lockForTreeChange(conversationId);
        Message message = messages.find(conversationId, id).orElseThrow(MessageService::notFound);
        int removed = messages.flattenBelow(id) + 1;
        messages.delete(id);
        UUID newLeaf = leaf.filter(messages::exists).orElse(leaf.isPresent() ? message.parentId() : null);
        conversations.messagesRemoved(conversationId, removed, newLeaf);
    }

    /** The project's chat history across its live conversations, newest first. */
    Page<Message> listInProject(Caller caller, UUID projectId, PageRequest page) {
        projects.require(caller, projectId, ProjectRole.VIEWER);
        UUID after = page.after().map(cursor -> cursor.expect(1).uuid(0)).orElse(null);
        return Page.of(messages.listInProject(projectId, after, page.fetchSize()), page, m -> Cursor.of(m.id()));
    }

    /** A conversation's messages follow it to its new project, in the moving transaction. */
    @EventListener
    void onMoved(ConversationMoved moved) {
        messages.moveToProject(moved.conversationId(), moved.toProjectId());
    }

    private static NotFoundException notFound() {
        return new NotFoundException("message");
    }
}
