package dev.parley.artifact;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

/**
 * An artifact at its current version. {@code content} is null (and left out of the JSON) in
 * lists; {@code sizeBytes} is the UTF-8 size of the content either way.
 */
public record Artifact(UUID id, UUID projectId, UUID userId, UUID conversationId, UUID messageId, String name,
                       ArtifactKind kind, String mediaType,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String content, long sizeBytes, int version,
                       JsonNode metadata, Instant createdAt, Instant updatedAt) {

    Artifact withoutContent() {
        return new Artifact(id, projectId, userId, conversationId, messageId, name, kind, mediaType, null, sizeBytes,
                version, metadata, createdAt, updatedAt);
    }
}
