package dev.parley.web;

import org.springframework.http.HttpStatus;

/**
 * The stable, machine-readable {@code code} of every problem Parley answers with, its HTTP
 * status and its fixed title. Clients branch on the code; the detail is for people.
 */
public enum ErrorCode {
    BAD_REQUEST(HttpStatus.BAD_REQUEST, "Bad request"),
    MALFORMED_JSON(HttpStatus.BAD_REQUEST, "Malformed JSON"),
    INVALID_FIELD(HttpStatus.BAD_REQUEST, "Invalid field"),
    INVALID_PARAMETER(HttpStatus.BAD_REQUEST, "Invalid parameter"),
    INVALID_CURSOR(HttpStatus.BAD_REQUEST, "Invalid cursor"),
    VALIDATION_FAILED(HttpStatus.UNPROCESSABLE_CONTENT, "Validation failed"),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "Unauthorized"),
    INVALID_CREDENTIALS(HttpStatus.UNAUTHORIZED, "Invalid credentials"),
    INVALID_TOKEN(HttpStatus.UNAUTHORIZED, "Invalid token"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "Forbidden"),
    REGISTRATION_CLOSED(HttpStatus.FORBIDDEN, "Registration closed"),
    ACCOUNT_INACTIVE(HttpStatus.FORBIDDEN, "Account inactive"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),
    KNOWLEDGE_BASE_NOT_FOUND(HttpStatus.NOT_FOUND, "Knowledge base not found"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
    CONFLICT(HttpStatus.CONFLICT, "Conflict"),
    USERNAME_TAKEN(HttpStatus.CONFLICT, "Username taken"),
    IDEMPOTENCY_IN_PROGRESS(HttpStatus.CONFLICT, "Request in progress"),
    /** The file's bytes are not in Parley, only a record of where they are (an imported external file). */
    CONTENT_EXTERNAL(HttpStatus.CONFLICT, "Content is external"),
    IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency key reused"),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
    RANGE_NOT_SATISFIABLE(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "Range not satisfiable"),
    TOO_MANY_REQUESTS(HttpStatus.TOO_MANY_REQUESTS, "Too many requests"),
    TOKEN_BUDGET_EXHAUSTED(HttpStatus.TOO_MANY_REQUESTS, "Token budget exhausted"),
    SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable"),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

    private final HttpStatus status;
    private final String title;

    ErrorCode(HttpStatus status, String title) {
        this.status = status;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The value of the problem's {@code code} member. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The problem's {@code type}: a stable URI per code. */
    public String type() {
        return "urn:parley:problem:" + code();
    }
}
