package dev.parley.user;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/** A user as the API shows it: everything but the password hash and the token version. */
public record UserResponse(UUID id, String username, String email, String fullName, UserRole role,
                           @JsonProperty("is_active") boolean active, @JsonProperty("is_verified") boolean verified,
                           JsonNode preferences, Instant createdAt, Instant updatedAt, Instant lastLoginAt) {

    public static UserResponse of(User user) {
        return new UserResponse(user.id(), user.username(), user.email(), user.fullName(), user.role(), user.active(),
                user.verified(), user.preferences(), user.createdAt(), user.updatedAt(), user.lastLoginAt());
    }
}
