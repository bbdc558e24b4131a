package dev.parley.conversation;

import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.parley.web.Clearable;
import dev.parley.web.PatchRequest;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Bodies of the conversation routes. On PATCH an absent (or null) field stays as it is. */
final class ConversationRequests {

    private ConversationRequests() {
    }

    @Schema(name = "ConversationCreate")

    record Create(@Nullable UUID projectId,
                  @Nullable @Size(min = 1, max = 200) String title,
                  @Nullable @Size(max = 200) String modelId,
                  @Nullable Boolean useKnowledgeBase,
                  @Nullable JsonNode metadata) {
    }

    /** {@code project_id} moves the conversation (and its messages) to another project. */
    @Schema(name = "ConversationUpdate")
    record Update(@Nullable @Size(min = 1, max = 200) String title,
                  @Nullable @Clearable @Size(max = 200) String modelId,
                  @Nullable @Clearable UUID projectId,
                  @Nullable Boolean useKnowledgeBase,
                  @Nullable JsonNode metadata,
                  @JsonIgnore Set<String> nulls) implements PatchRequest<Update> {

        @Override
        public Update withNulls(Set<String> nulls) {
            return new Update(title, modelId, projectId, useKnowledgeBase, metadata, nulls);
        }
    }

    record SetLeaf(@NotNull UUID messageId) {
    }
}
