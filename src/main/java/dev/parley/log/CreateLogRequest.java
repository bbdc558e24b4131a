package dev.parley.log;

import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** {@code version} defaults to the project's current version. */
record CreateLogRequest(@Nullable @Min(1) @Max(1_000_000) Integer version,
                        @NotNull LogLevel level,
                        @NotBlank @Size(max = 10_000) String summary,
                        @Nullable UUID fileId,
                        @Nullable JsonNode metadata) {
}
