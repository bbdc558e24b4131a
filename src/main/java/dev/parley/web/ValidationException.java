package dev.parley.web;

import java.util.List;

/** Well-formed input that breaks a rule (422), naming the field that breaks it. */
public class ValidationException extends ApiException {

    public ValidationException(String field, String message) {
        super(ErrorCode.VALIDATION_FAILED, field + ": " + message, List.of(new FieldMessage(field, message)));
    }
}
