package dev.parley.web;

import java.util.List;
import java.util.Map;

/**
 * A failure the client can act on. The problem-details handler turns it into an RFC 9457
 * answer with its {@link ErrorCode}; nothing else about it (class, stack) leaves the server.
 */
public class ApiException extends RuntimeException {

    private final ErrorCode errorCode;
    private final List<FieldMessage> errors;

    public ApiException(ErrorCode errorCode, String detail) {
        this(errorCode, detail, List.of());
    }

    public ApiException(ErrorCode errorCode, String detail, List<FieldMessage> errors) {
        super(detail, null, false, false);
        this.errorCode = errorCode;
        this.errors = List.copyOf(errors);
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public List<FieldMessage> errors() {
        return errors;
    }

    /** Response headers the answer carries besides the problem document (none by default). */
    public Map<String, String> headers() {
        return Map.of();
    }
}
