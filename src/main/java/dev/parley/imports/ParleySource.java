package dev.parley.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parley's own export ({@link ExportService}). Ids are kept where they are free, so importing
 * an export into an instance that does not hold the project reproduces it row for row.
 */
@Component
class ParleySource implements SourceReader {

    private final JsonMapper json = JsonMapper.builder().build();

    @Override
    public SourceKind kind() {
        return SourceKind.PARLEY;
    }

    @Override
    public String sourceKey(String location) {
        // the export names its project: importing another copy of the same zip is a re-run
        Path path = Path.of(location);
        try (ZipFile zip = new ZipFile(path.toFile())) {
            JsonNode manifest = read(zip, "manifest.json");
            return "parley:" + manifest.path("project_id").asString();
        } catch (IOException e) {
            return "parley:" + path.toAbsolutePath().normalize();
        }
    }

    @Override
    public SourceData read(String location, ImportOptions options) {
        Path path = Path.of(location);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("not a file: " + location);
        }
        SourceData data = new SourceData();
        try (ZipFile zip = new ZipFile(path.toFile(), StandardCharsets.UTF_8)) {
            JsonNode manifest = read(zip, "manifest.json");
            if (!ExportService.FORMAT.equals(manifest.path("format").asString())) {
                throw new IllegalArgumentException("not a Parley export: " + location);
            }
            for (JsonNode u : read(zip, "users.json")) {
                data.users.add(new SourceData.User(text(u, "id"), text(u, "username"), text(u, "email"),
                        text(u, "full_name"), time(u, "created_at"), text(u, "id")));
            }
            JsonNode p = read(zip, "project.json");
            List<SourceData.Member> members = new ArrayList<>();
            for (JsonNode m : p.path("members")) {
                members.add(new SourceData.Member(text(m, "user_id"), text(m, "role"), time(m, "created_at")));
            }
            data.projects.add(new SourceData.Project(text(p, "id"), text(p, "user_id"), text(p, "name"),
                    text(p, "description"), text(p, "goals"), text(p, "custom_instructions"),
                    text(p, "default_model"), text(p, "status"), p.path("current_version").asInt(1),
                    p.path("pinned").asBoolean(), p.path("archived").asBoolean(), p.path("is_default").asBoolean(),
                    p.path("max_tokens").asLong(200_000), object(p, "metadata"), time(p, "created_at"),
                    time(p, "updated_at"), members, text(p, "id")));
            List<? extends ZipEntry> entries = zip.stream().toList();
            for (ZipEntry entry : entries) {
                if (entry.getName().startsWith("conversations/") && entry.getName().endsWith(".jsonl")) {
                    readConversation(zip, entry, data);
                }
            }
            for (JsonNode f : lines(zip, "files.jsonl")) {
                String external = text(f, "external_location");
                SourceData.Bytes bytes = null;
                if (external == null) {
                    ZipEntry blob = zip.getEntry("blobs/" + text(f, "sha256"));
                    if (blob == null) {
                        data.problems.add("missing_file_bytes", text(f, "id"));
                        continue;
                    }
                    bytes = () -> entryStream(path, blob.getName());
                }
                // an external file has no bytes, whatever blob an older export wrote for it: its
                // size is the declared one
                data.files.add(new SourceData.File(text(f, "id"), text(f, "project_id"), text(f, "user_id"),
                        text(f, "filename"), text(f, "purpose"), text(f, "media_type"), f.path("version").asInt(1),
                        f.path("order_index").asInt(0), object(f, "metadata"), time(f, "created_at"), bytes,
                        f.path("size_bytes").asLong(), external, text(f, "id")));
            }
            for (JsonNode d : lines(zip, "documents.jsonl")) {
                data.documents.add(new SourceData.DocumentLink(text(d, "conversation_id"), text(d, "file_id"),
                        text(d, "user_id"), time(d, "created_at")));
            }
            for (JsonNode a : lines(zip, "artifacts.jsonl")) {
                List<SourceData.ArtifactVersion> versions = new ArrayList<>();
                for (JsonNode v : a.path("versions")) {
                    versions.add(new SourceData.ArtifactVersion(v.path("version").asInt(1), text(v, "user_id"),
                            text(v, "media_type"), text(v, "content"), time(v, "created_at")));
                }
                data.artifacts.add(new SourceData.Artifact(text(a, "id"), text(a, "project_id"), text(a, "user_id"),
                        text(a, "conversation_id"), text(a, "message_id"), text(a, "name"), text(a, "kind"),
                        object(a, "metadata"), time(a, "created_at"), time(a, "updated_at"), versions, text(a, "id")));
            }
            for (JsonNode l : lines(zip, "logs.jsonl")) {
                data.logs.add(new SourceData.Log(text(l, "id"), text(l, "project_id"), text(l, "user_id"),
                        l.path("version").asInt(1), text(l, "log_level"), text(l, "summary"), text(l, "file_id"),
                        object(l, "metadata"), time(l, "created_at"), text(l, "id")));
            }
            for (JsonNode t : lines(zip, "tasks.jsonl")) {
                data.tasks.add(new SourceData.Task(text(t, "id"), text(t, "user_id"), text(t, "project_id"),
                        text(t, "conversation_id"), text(t, "title"), text(t, "description"),
                        t.path("completed").asBoolean(), time(t, "created_at"), time(t, "updated_at"), text(t, "id")));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + location + ": " + e.getMessage(), e);
        }
        return data;
    }

    private void readConversation(ZipFile zip, ZipEntry entry, SourceData data) throws IOException {
        JsonNode c = null;
        List<SourceData.Message> messages = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(zip.getInputStream(entry),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = json.readTree(line);
                if (node.has("conversation")) {
                    c = node.get("conversation");
                } else if (node.has("message")) {
                    JsonNode m = node.get("message");
                    Long prompt = m.path("prompt_tokens").isNumber() ? m.get("prompt_tokens").asLong() : null;
                    Long completion = m.path("completion_tokens").isNumber() ? m.get("completion_tokens").asLong() : null;
                    messages.add(new SourceData.Message(text(m, "id"), text(m, "parent_id"), text(m, "user_id"),
                            text(m, "role"), m.path("content").asString(""), nullable(m, "tool_calls"),
                            text(m, "tool_call_id"), text(m, "name"), object(m, "metadata"),
                            nullable(m, "context_used"), prompt, completion, time(m, "created_at"),
                            time(m, "edited_at"), text(m, "id")));
                }
            }
        }
        if (c == null) {
            data.problems.add("conversation_without_header", entry.getName());
            return;
        }
        data.conversations.add(new SourceData.Conversation(text(c, "id"), text(c, "project_id"), text(c, "user_id"),
                text(c, "title"), text(c, "model_id"), c.path("use_knowledge_base").asBoolean(), object(c, "metadata"),
                time(c, "deleted_at"), time(c, "created_at"), time(c, "updated_at"), text(c, "current_leaf_id"),
                messages, text(c, "id")));
    }

    private JsonNode read(ZipFile zip, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new IllegalArgumentException("the export has no " + name);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return json.readTree(in);
        }
    }

    private List<JsonNode> lines(ZipFile zip, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        List<JsonNode> result = new ArrayList<>();
        if (entry == null) {
            return result;
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(zip.getInputStream(entry),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    result.add(json.readTree(line));
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return result;
    }

    static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    static @Nullable JsonNode nullable(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    static ObjectNode object(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
    }

    static @Nullable Instant time(JsonNode node, String field) {
        String value = text(node, field);
        return value == null ? null : Instant.parse(value);
    }

    /** One zip entry's bytes; closing the stream closes the zip. */
    static InputStream entryStream(Path path, String name) throws IOException {
        ZipFile zip = new ZipFile(path.toFile());
        InputStream in = zip.getInputStream(zip.getEntry(name));
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    zip.close();
                }
            }
        };
    }
}
