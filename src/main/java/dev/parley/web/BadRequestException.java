package dev.parley.web;

import java.util.List;

/** Input that cannot even be read as asked (400), naming the parameter. */
public class BadRequestException extends ApiException {

    public BadRequestException(ErrorCode code, String field, String message) {
        super(code, field + ": " + message, List.of(new FieldMessage(field, message)));
    }
}
