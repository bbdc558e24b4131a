package dev.parley.web;

import java.util.Arrays;
import java.util.stream.Collectors;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.PropertyNamingStrategies;

/** Names fields in error messages the way clients wrote them: snake_case JSON paths. */
final class JsonFields {

    /** The API's naming strategy, opened up to name fields of Java parameters and properties. */
    private static final class Snake extends PropertyNamingStrategies.SnakeCaseStrategy {
        String apply(String name) {
            return translate(name);
        }
    }

    private static final Snake SNAKE = new Snake();

    private JsonFields() {
    }

    static String snakeCase(String name) {
        return name == null ? "" : SNAKE.apply(name);
    }

    /** {@code messages[2].tool_calls[0].id} from Jackson's reference chain. */
    static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        e.getPath().forEach(reference -> {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        });
        return path.isEmpty() ? "body" : path.toString();
    }

    static String typeName(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type == java.util.UUID.class) {
            return "UUID";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (type == String.class) {
            return "string";
        }
        if (type == java.time.Instant.class) {
            return "RFC 3339 timestamp";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.getName().startsWith("tools.jackson.databind.node")
                || type.isRecord()) {
            return "object";
        }
        return type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    static String enumValues(Class<?> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(constant -> constant instanceof ApiEnum api ? api.apiValue() : constant.toString())
                .collect(Collectors.joining(", "));
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
