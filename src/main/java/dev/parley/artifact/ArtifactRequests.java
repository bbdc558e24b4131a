package dev.parley.artifact;

import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.parley.web.Clearable;
import dev.parley.web.PatchRequest;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Bodies of the artifact routes. On PATCH an absent field stays as it is. */
final class ArtifactRequests {

    static final int MAX_CONTENT_BYTES = 10 * 1024 * 1024;

    private ArtifactRequests() {
    }

    @Schema(name = "ArtifactCreate")
    record Create(@NotBlank @Size(max = 200) String name,
                  @NotNull ArtifactKind kind,
                  @Nullable @Size(max = 255) String mediaType,
                  @NotNull @Size(max = MAX_CONTENT_BYTES) String content,
                  @Nullable UUID conversationId,
                  @Nullable UUID messageId,
                  @Nullable JsonNode metadata) {
    }

    @Schema(name = "ArtifactUpdate")
    record Update(@Nullable @Size(min = 1, max = 200) String name,
                  @Nullable ArtifactKind kind,
                  @Nullable @Size(max = 255) String mediaType,
                  @Nullable @Size(max = MAX_CONTENT_BYTES) String content,
                  @Nullable @Clearable UUID conversationId,
                  @Nullable @Clearable UUID messageId,
                  @Nullable JsonNode metadata,
                  @JsonIgnore Set<String> nulls) implements PatchRequest<Update> {

        @Override
        public Update withNulls(Set<String> nulls) {
            return new Update(name, kind, mediaType, content, conversationId, messageId, metadata, nulls);
        }
    }
}
