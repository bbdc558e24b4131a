package dev.parley.knowledge;

import java.util.List;
import java.util.UUID;

import dev.parley.web.ApiEnum;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** Bodies of the knowledge-base routes. On PUT an absent field keeps its value (or its default). */
final class KnowledgeRequests {

    static final int MAX_QUERY = 2000;
    static final int MAX_TOP_K = 50;
    static final int DEFAULT_TOP_K = 8;

    private KnowledgeRequests() {
    }

    @Schema(name = "KnowledgeBasePut")
    record Put(@Nullable @Size(min = 1, max = 200) String name,
               @Nullable @Size(max = 2000) String description,
               @Nullable @Size(min = 1, max = 200) String embeddingModel,
               @Nullable @Min(50) @Max(2000) Integer chunkSize,
               @Nullable @Min(0) @Max(1999) Integer chunkOverlap,
               @Nullable Boolean isActive) {
    }

    @Schema(name = "KnowledgeBaseAddFile")
    record AddFile(@NotNull UUID fileId) {
    }

    enum Mode implements ApiEnum {
        HYBRID, LEXICAL, SEMANTIC
    }

    @Schema(name = "KnowledgeBaseSearch")
    record Search(@NotBlank @Size(max = MAX_QUERY) String query,
                  @Nullable @Min(1) @Max(MAX_TOP_K) Integer topK,
                  @Nullable Mode mode,
                  @Nullable @Size(max = 100) List<@NotNull UUID> fileIds) {
    }
}
