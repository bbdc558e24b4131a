package dev.parley.user;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/** A stored user, password hash included: it never leaves the server (see {@link UserResponse}). */
public record User(UUID id, String username, String email, String fullName, String passwordHash, UserRole role,
                   boolean active, boolean verified, JsonNode preferences, int tokenVersion, Instant createdAt,
                   Instant updatedAt, Instant lastLoginAt) {

    public boolean isAdmin() {
        return role == UserRole.ADMIN;
    }
}
