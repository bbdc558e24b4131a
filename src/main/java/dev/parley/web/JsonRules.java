package dev.parley.web;

import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Rules for free-form JSON members ({@code metadata}, {@code preferences}, ...). */
public final class JsonRules {

    /** A free-form object may hold this much serialized JSON. */
    public static final int MAX_OBJECT_BYTES = 64 * 1024;

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private JsonRules() {
    }

    /**
     * Checks that {@code value} is a JSON object of bounded size whose text both databases
     * can store (no NUL, no lone surrogate, in keys and values alike).
     */
    public static void requireObject(String field, JsonNode value) {
        requireObject(field, value, MAX_OBJECT_BYTES);
    }

    public static void requireObject(String field, JsonNode value, int maxBytes) {
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isObject()) {
            throw new ValidationException(field, "must be a JSON object");
        }
        requireStorable(field, value, maxBytes);
    }

    public static void requireStorable(String field, JsonNode value, int maxBytes) {
        if (MAPPER.writeValueAsBytes(value).length > maxBytes) {
            throw new ValidationException(field, "must be at most " + maxBytes + " bytes of JSON");
        }
        checkText(field, value);
    }

    private static void checkText(String field, JsonNode node) {
        if (node.isString()) {
            String problem = TextRules.unstorable(node.asString());
            if (problem != null) {
                throw new ValidationException(field, problem);
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                String problem = TextRules.unstorable(entry.getKey());
                if (problem != null) {
                    throw new ValidationException(field, "keys " + problem);
                }
                checkText(field, entry.getValue());
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                checkText(field, element);
            }
        }
    }
}
