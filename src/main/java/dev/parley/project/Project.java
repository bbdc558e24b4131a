package dev.parley.project;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/** A stored project. {@code userId} is its creator, whose single default project it may be. */
public record Project(UUID id, UUID userId, String name, String description, String goals, String customInstructions,
                      String defaultModel, ProjectStatus status, int currentVersion, boolean pinned, boolean archived,
                      boolean isDefault, long tokenUsage, long maxTokens, JsonNode metadata, Instant createdAt,
                      Instant updatedAt) {

    public boolean withinBudget() {
        return tokenUsage < maxTokens;
    }
}
