package dev.parley.web;

/** One entry of a problem's {@code errors}: which input field is wrong and why. */
public record FieldMessage(String field, String message) {
}
