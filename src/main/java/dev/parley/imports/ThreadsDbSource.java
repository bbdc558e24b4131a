package dev.parley.imports;

import static dev.parley.imports.ProjectsDbSource.mediaType;
import static dev.parley.imports.ProjectsDbSource.num;
import static dev.parley.imports.ProjectsDbSource.orElse;
import static dev.parley.imports.ProjectsDbSource.orEpoch;
import static dev.parley.imports.ProjectsDbSource.rows;
import static dev.parley.imports.ProjectsDbSource.str;
import static dev.parley.imports.ProjectsDbSource.tableExists;
import static dev.parley.imports.ProjectsDbSource.time;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The threads assistant's database (seed 003): {@code users}, {@code threads},
 * {@code chat_messages}, {@code documents}, {@code thread_documents}, and the older
 * {@code conversations}/{@code messages} it kept "for backward compatibility". Threads and
 * conversations share integer ids, so source ids carry their table ({@code thread:1},
 * {@code conversation:1}, {@code chat_message:1}, {@code message:1}, {@code document:1}).
 * Roles may be stored as SQLAlchemy enum names ({@code USER}); they are lower-cased. Threads
 * replaced conversations and were meant to be migrated from them, so an old conversation whose
 * messages (role and text, in order) are the same as, or the start of, a thread's of the same
 * user is the thread's earlier copy: it is reported as {@code duplicate_old_conversation} and
 * left out. A document's bytes are its {@code content}; without one it keeps {@code file_path}
 * as its external location. Documents are attachments, not in any project.
 */
@Component
class ThreadsDbSource implements SourceReader {

    private final JsonMapper json = JsonMapper.builder().build();

    @Override
    public SourceKind kind() {
        return SourceKind.THREADS_DB;
    }

    @Override
    public String sourceKey(String location) {
        return JdbcSourceLocation.sourceKey(SourceKind.THREADS_DB, location);
    }

    private record Read(SourceData.Conversation conversation, List<String> transcript) {
    }

    @Override
    public SourceData read(String location, ImportOptions options) {
        JdbcSourceLocation database = JdbcSourceLocation.of(location);
        SourceData data = new SourceData();
        try (Connection db = database.open()) {
            Map<String, String> users = new HashMap<>();
            for (Map<String, Object> u : rows(db, "select * from users order by id")) {
                String id = str(u.get("id"));
                String username = str(u.get("username"));
                users.put(id, username);
                data.users.add(new SourceData.User(id, username == null ? "user-" + id : username, str(u.get("email")),
                        str(u.getOrDefault("fullname", u.get("full_name"))), time(u.get("created_at")), null));
            }
            List<Read> threads = read(db, "threads", "thread", "chat_messages", "thread_id", "chat_message", users, data);
            if (tableExists(db, "conversations")) {
                List<Read> old = tableExists(db, "messages")
                        ? read(db, "conversations", "conversation", "messages", "conversation_id", "message", users, data)
                        : read(db, "conversations", "conversation", null, null, "message", users, data);
                for (Read o : old) {
                    Read copy = threads.stream().filter(t -> duplicate(o, t)).findFirst().orElse(null);
                    if (copy != null) {
                        data.problems.add("duplicate_old_conversation", o.conversation().sourceId() + " = "
                                + copy.conversation().sourceId());
                        continue;
                    }
                    data.conversations.add(o.conversation());
                }
            }
            threads.forEach(t -> data.conversations.add(t.conversation()));
            data.conversations.sort(Comparator.comparing(SourceData.Conversation::createdAt)
                    .thenComparing(SourceData.Conversation::sourceId));
            Map<String, Instant> documents = new HashMap<>();
            if (tableExists(db, "documents")) {
                for (Map<String, Object> d : rows(db, "select * from documents order by id")) {
                    String id = "document:" + str(d.get("id"));
                    String owner = str(d.get("user_id"));
                    if (owner == null || !users.containsKey(owner)) {
                        data.problems.add("orphan_document", id + " (user " + owner + ")");
                        continue;
                    }
                    String content = str(d.get("content"));
                    byte[] bytes = content == null ? null : content.getBytes(StandardCharsets.UTF_8);
                    String path = str(d.get("file_path"));
                    if (bytes == null) {
                        data.problems.add("file_without_bytes", id + " (" + path + ")");
                    }
                    ObjectNode metadata = metadata(d);
                    Instant created = orEpoch(time(d.get("created_at")));
                    documents.put(id, created);
                    data.files.add(new SourceData.File(id, null, owner, filename(str(d.get("title")), path, id),
                            "attachment", mediaType(str(d.get("file_type"))), 1, 0, metadata, created,
                            bytes == null ? null : () -> new ByteArrayInputStream(bytes),
                            bytes == null ? (metadata.path("file_size").isNumber() ? metadata.get("file_size").asLong() : 0) : bytes.length,
                            bytes == null ? path : null, null));
                }
            }
            if (tableExists(db, "thread_documents")) {
                Map<String, SourceData.Conversation> byId = new HashMap<>();
                threads.forEach(t -> byId.put(t.conversation().sourceId(), t.conversation()));
                for (Map<String, Object> l : rows(db, "select thread_id, document_id from thread_documents")) {
                    String thread = "thread:" + str(l.get("thread_id"));
                    String document = "document:" + str(l.get("document_id"));
                    SourceData.Conversation c = byId.get(thread);
                    if (c == null || !documents.containsKey(document)) {
                        data.problems.add("dangling_document", thread + " -> " + document);
                        continue;
                    }
                    Instant attached = documents.get(document).isAfter(c.createdAt()) ? documents.get(document)
                            : c.createdAt();
                    data.documents.add(new SourceData.DocumentLink(thread, document, c.userSourceId(), attached));
                }
            }
        } catch (SQLException e) {
            throw database.unreadable("threads database", e);
        }
        return data;
    }

