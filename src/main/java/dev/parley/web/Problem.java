package dev.parley.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An RFC 9457 problem document as Parley writes it, with the {@code code} and
 * {@code errors} extension members.
 */
@JsonPropertyOrder({"type", "title", "status", "detail", "instance", "code", "errors"})
public record Problem(String type, String title, int status, String detail, String instance,
                      String code, List<FieldMessage> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(ErrorCode code, String detail, String instance, List<FieldMessage> errors) {
        return new Problem(code.type(), code.title(), code.status().value(), detail, instance, code.code(),
                List.copyOf(errors));
    }
}
