package dev.parley.imports;

import static dev.parley.imports.ProjectsDbSource.bool;
import static dev.parley.imports.ProjectsDbSource.num;
import static dev.parley.imports.ProjectsDbSource.orElse;
import static dev.parley.imports.ProjectsDbSource.orEpoch;
import static dev.parley.imports.ProjectsDbSource.rows;
import static dev.parley.imports.ProjectsDbSource.str;
import static dev.parley.imports.ProjectsDbSource.tableExists;
import static dev.parley.imports.ProjectsDbSource.time;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The to-do assistant's database (seed 004): {@code conversations}, {@code messages} (with
 * {@code tool_calls} JSON) and {@code tasks}. It has no users table: its user ids are strings
 * (usually e-mail addresses), so every distinct id becomes a source user whose username is that
 * string (made valid by the framework's rule, which then matches an existing username or creates
 * an inactive user). A conversation has no title; it takes the start of its first user message.
 * Messages of a conversation form one branch in creation order. A {@code tool_calls} value that
 * is already OpenAI's array is kept; the seed's single {@code {"function", "arguments"}} object
 * becomes a one-call array, the original kept in {@code metadata.source_tool_calls}. A task is
 * linked to its {@code conversation_id} when the table has one, else to the conversation whose
 * assistant called {@code add_task} with that title for that user.
 */
@Component
class TodoDbSource implements SourceReader {

    private static final int TITLE_LENGTH = 80;

    private final JsonMapper json = JsonMapper.builder().build();

    @Override
    public SourceKind kind() {
        return SourceKind.TODO_DB;
    }

    @Override
    public String sourceKey(String location) {
        return JdbcSourceLocation.sourceKey(SourceKind.TODO_DB, location);
    }

    @Override
    public SourceData read(String location, ImportOptions options) {
        JdbcSourceLocation database = JdbcSourceLocation.of(location);
        SourceData data = new SourceData();
        try (Connection db = database.open()) {
            Set<String> users = new LinkedHashSet<>();
            Map<String, Map<String, Object>> conversations = new LinkedHashMap<>();
            for (Map<String, Object> c : rows(db, "select * from conversations order by id")) {
                conversations.put(str(c.get("id")), c);
            }
            Map<String, List<Map<String, Object>>> messagesByConversation = new HashMap<>();
            for (Map<String, Object> m : rows(db, "select * from messages")) {
                String conversation = str(m.get("conversation_id"));
                if (!conversations.containsKey(conversation)) {
                    data.problems.add("orphan_message", str(m.get("id")) + " (conversation " + conversation + ")");
                    continue;
                }
                messagesByConversation.computeIfAbsent(conversation, k -> new ArrayList<>()).add(m);
            }
            // (user, task title) -> conversation whose assistant added it
            Map<String, String> addedIn = new HashMap<>();
            for (Map<String, Object> c : conversations.values()) {
                String id = str(c.get("id"));
                String owner = str(c.get("user_id"));
                if (owner == null || owner.isBlank()) {
                    data.problems.add("conversation_without_user", id);
                    continue;
                }
                users.add(owner);
                Instant created = orEpoch(time(c.get("created_at")));
                List<Map<String, Object>> rows = messagesByConversation.getOrDefault(id, new ArrayList<>());
                rows.sort(Comparator.<Map<String, Object>, Instant>comparing(m -> orEpoch(time(m.get("created_at"))))
                        .thenComparingLong(m -> num(m.get("id"), 0)));
                List<SourceData.Message> messages = new ArrayList<>();
                String parent = null;
                String title = null;
                Instant last = created;
                for (Map<String, Object> m : rows) {
                    String mid = str(m.get("id"));
                    String author = str(m.get("user_id"));
                    if (author == null || author.isBlank()) {
                        author = owner;
                    }
                    users.add(author);
                    String role = String.valueOf(str(m.get("role")));
                    String content = str(m.get("content"));
                    content = content == null ? "" : content;
                    if (title == null && role.equals("user") && !content.isBlank()) {
                        title = content.strip();
                    }
                    ObjectNode metadata = JsonNodeFactory.instance.objectNode();
                    JsonNode source = parse(m.get("tool_calls"), metadata);
                    JsonNode toolCalls = null;
                    String toolCallId = null;
                    if (source != null) {
                        if (role.equals("tool")) {
                            // a tool message's JSON says which call it answers, if anything
                            toolCallId = source.path("tool_call_id").isString() ? source.get("tool_call_id").asString() : null;
                            metadata.set("source_tool_calls", source);
                        } else {
                            toolCalls = openAi(source, mid, metadata);
                            for (JsonNode call : toolCalls) {
                                JsonNode function = call.path("function");
                                if ("add_task".equals(function.path("name").asString(null))) {
                                    String taskTitle = argument(function.path("arguments"), "title");
                                    if (taskTitle != null) {
                                        addedIn.putIfAbsent(owner + "\n" + taskTitle, id);
                                    }
                                }
                            }
                        }
                    }
                    Instant at = orElse(time(m.get("created_at")), created);
                    last = at.isAfter(last) ? at : last;
                    messages.add(new SourceData.Message(mid, parent, author, role, content, toolCalls, toolCallId,
                            null, metadata, null, null, null, at, null, null));
                    parent = mid;
                }
                if (title == null) {
                    title = "Conversation " + id;
                } else if (title.length() > TITLE_LENGTH) {
                    title = ImportService.truncate(title, TITLE_LENGTH - 1) + "…";
                }
                data.conversations.add(new SourceData.Conversation(id, null, owner, title, null, false,
                        JsonNodeFactory.instance.objectNode(), null, created, orElse(time(c.get("updated_at")), last),
                        null, messages, null));
            }
            if (tableExists(db, "tasks")) {
                for (Map<String, Object> t : rows(db, "select * from tasks order by id")) {
                    String id = str(t.get("id"));
                    String owner = str(t.get("user_id"));
                    if (owner == null || owner.isBlank()) {
                        data.problems.add("orphan_task", id);
                        continue;
                    }
                    users.add(owner);
                    String title = String.valueOf(str(t.get("title")));
                    String conversation = str(t.get("conversation_id"));
                    if (conversation != null && !conversations.containsKey(conversation)) {
                        data.problems.add("dangling_task_conversation", id + " -> " + conversation);
                        conversation = null;
                    } else if (conversation == null) {
                        conversation = addedIn.get(owner + "\n" + title);
                    }
                    Instant created = orEpoch(time(t.get("created_at")));
                    String description = str(t.get("description"));
                    data.tasks.add(new SourceData.Task(id, owner, null, conversation, title,
                            description == null || description.isEmpty() ? null : description, bool(t.get("completed")),
                            created, orElse(time(t.get("updated_at")), created), null));
                }
            }
            for (String user : users) {
                data.users.add(new SourceData.User(user, user, user.contains("@") ? user : null, null, null, null));
            }
        } catch (SQLException e) {
            throw database.unreadable("todo database", e);
        }
        return data;
    }

