/**
 * Users: accounts, roles ({@code user}, {@code admin}), activation and preferences, the
 * caller's own profile ({@code /me}) and the admin's user list. Credentials and tokens are
 * the auth module's; this module keeps the rows they are checked against.
 */
package dev.parley.user;
