package dev.parley.context;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.knuddels.jtokkit.api.Encoding;
import dev.parley.context.ContextResponse.ContextMessage;
import dev.parley.context.KnowledgePassages.Passage;
import dev.parley.conversation.Conversation;
import dev.parley.conversation.ConversationAccess;
import dev.parley.conversation.ConversationService;
import dev.parley.message.Message;
import dev.parley.message.MessageRole;
import dev.parley.message.MessageService;
import dev.parley.project.Project;
import dev.parley.project.ProjectRole;
import dev.parley.project.ProjectService;
import dev.parley.web.BadRequestException;
import dev.parley.web.Caller;
import dev.parley.web.ErrorCode;
import dev.parley.web.TokenBudgetExhaustedException;
import dev.parley.web.ValidationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Builds the context of a model call: a system message from the project's custom
 * instructions and goals, then (when the conversation uses the knowledge base) a system
 * message with the best passages, then the newest messages of the active branch that fit in
 * {@code max_tokens}. The branch is read in growing chunks from the leaf until the budget is
 * full, so a long conversation is never loaded whole. An assistant message that calls tools
 * and the tool results that answer it are kept or dropped together; a tool result whose call
 * is not on the branch is never sent.
 */
@Service
public class ContextService {

    public static final int DEFAULT_MAX_TOKENS = 8192;
    public static final int MAX_MAX_TOKENS = 2_000_000;
    /** A query rides in the URL, which the server caps at 8 KiB of headers. */
    public static final int MAX_QUERY = 2000;
    static final int PASSAGES = 8;
    private static final int FIRST_CHUNK = 50;

    private final ConversationService conversations;
    private final MessageService messages;
    private final ProjectService projects;
    private final TokenCounter tokens;
    private final MessageCosts messageCosts;
    private final ObjectProvider<KnowledgePassages> knowledge;

    ContextService(ConversationService conversations, MessageService messages, ProjectService projects,
                   TokenCounter tokens, MessageCosts messageCosts, ObjectProvider<KnowledgePassages> knowledge) {
        this.conversations = conversations;
        this.messages = messages;
        this.projects = projects;
        this.tokens = tokens;
        this.messageCosts = messageCosts;
        this.knowledge = knowledge;
    }

    ContextResponse build(Caller caller, UUID conversationId, Integer maxTokens, String model, String query) {
        if (maxTokens != null && (maxTokens < 1 || maxTokens > MAX_MAX_TOKENS)) {
            throw new BadRequestException(ErrorCode.INVALID_PARAMETER, "max_tokens",
                    "must be an integer from 1 to " + MAX_MAX_TOKENS);
        }
        if (model != null && (model.isBlank() || model.length() > 200)) {
            throw new BadRequestException(ErrorCode.INVALID_PARAMETER, "model", "must be 1 to 200 characters");
        }
        if (query != null && query.length() > MAX_QUERY) {
            throw new BadRequestException(ErrorCode.INVALID_PARAMETER, "query",
                    "must be at most " + MAX_QUERY + " characters");
        }
        ConversationAccess access = conversations.require(caller, conversationId, ProjectRole.VIEWER);
        Conversation conversation = access.conversation();
        Project project = access.project() == null ? null : projects.get(access.project());
        if (project != null && !project.withinBudget()) {
            throw new TokenBudgetExhaustedException(project.tokenUsage(), project.maxTokens());
        }
        String resolvedModel = model != null ? model.strip()
                : conversation.modelId() != null ? conversation.modelId()
                : project != null ? project.defaultModel() : null;
        Integer window = TokenCounter.contextWindow(resolvedModel);
        int budget = maxTokens != null ? maxTokens : window != null ? window : DEFAULT_MAX_TOKENS;
        Encoding encoding = tokens.encodingFor(resolvedModel);

        List<ContextMessage> head = new ArrayList<>();
        int used = TokenCounter.REPLY_PRIMING;
        String instructions = instructions(project);
        if (instructions != null) {
            ContextMessage system = new ContextMessage("system", instructions, null, null, null);
            used += cost(encoding, system);
            if (used > budget) {
                throw new ValidationException("max_tokens",
                        "is smaller than the project's instructions (" + used + " tokens with the reply priming)");
            }
            head.add(system);
        }

        Branch branch = new Branch(conversation);
        List<Passage> sources = List.of();
        if (conversation.useKnowledgeBase() && project != null) {
            String q = query != null && !query.isBlank() ? query : branch.latestUserContent();
            if (q != null) {
                List<Passage> found = new ArrayList<>(
                        knowledge.getIfAvailable(() -> KnowledgePassages.NONE).find(project.id(), q, PASSAGES));
                while (!found.isEmpty()) {
                    ContextMessage passages = new ContextMessage("system", passagesText(found), null, null, null);
                    int cost = cost(encoding, passages);
                    if (used + cost <= budget) {
                        head.add(passages);
                        used += cost;
                        sources = List.copyOf(found);
                        break;
                    }
                    found.removeLast();
                }
            }
        }

        // newest first: groups of messages that are kept or dropped as one
        List<List<Message>> kept = new ArrayList<>();
        List<Message> pendingTools = new ArrayList<>();
        long included = 0;
        for (Message m = branch.next(); m != null; m = branch.next()) {
            if (m.role() == MessageRole.TOOL) {
                pendingTools.add(m);
                continue;
            }
            List<Message> group = new ArrayList<>();
            group.add(m);
            if (m.hasToolCalls()) {
                Set<String> callIds = new HashSet<>();
                m.toolCalls().forEach(call -> callIds.add(call.path("id").asString()));
                for (Message tool : pendingTools.reversed()) {
                    if (callIds.contains(tool.toolCallId())) {
                        group.add(tool);
                    }
                }
            }
            // tool results not answering this message's calls have no caller on the branch
            pendingTools.clear();
            int cost = 0;
            for (Message g : group) {
                cost += messageCosts.cost(g.id(), g.editedAt(), encoding.getName(), () -> cost(encoding, toContext(g)));
            }
            if (used + cost > budget) {
                break;
            }
            used += cost;
            included += group.size();
            kept.add(group);
        }

        List<ContextMessage> out = new ArrayList<>(head);
        for (List<Message> group : kept.reversed()) {
            group.forEach(m -> out.add(toContext(m)));
        }
        long omitted = branch.length() - included;
        return new ContextResponse(resolvedModel, out, used, budget, omitted > 0, omitted, sources);
    }

