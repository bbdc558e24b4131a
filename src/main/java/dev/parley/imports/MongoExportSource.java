package dev.parley.imports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.parley.web.ValidationException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A directory of {@code mongoexport} files of the CAD assistant's MongoDB (seed 002), one per
 * collection: {@code users}, {@code projects}, {@code messages}, the legacy flat
 * {@code chat_messages}, {@code files} and {@code logs} ({@code .json} or {@code .jsonl}; see
 * {@link ExtendedJson} for the formats). The rules, as the seed's own migration has them:
 * <ul>
 * <li>A project document is a project owned by {@code created_by}; its status, version and
 * model are columns, and the rest of the document is kept in {@code metadata.mongo}.</li>
 * <li>The seed has no conversations: a project's messages from one user are one conversation
 * (one branch, in time order), titled with the project's name; a legacy message with a
 * {@code session_id} (or {@code conversation_id}, {@code chat_id}) goes to a conversation of
 * that session.</li>
 * <li>A legacy message without a project goes to a default project of its user; one naming a
 * project the export does not hold creates that project from its messages (the migration's
 * "group by project"). A {@code messages} document, a file or a log naming a missing project
 * is a {@code dangling_project}: a message or a file goes to its user's default project, a log
 * (which has no user) is left out.</li>
 * <li>Every S3 reference becomes a file record with no bytes whose {@code external_location}
 * is the {@code s3://} URL: each {@code files} document's {@code s3_path}, a message's
 * {@code metadata.s3_url} and a log's {@code s3_log_path} (the log points at it). One record
 * per project and path: a reference to a path the project already has adds nothing.</li>
 * <li>The same {@code _id} twice (within a collection, or a message both in {@code messages}
 * and in {@code chat_messages}, as a half-run migration leaves it) is kept once, the
 * {@code messages} copy first, and reported as {@code duplicate_id}.</li>
 * </ul>
 */
@Component
class MongoExportSource implements SourceReader {

    static final List<String> COLLECTIONS = List.of("users", "projects", "messages", "chat_messages", "files", "logs");
    static final String DEFAULT_PROJECT_NAME = "Default project";
    private static final String LEGACY = "chat_messages";
    private static final int SOURCE_ID_LENGTH = 500;
    private static final Set<String> PURPOSES = Set.of("input", "output", "log", "processed", "knowledge", "attachment");
    private static final Set<String> LEVELS = Set.of("debug", "info", "warning", "error");
    private static final Map<String, String> MEDIA_TYPES = Map.ofEntries(
            Map.entry("py", "text/x-python"), Map.entry("txt", "text/plain"), Map.entry("log", "text/plain"),
            Map.entry("md", "text/markdown"), Map.entry("json", "application/json"), Map.entry("csv", "text/csv"),
            Map.entry("pdf", "application/pdf"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("stl", "model/stl"), Map.entry("step", "model/step"),
            Map.entry("stp", "model/step"), Map.entry("zip", "application/zip"));

    private final ExtendedJson reader = new ExtendedJson();

    @Override
    public SourceKind kind() {
        return SourceKind.MONGO_EXPORT;
    }

    @Override
    public String sourceKey(String location) {
        return "mongo-export:" + Path.of(location).toAbsolutePath().normalize();
    }

    @Override
    public SourceData read(String location, ImportOptions options) {
        Path directory = Path.of(location);
        if (!Files.isDirectory(directory)) {
            throw new ValidationException("location", "is not a directory of mongoexport files");
        }
        SourceData data = new SourceData();
        Map<String, Path> files = collectionFiles(directory, data.problems);
        if (files.isEmpty()) {
            throw new ValidationException("location", "holds none of " + String.join(", ", COLLECTIONS)
                    + " as .json or .jsonl");
        }
        Export export = new Export(data, files.containsKey("users"));
        try {
            for (String collection : COLLECTIONS) {
                Path file = files.get(collection);
                if (file != null) {
                    reader.read(file, collection, data.problems, (doc, line) -> export.add(collection, doc, line));
                }
            }
        } catch (IOException e) {
            throw new ValidationException("location", "cannot read the export: " + e.getMessage());
        }
        export.assemble();
        return data;
    }

    /** The file of each collection present; a collection exported twice is read from its .json. */
    private static Map<String, Path> collectionFiles(Path directory, Problems problems) {
        Map<String, Path> found = new LinkedHashMap<>();
        for (String collection : COLLECTIONS) {
            for (String extension : List.of(".json", ".jsonl")) {
                Path file = directory.resolve(collection + extension);
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                if (found.containsKey(collection)) {
                    problems.add("collection_file_ignored", file.getFileName() + " (" + collection
                            + " is read from " + found.get(collection).getFileName() + ")");
                } else {
                    found.put(collection, file);
                }
            }
        }
        return found;
    }

    /** A message as read, before it is placed in a project and a conversation. */
    private record Message(String id, String collection, @Nullable String project, @Nullable String user,
                           String role, String content, Instant at, @Nullable Instant edited, ObjectNode metadata,
                           @Nullable String session, List<String> s3Urls, int version) {
    }

    /** A project as the mapping builds it up: from a document, from legacy messages, or a user's default. */
    private static final class Draft {
        final String id;
        @Nullable String owner;
        String name;
        @Nullable String description;
        @Nullable String model;
        String status = "draft";
        int version = 1;
        boolean isDefault;
        boolean fromMessages;
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        @Nullable Instant createdAt;
        @Nullable Instant updatedAt;

        Draft(String id, String name) {
            this.id = id;
            this.name = name;
        }

        /** Times the project document states stand; without them the project spans what is in it. */
        boolean datedBySource;

        void saw(Instant at) {
            if (!datedBySource) {
                createdAt = createdAt == null || at.isBefore(createdAt) ? at : createdAt;
                updatedAt = updatedAt == null || at.isAfter(updatedAt) ? at : updatedAt;
            }
        }
    }

    /** The state of one read: documents as they come, then {@link #assemble()} into the neutral model. */
    private static final class Export {
        final SourceData data;
        final Problems problems;
        final boolean hasUsers;
        final Map<String, SourceData.User> users = new LinkedHashMap<>();
        /** Any way a document names a user (_id, user_id, username, e-mail) to that user's source id. */
        final Map<String, String> userAliases = new HashMap<>();
        /** Parley usernames are unique: the made-valid, lower-cased username to the source user that has it. */
        final Map<String, String> byUsername = new HashMap<>();
        final Map<String, Draft> projects = new LinkedHashMap<>();
        final Set<String> documentedProjects = new HashSet<>();
        final Map<String, Set<String>> seenIds = new HashMap<>();
        final List<Message> messages = new ArrayList<>();
        final List<JsonNode> fileDocuments = new ArrayList<>();
        final List<JsonNode> logDocuments = new ArrayList<>();
        final Map<String, SourceData.File> files = new LinkedHashMap<>();

        Export(SourceData data, boolean hasUsers) {
            this.data = data;
            this.problems = data.problems;
            this.hasUsers = hasUsers;
        }

        void add(String collection, JsonNode doc, long line) {
            String id = text(doc, "_id");
            if (id == null) {
                problems.add("document_without_id", collection + " line " + line);
                return;
            }
            // a message migrated into `messages` may still be in `chat_messages` under the same _id
            String idSpace = collection.equals(LEGACY) ? "messages" : collection;
            if (!seenIds.computeIfAbsent(idSpace, k -> new HashSet<>()).add(id)) {
                problems.add("duplicate_id", collection + " " + id + " (line " + line + ")");
                return;
            }
            switch (collection) {
                case "users" -> user(id, doc);
                case "projects" -> project(id, doc);
                case "messages", LEGACY -> message(collection, id, doc);
                case "files" -> fileDocuments.add(doc);
                case "logs" -> logDocuments.add(doc);
                default -> throw new IllegalStateException(collection);
            }
        }

        private void user(String id, JsonNode doc) {
            String sourceId = firstText(doc, "user_id", "id");
            sourceId = sourceId == null ? id : sourceId;
            String username = firstText(doc, "username", "email");
            username = username == null ? sourceId : username;
            List<String> names = new ArrayList<>(List.of(id, sourceId, username));
            String email = text(doc, "email");
            if (email != null) {
                names.add(email);
            }
            String key = ImportService.lower(ImportService.username(username));
            String first = userAliases.containsKey(sourceId) ? userAliases.get(sourceId) : byUsername.get(key);
            if (first != null) {
                // two documents of one person (or two people Parley could not tell apart): the first one stands
                problems.add("duplicate_user", sourceId + " (" + username + ") is taken as " + first);
                names.forEach(n -> userAliases.putIfAbsent(n, first));
                return;
            }
            byUsername.put(key, sourceId);
            users.put(sourceId, new SourceData.User(sourceId, username, email,
                    firstText(doc, "full_name", "fullname", "name", "display_name"),
                    firstTime(doc, "created_at"), null));
            for (String name : names) {
                userAliases.putIfAbsent(name, sourceId);
            }
        }

        /** The source id of the user a document names; a name no user document has becomes a user of that name. */
        @Nullable String userRef(@Nullable String name, String where) {
            if (name == null) {
                return null;
            }
            String known = userAliases.get(name);
            if (known == null) {
                known = byUsername.get(ImportService.lower(ImportService.username(name)));
            }
            if (known != null) {
                userAliases.put(name, known);
                return known;
            }
            if (hasUsers) {
                problems.add("unknown_user", where + " -> " + name);
            }
            users.put(name, new SourceData.User(name, name, name.contains("@") ? name : null, null, null, null));
            userAliases.put(name, name);
            byUsername.put(ImportService.lower(ImportService.username(name)), name);
            return name;
        }

        private void project(String id, JsonNode doc) {
            String projectId = firstText(doc, "project_id");
            projectId = projectId == null ? id : projectId;
            if (!documentedProjects.add(projectId)) {
                problems.add("duplicate_project", projectId + " (_id " + id + ")");
                return;
            }
            String name = firstText(doc, "project_name", "name");
            Draft p = new Draft(projectId, name == null ? projectId : name);
            p.owner = userRef(text(doc, "created_by"), "project " + projectId);
            JsonNode meta = doc.path("metadata");
            p.description = meta.isObject() ? text(meta, "description") : null;
            p.model = text(doc, "ai_model_used");
            String status = text(doc, "status");
            p.status = status == null ? "draft" : status;
            p.version = Math.max(1, doc.path("current_version").asInt(1));
            ObjectNode mongo = p.metadata.putObject("mongo");
            mongo.put("_id", id);
            for (var field : doc.properties()) {
                if (!List.of("_id", "project_name", "created_by", "created_at", "updated_at").contains(field.getKey())) {
                    mongo.set(field.getKey(), field.getValue());
                }
            }
            p.createdAt = firstTime(doc, "created_at", "timestamp");
            p.updatedAt = firstTime(doc, "updated_at");
            p.datedBySource = p.createdAt != null;
            projects.put(projectId, p);
        }

        private void message(String collection, String id, JsonNode doc) {
            String role = text(doc, "role");
            JsonNode contentNode = doc.get("content");
            String content = contentNode == null || contentNode.isNull() ? ""
                    : contentNode.isString() ? contentNode.asString() : contentNode.toString();
            Instant at = firstTime(doc, "timestamp", "created_at");
            if (at == null) {
                at = ExtendedJson.objectIdTime(id);
            }
            if (at == null) {
                problems.add("message_without_time", collection + " " + id);
                at = Instant.EPOCH;
            }
            Instant updated = firstTime(doc, "updated_at");
            JsonNode meta = doc.path("metadata");
            ObjectNode metadata = meta.isObject() ? ((ObjectNode) meta).deepCopy() : JsonNodeFactory.instance.objectNode();
            String model = firstText(meta, "source_model", "model");
            if (model == null) {
                model = text(doc, "model");
            }
            if (model != null) {
                metadata.put("model", model);
            }
            List<String> s3 = new ArrayList<>();
            for (String field : List.of("s3_url", "s3_urls", "s3_path")) {
                JsonNode v = meta.path(field);
                if (v.isString() && !v.asString().isBlank()) {
                    s3.add(v.asString());
                } else if (v.isArray()) {
                    v.forEach(e -> {
                        if (e.isString() && !e.asString().isBlank()) {
                            s3.add(e.asString());
                        }
                    });
                }
            }
            String project = text(doc, "project_id");
            String session = firstText(doc, "session_id", "conversation_id", "chat_id");
            ObjectNode mongo = metadata.putObject("mongo");
            mongo.put("collection", collection);
            if (project != null) {
                mongo.put("project_id", project);
            }
            if (session != null) {
                mongo.put("session_id", session);
            }
            messages.add(new Message(id, collection, project, text(doc, "user_id"),
                    role == null ? "" : role.strip().toLowerCase(Locale.ROOT), content, at,
                    updated != null && updated.isAfter(at) ? updated : null, metadata, session, s3,
                    Math.max(1, meta.path("version").asInt(1))));
        }

        // ------------------------------------------------------------------ assembly

        void assemble() {
            messages.sort(Comparator.comparing(Message::at).thenComparing(Message::id));
            for (Message m : messages) {
                if (m.collection().equals(LEGACY) && m.project() != null && !projects.containsKey(m.project())) {
                    // the flat collection is the only place such a project exists: the migration made it from its
                    // messages, before any message is placed, so that where a message lands does not depend on order
                    Draft p = new Draft(m.project(), m.project());
                    p.fromMessages = true;
                    p.metadata.putObject("mongo").put("project_id", m.project()).put("from_messages", true);
                    projects.put(m.project(), p);
                }
            }
            Map<String, List<Message>> conversations = new LinkedHashMap<>();
            Map<String, String> conversationProject = new HashMap<>();
            Map<String, String> conversationUser = new HashMap<>();
            Map<String, String> conversationSession = new HashMap<>();
            for (Message m : messages) {
                String where = m.collection() + " " + m.id();
                String user = userRef(m.user(), where);
                Draft project = placeMessage(m, user, where);
                if (project == null) {
                    continue;
                }
                if (project.owner == null) {
                    // a project without created_by (or made from messages) belongs to whoever wrote in it first
                    project.owner = user;
                }
                if (project.fromMessages) {
                    project.version = Math.max(project.version, m.version());
                    String model = text(m.metadata(), "model");
                    project.model = model == null ? project.model : model;
                }
                if (user == null) {
                    user = project.owner;
                }
                if (user == null) {
                    problems.add("orphan_message", where + " (no user and a project without owner)");
                    continue;
                }
                project.saw(m.at());
                String key = "conversation:" + project.id + "|" + user + (m.session() == null ? "" : "|" + m.session());
                conversations.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
                conversationProject.put(key, project.id);
                conversationUser.put(key, user);
                if (m.session() != null) {
                    conversationSession.put(key, m.session());
                }
            }
            for (JsonNode doc : fileDocuments) {
                fileDocument(doc);
            }
            conversations.forEach((key, list) -> conversation(key, list, projects.get(conversationProject.get(key)),
                    conversationUser.get(key), conversationSession.get(key)));
            for (JsonNode doc : logDocuments) {
                log(doc);
            }
            for (Draft p : projects.values()) {
                Instant created = p.createdAt == null ? Instant.EPOCH : p.createdAt;
                data.projects.add(new SourceData.Project(p.id, p.owner, p.name, p.description, null, null, p.model,
                        p.status, p.version, false, false, p.isDefault, 0, p.metadata, created,
                        p.updatedAt == null || p.updatedAt.isBefore(created) ? created : p.updatedAt, List.of(), null));
                if (p.owner == null) {
                    problems.add("project_without_owner", p.id + " (owned by the user running the import)");
                }
            }
            data.users.addAll(users.values());
            data.files.addAll(files.values());
        }

        /** The project a message goes to, by the rules in the class comment; null when it is left out. */
        private @Nullable Draft placeMessage(Message m, @Nullable String user, String where) {
            String project = m.project();
            if (project != null && projects.containsKey(project)) {
                return projects.get(project);
            }
            if (project != null) {
                problems.add("dangling_project", where + " -> " + project
                        + (user == null ? " (left out: no user)" : " (to the default project of " + user + ")"));
            } else {
                problems.add("message_without_project", where
                        + (user == null ? " (left out: no user)" : " (to the default project of " + user + ")"));
            }
            return user == null ? null : defaultProject(user);
        }

        private Draft defaultProject(String user) {
            return projects.computeIfAbsent("default:" + user, id -> {
                Draft p = new Draft(id, DEFAULT_PROJECT_NAME);
                p.owner = user;
                p.isDefault = true;
                p.description = "Messages and files that had no project in the MongoDB export";
                p.metadata.putObject("mongo").put("default_project_for", user);
                return p;
            });
        }

        private void conversation(String key, List<Message> list, Draft project, String user,
                                  @Nullable String session) {
            List<SourceData.Message> out = new ArrayList<>(list.size());
            String parent = null;
            for (Message m : list) {
                for (String url : m.s3Urls()) {
                    externalFile(project, url, m.version(), user, m.at(), "message", m.id());
                }
                out.add(new SourceData.Message(m.id(), parent, user, m.role(), m.content(), null, null, null,
                        m.metadata(), null, null, null, m.at(), m.edited(), null));
                parent = m.id();
            }
            ObjectNode metadata = JsonNodeFactory.instance.objectNode();
            ObjectNode mongo = metadata.putObject("mongo");
            mongo.put("project_id", project.id);
            mongo.put("user_id", user);
            if (session != null) {
                mongo.put("session_id", session);
            }
            Instant first = list.getFirst().at();
            Instant last = list.getLast().at();
            data.conversations.add(new SourceData.Conversation(sourceId(key), project.id, user,
                    session == null ? project.name : project.name + " · " + session, project.model, false, metadata,
                    null, first, last, null, out, null));
        }

        private void fileDocument(JsonNode doc) {
            String id = text(doc, "_id");
            String path = text(doc, "s3_path");
            JsonNode meta = doc.path("metadata");
            String where = "file " + id;
            if (path == null || path.isBlank()) {
                problems.add("file_without_location", where);
                return;
            }
            String uploader = userRef(firstText(meta, "uploaded_by"), where);
            Draft project = projectOf(text(doc, "project_id"), uploader, where);
            if (project == null) {
                return;
            }
            String user = uploader == null ? project.owner : uploader;
            String key = fileKey(project, path);
            if (files.containsKey(key)) {
                problems.add("duplicate_file", where + " (" + path + " is already file "
                        + files.get(key).metadata().path("mongo").path("_id").asString() + ")");
                return;
            }
            String type = text(doc, "file_type");
            String purpose = type == null ? purposeOf(path) : type.toLowerCase(Locale.ROOT);
            if (!PURPOSES.contains(purpose)) {
                problems.add("unknown_file_type", where + " (" + type + ")");
                purpose = "attachment";
            }
            ObjectNode metadata = meta.isObject() ? ((ObjectNode) meta).deepCopy() : JsonNodeFactory.instance.objectNode();
            ObjectNode mongo = metadata.putObject("mongo");
            mongo.put("_id", id);
            mongo.put("file_type", type);
            mongo.put("project_id", text(doc, "project_id"));
            String name = firstText(meta, "file_name", "filename");
            String mediaType = firstText(meta, "content_type", "media_type");
            Instant at = firstTime(doc, "timestamp", "created_at");
            at = at == null ? ExtendedJson.objectIdTime(id) : at;
            at = at == null ? Instant.EPOCH : at;
            project.saw(at);
            files.put(key, new SourceData.File(key, project.id, user, name == null ? filename(path) : name, purpose,
                    mediaType == null ? mediaType(path) : mediaType, Math.max(1, doc.path("version").asInt(1)), 0,
                    metadata, at, null, Math.max(0, meta.path("file_size").asLong(0)), path, null));
        }

        private void log(JsonNode doc) {
            String id = text(doc, "_id");
            String where = "log " + id;
            String projectId = text(doc, "project_id");
            Draft project = projectId == null ? null : projects.get(projectId);
            if (project == null) {
                problems.add(projectId == null ? "orphan_log" : "dangling_project", where + " -> " + projectId
                        + " (left out: a log has no user to give it a default project)");
                return;
            }
            JsonNode meta = doc.path("metadata");
            Instant at = firstTime(doc, "timestamp", "created_at");
            at = at == null ? ExtendedJson.objectIdTime(id) : at;
            at = at == null ? Instant.EPOCH : at;
            int version = Math.max(1, doc.path("version").asInt(1));
            String path = text(doc, "s3_log_path");
            String file = path == null || path.isBlank() ? null
                    : externalFile(project, path, version, project.owner, at, "log", id);
            String level = firstText(doc, "level", "log_level");
            level = level == null ? null : level.toLowerCase(Locale.ROOT);
            if (level == null || !LEVELS.contains(level)) {
                JsonNode exit = meta.path("exit_code");
                level = exit.isNumber() && exit.asLong() != 0 ? "error" : "info";
            }
            ObjectNode metadata = meta.isObject() ? ((ObjectNode) meta).deepCopy() : JsonNodeFactory.instance.objectNode();
            ObjectNode mongo = metadata.putObject("mongo");
            mongo.put("_id", id);
            if (path != null) {
                mongo.put("s3_log_path", path);
            }
            String summary = firstText(doc, "log_summary", "summary", "message");
            project.saw(at);
            data.logs.add(new SourceData.Log(id, project.id, project.owner, version, level,
                    summary == null ? "" : summary, file, metadata, at, null));
        }

        /** A file's or a log's project; a missing one sends a file to its uploader's default project. */
        private @Nullable Draft projectOf(@Nullable String projectId, @Nullable String user, String where) {
            if (projectId != null && projects.containsKey(projectId)) {
                return projects.get(projectId);
            }
            String what = projectId == null ? "orphan_file" : "dangling_project";
            problems.add(what, where + " -> " + projectId
                    + (user == null ? " (left out: no uploader)" : " (to the default project of " + user + ")"));
            return user == null ? null : defaultProject(user);
        }

        /** The file record of an S3 object referenced from a message or a log, made once per project and path. */
        private String externalFile(Draft project, String path, int version, @Nullable String user, Instant at,
                                    String from, String fromId) {
            String key = fileKey(project, path);
            if (!files.containsKey(key)) {
                ObjectNode metadata = JsonNodeFactory.instance.objectNode();
                metadata.putObject("mongo").put("referenced_by_" + from, fromId);
                files.put(key, new SourceData.File(key, project.id, user, filename(path),
                        from.equals("log") ? "log" : purposeOf(path), mediaType(path), version, 0, metadata, at,
                        null, 0, path, null));
            }
            return key;
        }

        private static String fileKey(Draft project, String path) {
            return sourceId("s3:" + project.id + "|" + path);
        }
    }

    /** A composed source id, hashed when it would not fit the mapping's column. */
    private static String sourceId(String id) {
        return id.length() <= SOURCE_ID_LENGTH ? id : id.substring(0, 64) + "#" + ImportService.sha256(id);
    }

    /** What the seed's bucket layout says a file is: {@code s3://bucket/input/...}, {@code /output/}, {@code /logs/}. */
    static String purposeOf(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        if (p.contains("/input/")) {
            return "input";
        }
        if (p.contains("/output/")) {
            return "output";
        }
        if (p.contains("/logs/") || p.contains("/log/")) {
            return "log";
        }
        if (p.contains("/processed/")) {
            return "processed";
        }
        return "attachment";
    }

    static String filename(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        return name.isBlank() ? "file" : name;
    }

    static String mediaType(String path) {
        String name = filename(path);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "application/octet-stream"
                : MEDIA_TYPES.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
    }

    static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isContainer()) {
            return null;
        }
        String text = value.asString();
        return text.isBlank() ? null : text;
    }

    static @Nullable String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            String value = text(node, field);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** A normalised {@code $date} (ISO text), or a plain ISO string or epoch number an app wrote itself. */
    static @Nullable Instant firstTime(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull() || value.isContainer()) {
                continue;
            }
            Instant at = ProjectsDbSource.time(value.isNumber() ? (Object) value.asLong() : value.asString());
            if (at != null) {
                return at;
            }
        }
        return null;
    }
}
