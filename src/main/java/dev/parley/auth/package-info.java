/**
 * Authentication: registration, login with throttling, Argon2id password hashes, short-lived
 * JWT access tokens and rotating refresh tokens grouped in families (reuse of a rotated
 * token revokes its family), logout, logout-all, password change, and the security filter
 * chain that turns a bearer token into a {@link dev.parley.web.Caller} on every request.
 */
package dev.parley.auth;
