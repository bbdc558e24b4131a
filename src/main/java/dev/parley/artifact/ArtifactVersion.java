package dev.parley.artifact;

import java.time.Instant;
import java.util.UUID;

/** One version of an artifact's content. */
public record ArtifactVersion(UUID artifactId, int version, String mediaType, String content, long sizeBytes,
                              UUID userId, Instant createdAt) {

    ArtifactVersion withContent(String content) {
        return new ArtifactVersion(artifactId, version, mediaType, content, sizeBytes, userId, createdAt);
    }
}
