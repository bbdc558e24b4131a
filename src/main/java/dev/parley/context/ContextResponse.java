package dev.parley.context;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

/** The messages of the next model call and how they were chosen. */
record ContextResponse(String model, List<ContextMessage> messages, int tokenCount, int maxTokens, boolean truncated,
                       long omittedMessages, List<KnowledgePassages.Passage> sources) {

    /** A message as an OpenAI-style chat endpoint takes it: absent members are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ContextMessage(String role, String content, JsonNode toolCalls, String toolCallId, String name) {
    }
}
