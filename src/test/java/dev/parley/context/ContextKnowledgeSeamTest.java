package dev.parley.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.parley.context.KnowledgePassages.Passage;
import dev.parley.conversation.Conversation;
import dev.parley.conversation.ConversationAccess;
import dev.parley.conversation.ConversationService;
import dev.parley.message.Message;
import dev.parley.message.MessageRole;
import dev.parley.message.MessageService;
import dev.parley.project.Project;
import dev.parley.project.ProjectAccess;
import dev.parley.project.ProjectRole;
import dev.parley.project.ProjectService;
import dev.parley.project.ProjectStatus;
import dev.parley.web.Caller;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import tools.jackson.databind.node.JsonNodeFactory;

/** The knowledge-base seam: passages from a {@link KnowledgePassages} bean join the context. */
class ContextKnowledgeSeamTest {

    private final UUID projectId = UUID.randomUUID();
    private final UUID conversationId = UUID.randomUUID();
    private final Caller caller = new Caller(UUID.randomUUID(), "reader", false);
    private final List<String> queries = new ArrayList<>();
    private ContextService context;

    private Message message(UUID id, UUID parent, long depth, MessageRole role, String content) {
        return new Message(id, conversationId, projectId, caller.userId(), parent, depth, depth, role, content, null,
                null, null, JsonNodeFactory.instance.objectNode(), null, null, null, Instant.now(), null);
    }

    @BeforeEach
    void setUp() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        Conversation conversation = new Conversation(conversationId, projectId, caller.userId(), "c", null, true, 2, 2,
                Instant.now(), second, JsonNodeFactory.instance.objectNode(), null, Instant.now(), Instant.now());
        ProjectAccess access = new ProjectAccess(projectId, ProjectRole.VIEWER);
        Project project = new Project(projectId, caller.userId(), "p", null, null, null, null, ProjectStatus.DRAFT, 1,
                false, false, false, 0, 200_000, JsonNodeFactory.instance.objectNode(), Instant.now(), Instant.now());
        ConversationService conversations = mock(ConversationService.class);
        when(conversations.require(caller, conversationId, ProjectRole.VIEWER))
                .thenReturn(new ConversationAccess(conversation, access));
        ProjectService projects = mock(ProjectService.class);
        when(projects.get(access)).thenReturn(project);
        MessageService messages = mock(MessageService.class);
        when(messages.branch(eq(conversationId), eq(second), anyInt())).thenReturn(List.of(
                message(second, first, 2, MessageRole.ASSISTANT, "Let me look that up."),
                message(first, null, 1, MessageRole.USER, "How do I mount the bracket?")));
        KnowledgePassages passages = (project1, query, limit) -> {
            queries.add(query);
            return List.of(new Passage(UUID.randomUUID(), UUID.randomUUID(), "manual.pdf", 3, "Use four M4 screws.", 0.9),
                    new Passage(UUID.randomUUID(), UUID.randomUUID(), "faq.md", 0, "x ".repeat(200), 0.5));
        };
        StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("passages", passages));
        context = new ContextService(conversations, messages, projects, new TokenCounter(), new MessageCosts(),
                beans.getBeanProvider(KnowledgePassages.class));
    }

    @Test
    void passagesForTheLatestUserMessageComeBeforeTheHistoryAndAreListedAsSources() {
        ContextResponse response = context.build(caller, conversationId, 100_000, "gpt-4o", null);
        assertThat(queries).containsExactly("How do I mount the bracket?");
        assertThat(response.sources()).extracting(Passage::filename).containsExactly("manual.pdf", "faq.md");
        assertThat(response.messages()).extracting(ContextResponse.ContextMessage::role)
                .containsExactly("system", "user", "assistant");
        assertThat(response.messages().getFirst().content()).contains("[1] manual.pdf\nUse four M4 screws.")
                .contains("[2] faq.md");
        assertThat(response.truncated()).isFalse();
    }

    @Test
    void anExplicitQueryWinsAndPassagesThatDoNotFitAreLeftOut() {
        ContextResponse response = context.build(caller, conversationId, 80, null, "screws");
        assertThat(queries).containsExactly("screws");
        assertThat(response.sources()).extracting(Passage::filename).containsExactly("manual.pdf");
        assertThat(response.tokenCount()).isLessThanOrEqualTo(80);
    }
}