    private static String instructions(Project project) {
        if (project == null) {
            return null;
        }
        String instructions = blankToNull(project.customInstructions());
        String goals = blankToNull(project.goals());
        if (instructions == null && goals == null) {
            return null;
        }
        if (goals == null) {
            return instructions;
        }
        String goalsText = "Project goals:\n" + goals;
        return instructions == null ? goalsText : instructions + "\n\n" + goalsText;
    }

    private static String passagesText(List<Passage> passages) {
        StringBuilder text = new StringBuilder("Relevant passages from the project's knowledge base:");
        for (int i = 0; i < passages.size(); i++) {
            Passage p = passages.get(i);
            text.append("\n\n[").append(i + 1).append("] ").append(p.filename()).append('\n').append(p.text());
        }
        return text.toString();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static ContextMessage toContext(Message m) {
        return new ContextMessage(m.role().apiValue(), m.content(), m.hasToolCalls() ? m.toolCalls() : null,
                m.toolCallId(), m.name());
    }

    private int cost(Encoding encoding, ContextMessage m) {
        int cost = TokenCounter.PER_MESSAGE + tokens.count(encoding, m.role()) + tokens.count(encoding, m.content());
        if (m.name() != null) {
            cost += TokenCounter.PER_NAME + tokens.count(encoding, m.name());
        }
        JsonNode calls = m.toolCalls();
        if (calls != null) {
            cost += tokens.count(encoding, calls.toString());
        }
        if (m.toolCallId() != null) {
            cost += tokens.count(encoding, m.toolCallId());
        }
        return cost;
    }

    /** The active branch from the leaf up, read in growing chunks as the walk needs them. */
    private final class Branch {

        private final UUID conversationId;
        private final List<Message> buffer = new ArrayList<>();
        private int position;
        private UUID nextFrom;
        private int chunk = FIRST_CHUNK;
        private long length = -1;

        Branch(Conversation conversation) {
            this.conversationId = conversation.id();
            this.nextFrom = conversation.currentLeafId();
        }

        Message next() {
            if (position == buffer.size()) {
                if (nextFrom == null) {
                    return null;
                }
                List<Message> read = messages.branch(conversationId, nextFrom, chunk);
                chunk = Math.min(chunk * 2, MessageService.MAX_LAST);
                buffer.addAll(read);
                if (length < 0 && !read.isEmpty()) {
                    length = read.getFirst().depth();
                }
                nextFrom = read.isEmpty() ? null : read.getLast().parentId();
                if (position == buffer.size()) {
                    return null;
                }
            }
            return buffer.get(position++);
        }

        /** The newest user message's content among the first chunk, for the knowledge-base query. */
        String latestUserContent() {
            int start = position;
            String found = null;
            for (Message m = next(); m != null && found == null; m = position < buffer.size() ? next() : null) {
                if (m.role() == MessageRole.USER) {
                    found = m.content();
                }
            }
            position = start;
            return found;
        }

        /** How many messages the branch has: the leaf's depth. */
        long length() {
            return Math.max(length, 0);
        }
    }
}
