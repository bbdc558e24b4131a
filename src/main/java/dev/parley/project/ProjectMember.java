package dev.parley.project;

import java.time.Instant;
import java.util.UUID;

/** A member as listed: who, in which role, since when. */
record ProjectMember(UUID projectId, UUID userId, String username, ProjectRole role, Instant createdAt) {
}