    /** The column's JSON, or null; text that is not JSON is kept in the metadata and reported by its presence. */
    private @Nullable JsonNode parse(@Nullable Object value, ObjectNode metadata) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode node = json.readTree(value.toString());
            return node == null || node.isNull() || node.isMissingNode() ? null : node;
        } catch (RuntimeException e) {
            metadata.put("source_tool_calls_text", value.toString());
            return null;
        }
    }

    /** OpenAI's {@code [{id, type, function: {name, arguments}}]}, from whatever shape the row has. */
    private ArrayNode openAi(JsonNode source, String messageId, ObjectNode metadata) {
        if (source.isArray()) {
            return (ArrayNode) source;
        }
        metadata.set("source_tool_calls", source);
        ArrayNode calls = JsonNodeFactory.instance.arrayNode();
        if (!source.isObject()) {
            return calls;
        }
        ObjectNode call = calls.addObject();
        call.put("id", source.path("id").isString() ? source.get("id").asString() : "import:" + messageId);
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        JsonNode fn = source.path("function");
        JsonNode arguments = source.path("arguments");
        if (fn.isObject()) {
            // already {"function": {"name", "arguments"}} without the array around it
            function.put("name", fn.path("name").asString(""));
            arguments = fn.path("arguments");
        } else {
            function.put("name", fn.asString(""));
        }
        function.put("arguments", arguments.isMissingNode() || arguments.isNull() ? "{}"
                : arguments.isString() ? arguments.asString() : json.writeValueAsString(arguments));
        return calls;
    }

    private @Nullable String argument(JsonNode arguments, String name) {
        JsonNode node = arguments;
        if (arguments.isString()) {
            try {
                node = json.readTree(arguments.asString());
            } catch (RuntimeException e) {
                return null;
            }
        }
        JsonNode value = node.path(name);
        return value.isString() ? value.asString() : null;
    }
}
