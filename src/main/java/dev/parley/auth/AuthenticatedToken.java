package dev.parley.auth;

import java.time.Instant;
import java.util.UUID;

import dev.parley.web.Caller;

/** A verified access token: who it speaks for and which session it belongs to. */
record AuthenticatedToken(Caller caller, UUID jti, UUID familyId, Instant expiresAt) {
}
