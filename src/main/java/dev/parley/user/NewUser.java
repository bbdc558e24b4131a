package dev.parley.user;

/** What creating a user takes; the password is already hashed by the caller. */
public record NewUser(String username, String passwordHash, String email, String fullName, boolean active) {
}
