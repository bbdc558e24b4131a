package dev.parley.imports;

import java.nio.charset.StandardCharsets;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The "projects" assistant's database before its upgrade (seeds 000/001): {@code users},
 * {@code projects}, {@code chats}, {@code chat_messages}, {@code chat_projects},
 * {@code project_files}. Columns the upgrade added may be present or not; each table is read
 * with {@code select *}. Messages of a chat form one branch in creation order. A chat linked
 * to several projects goes to the first (by project creation, then id); the other links are
 * kept in the conversation's {@code metadata.other_project_ids} and reported. A file's bytes
 * are its inline {@code content}; without one the record keeps {@code file_path} as its
 * external location and has no bytes.
 */
@Component
class ProjectsDbSource implements SourceReader {

    private final JsonMapper json = JsonMapper.builder().build();

    @Override
    public SourceKind kind() {
        return SourceKind.PROJECTS_DB;
    }

    @Override
    public String sourceKey(String location) {
        return JdbcSourceLocation.sourceKey(SourceKind.PROJECTS_DB, location);
    }

    @Override
    public SourceData read(String location, ImportOptions options) {
        JdbcSourceLocation database = JdbcSourceLocation.of(location);
        SourceData data = new SourceData();
        try (Connection db = database.open()) {
            Map<String, String> owners = new HashMap<>();
            for (Map<String, Object> u : rows(db, "select * from users order by id")) {
                String id = str(u.get("id"));
                data.users.add(new SourceData.User(id, str(u.get("username")), str(u.get("email")),
                        str(u.getOrDefault("full_name", u.get("fullname"))), time(u.get("created_at")), null));
            }
            Map<String, Instant> projectCreated = new HashMap<>();
            for (Map<String, Object> p : rows(db, "select * from projects")) {
                String id = str(p.get("id"));
                Instant created = orEpoch(time(p.get("created_at")));
                projectCreated.put(id, created);
                String owner = str(p.get("user_id"));
                owners.put(id, owner);
                ObjectNode metadata = object(p.get("metadata"));
                if (metadata.isEmpty()) {
                    metadata = object(p.get("extra_data"));
                }
                data.projects.add(new SourceData.Project(id, owner, str(p.get("name")), str(p.get("description")),
                        str(p.get("goals")), str(p.get("custom_instructions")), str(p.get("default_model")), "draft",
                        (int) num(p.get("version"), 1), bool(p.get("pinned")), bool(p.get("archived")),
                        bool(p.get("is_default")), num(p.get("max_tokens"), 200_000), metadata, created,
                        orElse(time(p.get("updated_at")), created), List.of(), null));
            }
            if (tableExists(db, "project_users")) {
                // 001's ProjectUserAssociation, when the database has it
                Map<String, List<SourceData.Member>> members = new HashMap<>();
                for (Map<String, Object> m : rows(db, "select * from project_users")) {
                    members.computeIfAbsent(str(m.get("project_id")), k -> new ArrayList<>())
                            .add(new SourceData.Member(str(m.get("user_id")), str(m.get("role")), time(m.get("joined_at"))));
                }
                data.projects.replaceAll(p -> new SourceData.Project(p.sourceId(), p.ownerSourceId(), p.name(),
                        p.description(), p.goals(), p.customInstructions(), p.defaultModel(), p.status(),
                        p.currentVersion(), p.pinned(), p.archived(), p.isDefault(), p.maxTokens(), p.metadata(),
                        p.createdAt(), p.updatedAt(), members.getOrDefault(p.sourceId(), List.of()), null));
            }
            Map<String, List<String>> links = new LinkedHashMap<>();
            for (Map<String, Object> l : rows(db, "select chat_id, project_id from chat_projects")) {
                String project = str(l.get("project_id"));
                if (!projectCreated.containsKey(project)) {
                    data.problems.add("dangling_chat_project", str(l.get("chat_id")) + " -> " + project);
                    continue;
                }
                links.computeIfAbsent(str(l.get("chat_id")), k -> new ArrayList<>()).add(project);
            }
            links.values().forEach(list -> list.sort((a, b) -> {
                int byTime = projectCreated.get(a).compareTo(projectCreated.get(b));
                return byTime != 0 ? byTime : a.compareTo(b);
            }));
            Map<String, List<Map<String, Object>>> messagesByChat = new HashMap<>();
            for (Map<String, Object> m : rows(db, "select * from chat_messages")) {
                messagesByChat.computeIfAbsent(str(m.get("chat_id")), k -> new ArrayList<>()).add(m);
            }
            Map<String, Object> knownChats = new HashMap<>();
            for (Map<String, Object> c : rows(db, "select * from chats")) {
                String id = str(c.get("id"));
                knownChats.put(id, c);
                List<String> projects = links.getOrDefault(id, List.of());
                ObjectNode metadata = object(c.get("metadata"));
                if (projects.size() > 1) {
                    var others = metadata.putArray("other_project_ids");
                    projects.subList(1, projects.size()).forEach(others::add);
                    data.problems.add("chat_in_several_projects", id + " -> " + projects);
                }
                if (bool(c.get("is_deleted"))) {
                    metadata.put("source_deleted", true);
                }
                Instant created = orEpoch(time(c.get("created_at")));
                List<Map<String, Object>> rows = messagesByChat.getOrDefault(id, List.of());
                rows.sort((a, b) -> {
                    int byTime = orEpoch(time(a.get("created_at"))).compareTo(orEpoch(time(b.get("created_at"))));
                    return byTime != 0 ? byTime : str(a.get("id")).compareTo(str(b.get("id")));
                });
                List<SourceData.Message> messages = new ArrayList<>();
                String parent = null;
                Instant last = created;
                for (Map<String, Object> m : rows) {
                    String mid = str(m.get("id"));
                    ObjectNode meta = object(m.containsKey("extra_data") ? m.get("extra_data") : m.get("metadata"));
                    Instant at = orElse(time(m.get("created_at")), created);
                    last = at.isAfter(last) ? at : last;
                    String content = str(m.get("content"));
                    messages.add(new SourceData.Message(mid, parent, null, String.valueOf(str(m.get("role"))),
                            content == null ? "" : content, null, null, null, meta,
                            m.get("context_used") == null ? null : object(m.get("context_used")), null, null, at,
                            null, null));
                    parent = mid;
                }
                data.conversations.add(new SourceData.Conversation(id, projects.isEmpty() ? null : projects.getFirst(),
                        str(c.get("user_id")), str(c.get("title")), str(c.get("model_id")), false, metadata,
                        bool(c.get("is_deleted")) ? orElse(time(c.get("updated_at")), last) : null, created,
                        orElse(time(c.get("updated_at")), last), null, messages, null));
            }
            messagesByChat.forEach((chat, list) -> {
                if (!knownChats.containsKey(chat)) {
                    list.forEach(m -> data.problems.add("orphan_message", str(m.get("id")) + " (chat " + chat + ")"));
                }
            });
            if (tableExists(db, "project_files")) {
                for (Map<String, Object> f : rows(db, "select * from project_files")) {
                    String project = str(f.get("project_id"));
                    if (!projectCreated.containsKey(project)) {
                        data.problems.add("orphan_file", str(f.get("id")));
                        continue;
                    }
                    String content = str(f.get("content"));
                    byte[] bytes = content == null ? null : content.getBytes(StandardCharsets.UTF_8);
                    String path = str(f.get("file_path"));
                    if (bytes == null) {
                        data.problems.add("file_without_bytes", str(f.get("id")) + " (" + path + ")");
                    }
                    ObjectNode metadata = object(f.get("config"));
                    data.files.add(new SourceData.File(str(f.get("id")), project, owners.get(project),
                            String.valueOf(str(f.get("filename"))), "knowledge",
                            mediaType(str(f.get("file_type"))), 1, (int) num(f.get("order_index"), 0), metadata,
                            orEpoch(time(f.get("created_at"))), bytes == null ? null : () -> new ByteArrayInputStream(bytes),
                            num(f.get("file_size"), 0), bytes == null ? path : null, null));
                }
            }
            if (tableExists(db, "knowledge_bases")) {
                long kbs = rows(db, "select id from knowledge_bases").size();
                for (long i = 0; i < kbs; i++) {
                    data.problems.add("knowledge_base_not_imported", "re-create it with PUT /projects/{id}/knowledge-base");
                }
            }
        } catch (SQLException e) {
            throw database.unreadable("projects database", e);
        }
        return data;
    }

