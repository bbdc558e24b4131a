package dev.parley.user;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** {@code PATCH /admin/users/{id}}: absent fields stay as they are. */
record AdminUpdateUserRequest(@Nullable UserRole role, @JsonProperty("is_active") @Nullable Boolean active) {
}
