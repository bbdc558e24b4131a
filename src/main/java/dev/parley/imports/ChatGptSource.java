package dev.parley.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A ChatGPT data export: {@code conversations.json}, or the export's zip that holds it. Each
 * conversation's {@code mapping} is its whole tree; every node with a message becomes a
 * message (nodes without one, like the hidden root, are skipped and their children hang from
 * the nearest message above), {@code current_node} is the leaf. Text parts are joined into the
 * content; any other content (code, execution output, browsing results, quotes, images) keeps
 * its readable text as the content and its whole object in the metadata under
 * {@code chatgpt.content}. An assistant message addressed to a tool ({@code recipient} other
 * than {@code all}) carries a tool call to that tool, and the tool's answer is a {@code tool}
 * message answering that call, so the pair stays together in a context window.
 */
@Component
class ChatGptSource implements SourceReader {

    static final String OWNER = "owner";

    private final JsonMapper json = JsonMapper.builder()
            .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    @Override
    public SourceKind kind() {
        return SourceKind.CHATGPT;
    }

    @Override
    public String sourceKey(String location) {
        return "chatgpt:" + Path.of(location).toAbsolutePath().normalize();
    }

    @Override
    public SourceData read(String location, ImportOptions options) {
        if (options.owner() == null) {
            throw new dev.parley.web.ValidationException("owner",
                    "a ChatGPT export names no user: say which user owns it");
        }
        Path path = Path.of(location);
        if (!Files.isRegularFile(path)) {
            throw new dev.parley.web.ValidationException("location", "is not a file");
        }
        SourceData data = new SourceData();
        data.users.add(new SourceData.User(OWNER, options.owner(), null, null, null, null));
        try {
            if (path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
                try (ZipFile zip = new ZipFile(path.toFile())) {
                    ZipEntry entry = zip.stream().filter(e -> e.getName().endsWith("conversations.json")).findFirst()
                            .orElseThrow(() -> new dev.parley.web.ValidationException("location",
                                    "the zip holds no conversations.json"));
                    try (InputStream in = zip.getInputStream(entry)) {
                        readConversations(in, data);
                    }
                }
            } else {
                try (InputStream in = Files.newInputStream(path)) {
                    readConversations(in, data);
                }
            }
        } catch (IOException | tools.jackson.core.JacksonException e) {
            throw new dev.parley.web.ValidationException("location", "is not a readable ChatGPT export: "
                    + e.getMessage());
        }
        return data;
    }

