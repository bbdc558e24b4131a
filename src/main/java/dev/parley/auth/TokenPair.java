package dev.parley.auth;

/** The answer of login and refresh, in the OAuth 2 token-response shape. */
record TokenPair(String accessToken, String refreshToken, String tokenType, long expiresIn) {
}
