package dev.parley.web;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An enum whose API spelling is its lower-case name ({@code OWNER} is {@code "owner"}), in
 * JSON bodies and in query parameters alike.
 */
public interface ApiEnum {

    String name();

    @JsonValue
    default String apiValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E> & ApiEnum> E parse(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.apiValue().equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("unknown value " + value);
    }
}