    static String mediaType(@Nullable String fileType) {
        if (fileType == null) {
            return "application/octet-stream";
        }
        return switch (fileType.toLowerCase(java.util.Locale.ROOT)) {
            case "pdf" -> "application/pdf";
            case "txt" -> "text/plain";
            case "md" -> "text/markdown";
            case "docx" -> "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
            default -> fileType.contains("/") ? fileType : "application/octet-stream";
        };
    }

    static boolean tableExists(Connection db, String table) {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("select * from " + table + " where 1 = 0")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    static List<Map<String, Object>> rows(Connection db, String sql) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
            ResultSetMetaData meta = r.getMetaData();
            while (r.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), r.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private ObjectNode object(@Nullable Object value) {
        if (value == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            var node = json.readTree(value.toString());
            return node instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        } catch (RuntimeException e) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("source_value", value.toString());
            return o;
        }
    }

    static @Nullable String str(@Nullable Object value) {
        return value == null ? null : value.toString();
    }

    static boolean bool(@Nullable Object value) {
        return switch (value) {
            case null -> false;
            case Boolean b -> b;
            case Number n -> n.intValue() != 0;
            default -> value.toString().equalsIgnoreCase("true") || value.toString().equals("1");
        };
    }

    static long num(@Nullable Object value, long fallback) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return value == null ? fallback : Long.parseLong(value.toString());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static Instant orEpoch(@Nullable Instant value) {
        return value == null ? Instant.EPOCH : value;
    }

    static Instant orElse(@Nullable Instant value, Instant fallback) {
        return value == null ? fallback : value;
    }

    /** Timestamps as either database keeps them: a SQL timestamp (taken as UTC) or ISO text. */
    static @Nullable Instant time(@Nullable Object value) {
        return switch (value) {
            case null -> null;
            case Timestamp t -> t.toLocalDateTime().toInstant(ZoneOffset.UTC);
            case OffsetDateTime o -> o.toInstant();
            case LocalDateTime l -> l.toInstant(ZoneOffset.UTC);
            // sqlite-jdbc writes timestamps as epoch milliseconds; other tools write seconds
            case Number n -> n.longValue() > 100_000_000_000L ? Instant.ofEpochMilli(n.longValue())
                    : Instant.ofEpochSecond(n.longValue());
            default -> {
                String text = value.toString().trim().replace(' ', 'T');
                try {
                    yield text.endsWith("Z") || text.matches(".*[+-]\\d\\d:?\\d\\d$")
                            ? OffsetDateTime.parse(text).toInstant() : LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
                } catch (RuntimeException e) {
                    yield null;
                }
            }
        };
    }
}
