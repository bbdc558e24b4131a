package dev.parley.web;

/** The caller may see the resource but not do this to it. */
public class ForbiddenException extends ApiException {

    public ForbiddenException(String detail) {
        super(ErrorCode.FORBIDDEN, detail);
    }
}
