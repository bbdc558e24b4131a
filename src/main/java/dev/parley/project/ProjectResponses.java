package dev.parley.project;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/** Projects and members as the API shows them. */
final class ProjectResponses {

    private ProjectResponses() {
    }

    record ProjectResponse(UUID id, String name, String description, String goals, String customInstructions,
                           String defaultModel, ProjectStatus status, int currentVersion, boolean pinned,
                           boolean archived, @JsonProperty("is_default") boolean isDefault, long tokenUsage,
                           long maxTokens, JsonNode metadata, Instant createdAt, Instant updatedAt) {

        static ProjectResponse of(Project p) {
            return new ProjectResponse(p.id(), p.name(), p.description(), p.goals(), p.customInstructions(),
                    p.defaultModel(), p.status(), p.currentVersion(), p.pinned(), p.archived(), p.isDefault(),
                    p.tokenUsage(), p.maxTokens(), p.metadata(), p.createdAt(), p.updatedAt());
        }
    }

    record MemberResponse(UUID userId, String username, ProjectRole role, Instant createdAt) {

        static MemberResponse of(ProjectMember m) {
            return new MemberResponse(m.userId(), m.username(), m.role(), m.createdAt());
        }
    }

    record Summary(ProjectResponse project, Map<String, Long> counts, long tokenUsage, long maxTokens,
                   boolean withinBudget, Map<String, Object> latestFiles) {
    }
}
