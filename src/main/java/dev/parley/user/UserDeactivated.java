package dev.parley.user;

import java.util.UUID;

/**
 * Published, inside the deactivating transaction, when an admin deactivates a user: whoever
 * keeps sessions for users ends them, so that a later reactivation starts from a clean slate.
 */
public record UserDeactivated(UUID userId) {
}
