package dev.parley.web;

/** The request collides with the current state of a resource. */
public class ConflictException extends ApiException {

    public ConflictException(String detail) {
        super(ErrorCode.CONFLICT, detail);
    }

    public ConflictException(ErrorCode code, String detail) {
        super(code, detail);
    }
}
