package dev.parley.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads {@code mongoexport} output one document at a time: one Extended JSON document per line
 * (the default), a JSON array ({@code --jsonArray}) or documents over several lines each
 * ({@code --pretty}), in canonical or relaxed mode. Each
 * document comes out as plain JSON: {@code {"$oid": h}} becomes the hex string, a
 * {@code $date} (ISO text, {@code {"$numberLong": ms}} or bare milliseconds) the ISO-8601 UTC
 * text, {@code $numberLong}/{@code $numberInt}/{@code $numberDouble}/{@code $numberDecimal}
 * numbers (a non-finite double or decimal stays text: JSON and jsonb have no NaN). A line that
 * is not a JSON object is a {@code bad_json} problem with its line number and reading goes on
 * with the next line; in an array or pretty output a syntax error ends the file, since nothing
 * after it can be trusted to start a document, and that is reported with the line where it
 * happened.
 */
final class ExtendedJson {

    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-fA-F]{24}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A line is one document: anything after it makes the line bad. */
    private final JsonMapper json = JsonMapper.builder().build();
    /** In an array the next element follows the one just read. */
    private final JsonMapper elements = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /** One document of a collection and the line it starts on. */
    interface Handler {
        void accept(JsonNode document, long line);
    }

    /** Every document of a file, in file order, normalised; bad ones are counted in {@code problems}. */
    void read(Path file, String collection, Problems problems, Handler handler) throws IOException {
        switch (layout(file)) {
            case ARRAY -> readDocuments(file, collection, problems, handler, true);
            case PRETTY -> readDocuments(file, collection, problems, handler, false);
            case LINES -> readLines(file, collection, problems, handler);
        }
    }

    /** How mongoexport wrote the file: plain, {@code --jsonArray}, or {@code --pretty}. */
    private enum Layout { LINES, ARRAY, PRETTY }

    /**
     * An array starts with {@code [}; {@code --pretty} output starts with a document that does
     * not close on its first line ({@code {} alone); anything else is a document per line.
     */
    private static Layout layout(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                String start = line.replace("\uFEFF", "").strip();
                if (!start.isEmpty()) {
                    return start.startsWith("[") ? Layout.ARRAY : start.equals("{") ? Layout.PRETTY : Layout.LINES;
                }
            }
            return Layout.LINES;
        }
    }

    private void readLines(Path file, String collection, Problems problems, Handler handler) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (number == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                JsonNode document;
                try {
                    document = json.readTree(line);
                } catch (JacksonException e) {
                    problems.add("bad_json", where(file, collection, number) + ": " + e.getOriginalMessage());
                    continue;
                }
                if (!document.isObject()) {
                    problems.add("bad_json", where(file, collection, number) + ": not a document");
                    continue;
                }
                handler.accept(normalise(document), number);
            }
        }
    }

    /**
     * A {@code --jsonArray} array, element by element, or {@code --pretty} output: documents one
     * after another over several lines each. A syntax error ends the file, since nothing after it
     * can be trusted to start a document.
     */
    private void readDocuments(Path file, String collection, Problems problems, Handler handler, boolean array)
            throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             JsonParser parser = elements.createParser(in)) {
            long line = 1;
            try {
                if (array) {
                    parser.nextToken(); // the array's start, checked by layout
                }
                JsonToken token;
                while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
                    line = parser.currentLocation().getLineNr();
                    if (token == JsonToken.START_OBJECT) {
                        handler.accept(normalise(elements.readTree(parser)), line);
                    } else {
                        parser.skipChildren();
                        problems.add("bad_json", where(file, collection, line) + ": not a document");
                    }
                }
            } catch (JacksonException e) {
                long at = e.getLocation() == null ? line : e.getLocation().getLineNr();
                problems.add("bad_json", where(file, collection, at) + ": " + e.getOriginalMessage()
                        + (array ? " (the rest of this array was not read)" : " (the rest of this file was not read)"));
            }
        }
    }

    private static String where(Path file, String collection, long line) {
        return collection + " (" + file.getFileName() + ") line " + line;
    }

    /** Extended JSON's type wrappers replaced by the plain values they stand for. */
    static JsonNode normalise(JsonNode node) {
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode(node.size());
            node.forEach(e -> out.add(normalise(e)));
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        if (node.size() == 1) {
            Map.Entry<String, JsonNode> only = node.properties().iterator().next();
            JsonNode plain = wrapped(only.getKey(), only.getValue());
            if (plain != null) {
                return plain;
            }
        }
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            out.set(e.getKey(), normalise(e.getValue()));
        }
        return out;
    }

    private static @Nullable JsonNode wrapped(String type, JsonNode value) {
        try {
            return switch (type) {
                case "$oid", "$symbol" -> value.isString() ? NODES.stringNode(value.asString()) : null;
                case "$date" -> {
                    Instant at = date(value);
                    yield at == null ? null : NODES.stringNode(at.toString());
                }
                case "$numberLong" -> NODES.numberNode(Long.parseLong(value.asString().strip()));
                case "$numberInt" -> NODES.numberNode(Integer.parseInt(value.asString().strip()));
                case "$numberDouble" -> {
                    double d = Double.parseDouble(value.asString().strip());
                    yield Double.isFinite(d) ? NODES.numberNode(d) : NODES.stringNode(value.asString());
                }
                case "$numberDecimal" -> NODES.numberNode(new BigDecimal(value.asString().strip()));
                default -> null;
            };
        } catch (NumberFormatException e) {
            // "NaN", "Infinity" or a malformed number: the text is all that can be kept
            return NODES.stringNode(value.asString());
        }
    }

    /** A {@code $date}'s value: ISO text (relaxed), {@code {"$numberLong": ms}} (canonical) or ms. */
    private static @Nullable Instant date(JsonNode value) {
        if (value.isNumber()) {
            return Instant.ofEpochMilli(value.asLong());
        }
        if (value.isObject() && value.has("$numberLong")) {
            return Instant.ofEpochMilli(Long.parseLong(value.get("$numberLong").asString().strip()));
        }
        if (value.isString()) {
            try {
                return OffsetDateTime.parse(value.asString().strip()).toInstant();
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    /** The creation second an ObjectId carries in its first four bytes, when the id is one. */
    static @Nullable Instant objectIdTime(@Nullable String id) {
        if (id == null || !OBJECT_ID.matcher(id).matches()) {
            return null;
        }
        return Instant.ofEpochSecond(Long.parseLong(id.substring(0, 8), 16));
    }
}
