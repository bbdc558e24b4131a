package dev.parley.task;

import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.parley.web.Clearable;
import dev.parley.web.PatchRequest;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** Bodies of the task routes. On PATCH an absent (or null) field stays as it is. */
final class TaskRequests {

    private TaskRequests() {
    }

    /**
     * A new task. Without {@code project_id} but with a conversation that is in a project,
     * the task goes into that project.
     */
    @Schema(name = "TaskCreate")
    record Create(@NotBlank @Size(max = 200) String title,
                  @Nullable @Size(max = 1000) String description,
                  @Nullable Boolean completed,
                  @Nullable UUID projectId,
                  @Nullable UUID conversationId) {
    }

    /** What a task's holder may change; the project and conversation links stay as created. */
    @Schema(name = "TaskUpdate")
    record Update(@Nullable @Size(min = 1, max = 200) String title,
                  @Nullable @Clearable @Size(max = 1000) String description,
                  @Nullable Boolean completed,
                  @JsonIgnore Set<String> nulls) implements PatchRequest<Update> {

        @Override
        public Update withNulls(Set<String> nulls) {
            return new Update(title, description, completed, nulls);
        }
    }
}