    /** One conversation table and its message table, each message chained after the one before. */
    private List<Read> read(Connection db, String table, String prefix, @Nullable String messageTable,
                            @Nullable String foreignKey, String messagePrefix, Map<String, String> users,
                            SourceData data) throws SQLException {
        Map<String, Map<String, Object>> conversations = new LinkedHashMap<>();
        for (Map<String, Object> c : rows(db, "select * from " + table + " order by id")) {
            conversations.put(str(c.get("id")), c);
        }
        Map<String, List<Map<String, Object>>> messages = new HashMap<>();
        if (messageTable != null) {
            for (Map<String, Object> m : rows(db, "select * from " + messageTable)) {
                String owner = str(m.get(foreignKey));
                if (!conversations.containsKey(owner)) {
                    data.problems.add("orphan_message", messagePrefix + ":" + str(m.get("id")) + " (" + prefix + " "
                            + owner + ")");
                    continue;
                }
                messages.computeIfAbsent(owner, k -> new ArrayList<>()).add(m);
            }
        }
        List<Read> result = new ArrayList<>();
        for (Map<String, Object> c : conversations.values()) {
            String id = prefix + ":" + str(c.get("id"));
            String user = str(c.get("user_id"));
            if (user == null || !users.containsKey(user)) {
                data.problems.add("orphan_" + prefix, id + " (user " + user + ")");
                messages.getOrDefault(str(c.get("id")), List.of()).forEach(m -> data.problems.add("orphan_message",
                        messagePrefix + ":" + str(m.get("id"))));
                continue;
            }
            Instant created = orEpoch(time(c.get("created_at")));
            List<Map<String, Object>> rows = messages.getOrDefault(str(c.get("id")), new ArrayList<>());
            rows.sort(Comparator.<Map<String, Object>, Instant>comparing(m -> orEpoch(time(m.get("created_at"))))
                    .thenComparingLong(m -> num(m.get("id"), 0)));
            List<SourceData.Message> list = new ArrayList<>();
            List<String> transcript = new ArrayList<>();
            String parent = null;
            Instant last = created;
            for (Map<String, Object> m : rows) {
                String mid = messagePrefix + ":" + str(m.get("id"));
                String role = role(str(m.get("role")));
                String content = str(m.get("content"));
                content = content == null ? "" : content;
                transcript.add(role + "\n" + content);
                ObjectNode metadata = metadata(m);
                Instant at = orElse(time(m.get("created_at")), created);
                last = at.isAfter(last) ? at : last;
                Long prompt = metadata.path("prompt_tokens").isNumber() ? metadata.get("prompt_tokens").asLong() : null;
                Long completion = metadata.path("completion_tokens").isNumber()
                        ? metadata.get("completion_tokens").asLong() : null;
                list.add(new SourceData.Message(mid, parent, null, role, content, null, null, null, metadata, null,
                        prompt, completion, at, null, null));
                parent = mid;
            }
            ObjectNode metadata = metadata(c);
            String title = str(c.get("title"));
            SourceData.Conversation conversation = new SourceData.Conversation(id, null, user,
                    title == null || title.isBlank() ? "Untitled" : title, str(c.get("model_id")), false, metadata,
                    null, created, orElse(time(c.get("updated_at")), last), null, list, null);
            result.add(new Read(conversation, transcript));
        }
        return result;
    }

    /** The old conversation is a thread's earlier copy: same user, and its messages start the thread's. */
    private static boolean duplicate(Read old, Read thread) {
        List<String> o = old.transcript();
        List<String> t = thread.transcript();
        return old.conversation().userSourceId().equals(thread.conversation().userSourceId())
                && !o.isEmpty() && o.size() <= t.size() && t.subList(0, o.size()).equals(o);
    }

    /** {@code user}, {@code USER} or {@code MessageRole.USER} are all the user role. */
    private static String role(@Nullable String stored) {
        if (stored == null) {
            return "null";
        }
        String role = stored.strip();
        int dot = role.lastIndexOf('.');
        role = dot < 0 ? role : role.substring(dot + 1);
        return role.toLowerCase(Locale.ROOT);
    }

    private static String filename(@Nullable String title, @Nullable String path, String id) {
        if (title != null && !title.isBlank()) {
            return title.strip();
        }
        if (path != null && !path.isBlank()) {
            String name = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
            if (!name.isBlank()) {
                return name;
            }
        }
        return id.replace(':', '-');
    }

    /** The row's JSON {@code metadata} (SQLAlchemy reserves the name, so it may be {@code meta_data}). */
    private ObjectNode metadata(Map<String, Object> row) {
        Object value = row.containsKey("metadata") ? row.get("metadata")
                : row.containsKey("meta_data") ? row.get("meta_data") : row.get("extra_data");
        if (value == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            var node = json.readTree(value.toString());
            if (node instanceof ObjectNode o) {
                return o;
            }
        } catch (RuntimeException e) {
            // not JSON: kept as text below
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("source_value", value.toString());
        return o;
    }
}
