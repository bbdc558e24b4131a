package dev.parley.storage;

import org.jooq.JSON;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** JSON columns ({@code jsonb} / checked text) to and from Jackson trees. */
public final class JsonColumns {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private JsonColumns() {
    }

    public static JSON json(JsonNode node) {
        return node == null || node.isNull() ? null : JSON.valueOf(MAPPER.writeValueAsString(node));
    }

    public static JsonNode node(JSON json) {
        return json == null ? null : MAPPER.readTree(json.data());
    }

    /** An object column that is never null: absent reads as {@code {}}. */
    public static JsonNode object(JSON json) {
        return json == null ? JsonNodeFactory.instance.objectNode() : MAPPER.readTree(json.data());
    }

    public static JSON emptyObject() {
        return JSON.valueOf("{}");
    }
}
