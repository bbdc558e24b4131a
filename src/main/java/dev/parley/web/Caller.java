package dev.parley.web;

import java.util.UUID;

/**
 * The authenticated user a request acts for. Controllers take it as a parameter; it is
 * resolved from the verified access token, never from the request body.
 */
public record Caller(UUID userId, String username, boolean admin) {

    /** The request attribute under which the authenticated caller is also kept, for logging. */
    public static final String REQUEST_ATTRIBUTE = Caller.class.getName();
}
