package dev.parley.web;

/** The resource does not exist, or the caller may not know that it does. */
public class NotFoundException extends ApiException {

    public NotFoundException(String what) {
        super(ErrorCode.NOT_FOUND, what + " not found");
    }
}