    private void readConversations(InputStream in, SourceData data) {
        try (JsonParser parser = json.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new dev.parley.web.ValidationException("location", "conversations.json is not an array");
            }
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                JsonNode conversation = json.readTree(parser);
                conversation(conversation, data);
            }
        }
    }

    private void conversation(JsonNode c, SourceData data) {
        String id = firstText(c, "id", "conversation_id");
        if (id == null) {
            data.problems.add("conversation_without_id", String.valueOf(c.path("title").asString("")));
            return;
        }
        Instant created = time(c.get("create_time"));
        Instant updated = time(c.get("update_time"));
        JsonNode mapping = c.path("mapping");
        Map<String, JsonNode> nodes = new HashMap<>();
        for (var e : mapping.properties()) {
            nodes.put(e.getKey(), e.getValue());
        }
        List<SourceData.Message> messages = new ArrayList<>();
        Instant latest = created;
        for (var e : nodes.entrySet()) {
            JsonNode node = e.getValue();
            JsonNode message = node.get("message");
            if (message == null || message.isNull()) {
                continue;
            }
            String parent = nearestMessage(nodes, text(node, "parent"));
            if (text(node, "parent") != null && !nodes.containsKey(text(node, "parent"))) {
                data.problems.add("dangling_parent", id + "/" + e.getKey());
            }
            Instant at = time(message.get("create_time"));
            if (at == null) {
                at = parent != null ? time(nodes.get(parent).path("message").get("create_time")) : null;
            }
            if (at == null) {
                at = created != null ? created : Instant.EPOCH;
            }
            latest = latest == null || at.isAfter(latest) ? at : latest;
            messages.add(message(id, e.getKey(), parent, message, nodes, at, data));
        }
        // messages in the order of their times, so equal times keep a stable order
        messages.sort(java.util.Comparator.comparing(SourceData.Message::createdAt)
                .thenComparing(SourceData.Message::sourceId));
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        ObjectNode chatgpt = metadata.putObject("chatgpt");
        for (String field : List.of("conversation_template_id", "gizmo_id", "gizmo_type", "is_archived",
                "default_model_slug", "plugin_ids", "safe_urls", "moderation_results", "conversation_origin",
                "voice", "async_status")) {
            if (c.has(field) && !c.get(field).isNull()) {
                chatgpt.set(field, c.get(field));
            }
        }
        String leaf = nearestMessage(nodes, text(c, "current_node"));
        if (created == null) {
            created = messages.isEmpty() ? Instant.EPOCH : messages.getFirst().createdAt();
        }
        if (updated == null) {
            updated = latest == null ? created : latest;
        }
        String title = text(c, "title");
        data.conversations.add(new SourceData.Conversation(id, null, OWNER, title == null ? "New Chat" : title,
                text(c, "default_model_slug"), false, metadata, null, created, updated, leaf, messages, null));
    }

    /** The node itself if it holds a message, else the nearest ancestor that does. */
    private static @Nullable String nearestMessage(Map<String, JsonNode> nodes, @Nullable String id) {
        int guard = 0;
        while (id != null && nodes.containsKey(id) && guard++ < 100_000) {
            JsonNode node = nodes.get(id);
            JsonNode message = node.get("message");
            if (message != null && !message.isNull()) {
                return id;
            }
            id = text(node, "parent");
        }
        return null;
    }

    private SourceData.Message message(String conversation, String nodeId, @Nullable String parent, JsonNode m,
                                       Map<String, JsonNode> nodes, Instant at, SourceData data) {
        JsonNode author = m.path("author");
        String role = author.path("role").asString("");
        String authorName = text(author, "name");
        JsonNode content = m.path("content");
        String contentType = content.path("content_type").asString("text");
        String recipient = m.path("recipient").asString("all");
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        ObjectNode chatgpt = metadata.putObject("chatgpt");
        chatgpt.put("id", text(m, "id"));
        chatgpt.put("content_type", contentType);
        if (authorName != null) {
            chatgpt.put("author_name", authorName);
        }
        chatgpt.put("recipient", recipient);
        for (String field : List.of("status", "end_turn", "weight", "channel")) {
            if (m.has(field) && !m.get(field).isNull()) {
                chatgpt.set(field, m.get(field));
            }
        }
        if (m.has("metadata") && m.get("metadata").isObject()) {
            chatgpt.set("metadata", m.get("metadata"));
            String slug = text(m.get("metadata"), "model_slug");
            if (slug != null) {
                metadata.put("model", slug);
            }
        }
        String text = contentText(content);
        boolean plainText = contentType.equals("text") && content.path("parts").valueStream().allMatch(JsonNode::isString);
        if (!plainText) {
            chatgpt.set("content", content);
        }
        if (m.has("update_time") && !m.get("update_time").isNull()) {
            chatgpt.set("update_time", m.get("update_time"));
        }
        String mappedRole = role;
        JsonNode toolCalls = null;
        String toolCallId = null;
        String name = null;
        switch (role) {
            case "user", "system" -> name = null;
            case "assistant" -> {
                if (!recipient.equals("all")) {
                    ArrayNode calls = JsonNodeFactory.instance.arrayNode();
                    ObjectNode call = calls.addObject();
                    call.put("id", "chatgpt:" + nodeId);
                    call.put("type", "function");
                    ObjectNode function = call.putObject("function");
                    function.put("name", recipient);
                    function.put("arguments", text);
                    toolCalls = calls;
                }
            }
            case "tool" -> {
                name = authorName;
                toolCallId = parent != null && isToolCall(nodes.get(parent)) ? "chatgpt:" + parent : "chatgpt:" + nodeId;
            }
            default -> mappedRole = role;
        }
        return new SourceData.Message(nodeId, parent, null, mappedRole, text, toolCalls, toolCallId, name, metadata,
                null, null, null, at, null, null);
    }

    private static boolean isToolCall(JsonNode node) {
        JsonNode m = node.path("message");
        return m.path("author").path("role").asString("").equals("assistant")
                && !m.path("recipient").asString("all").equals("all");
    }

    /** The readable text of a content object, whatever its type. */
    private String contentText(JsonNode content) {
        if (content.has("parts") && content.get("parts").isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode part : content.get("parts")) {
                if (part.isString()) {
                    parts.add(part.asString());
                } else if (part.isObject() && part.has("text") && part.get("text").isString()) {
                    parts.add(part.get("text").asString());
                } else if (!part.isNull()) {
                    parts.add(json.writeValueAsString(part));
                }
            }
            return String.join("\n", parts);
        }
        for (String field : List.of("text", "result", "content", "summary")) {
            if (content.has(field) && content.get(field).isString()) {
                return content.get(field).asString();
            }
        }
        if (content.has("thoughts") && content.get("thoughts").isArray()) {
            List<String> thoughts = new ArrayList<>();
            content.get("thoughts").forEach(t -> thoughts.add(t.path("content").asString("")));
            return String.join("\n", thoughts);
        }
        return content.isMissingNode() ? "" : json.writeValueAsString(content);
    }

    private static @Nullable String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            String value = text(node, field);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    /** Seconds since the epoch with a fraction, to the microsecond. */
    static @Nullable Instant time(@Nullable JsonNode value) {
        if (value == null || !value.isNumber()) {
            return null;
        }
        java.math.BigDecimal seconds = value.decimalValue();
        long whole = seconds.longValue();
        long micros = seconds.subtract(java.math.BigDecimal.valueOf(whole)).movePointRight(6).longValue();
        return Instant.ofEpochSecond(whole, micros * 1000);
    }
}
