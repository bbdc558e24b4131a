package dev.parley.web;

/**
 * The secret every instance of one deployment shares (the auth module's token signing key),
 * from which other features derive keys of their own: a derived key opens nothing but what it
 * was derived for.
 */
public interface ServerSecret {

    /** A 32-byte key for {@code purpose}; the same on every instance that shares the secret. */
    byte[] derive(String purpose);
}
