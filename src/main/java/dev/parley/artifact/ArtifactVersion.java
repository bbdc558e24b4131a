package dev.parley.artifact;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One version of an artifact's content; {@code content} is left out in the versions list. */
public record ArtifactVersion(UUID artifactId, int version, String mediaType,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String content, long sizeBytes,
                              UUID userId, Instant createdAt) {
}
