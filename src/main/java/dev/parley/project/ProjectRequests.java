package dev.parley.project;

import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.parley.web.Clearable;
import dev.parley.web.PatchRequest;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Bodies of the project routes. On PATCH an absent field stays as it is. */
final class ProjectRequests {

    private ProjectRequests() {
    }

    @Schema(name = "ProjectCreate")
    record Create(@NotBlank @Size(max = 200) String name,
                  @Nullable @Size(max = 10_000) String description,
                  @Nullable @Size(max = 10_000) String goals,
                  @Nullable @Size(max = 100_000) String customInstructions,
                  @Nullable @Size(max = 200) String defaultModel,
                  @Nullable ProjectStatus status,
                  @Nullable @Min(1) @Max(1_000_000) Integer currentVersion,
                  @Nullable Boolean pinned,
                  @Nullable Boolean archived,
                  @JsonProperty("is_default") @Nullable Boolean isDefault,
                  @Nullable @Positive @Max(1_000_000_000_000L) Long maxTokens,
                  @Nullable JsonNode metadata) {
    }

    @Schema(name = "ProjectUpdate")
    record Update(@Nullable @Size(min = 1, max = 200) String name,
                  @Nullable @Clearable @Size(max = 10_000) String description,
                  @Nullable @Clearable @Size(max = 10_000) String goals,
                  @Nullable @Clearable @Size(max = 100_000) String customInstructions,
                  @Nullable @Clearable @Size(max = 200) String defaultModel,
                  @Nullable ProjectStatus status,
                  @Nullable @Min(1) @Max(1_000_000) Integer currentVersion,
                  @Nullable Boolean pinned,
                  @Nullable Boolean archived,
                  @JsonProperty("is_default") @Nullable Boolean isDefault,
                  @Nullable @Positive @Max(1_000_000_000_000L) Long maxTokens,
                  @Nullable JsonNode metadata,
                  @JsonIgnore Set<String> nulls) implements PatchRequest<Update> {

        @Override
        public Update withNulls(Set<String> nulls) {
            return new Update(name, description, goals, customInstructions, defaultModel, status, currentVersion,
                    pinned, archived, isDefault, maxTokens, metadata, nulls);
        }
    }

    record PutMember(@NotNull ProjectRole role) {
    }
}
