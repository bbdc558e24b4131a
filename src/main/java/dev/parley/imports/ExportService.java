package dev.parley.imports;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import dev.parley.project.ProjectRole;
import dev.parley.project.ProjectService;
import dev.parley.storage.BlobStore;
import dev.parley.web.Caller;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A project as one zip, written straight to the response as it is read: {@code manifest.json},
 * {@code project.json} (with members), {@code users.json} (everyone its rows name, no
 * secrets), {@code conversations/<id>.jsonl} (the conversation on the first line, then every
 * message of every branch in append order), {@code files.jsonl} with the bytes under
 * {@code blobs/<sha256>} (an external file, whose bytes Parley does not hold, is a row with its
 * {@code external_location}, a null {@code sha256} and no blob), {@code documents.jsonl},
 * {@code artifacts.jsonl} (each with all its versions), {@code logs.jsonl} and {@code tasks.jsonl}. Entries carry a fixed time and rows a
 * fixed order, so the same project always gives the same bytes; the {@code parley} import
 * source reads it back.
 */
@Service
public class ExportService {

    public static final String FORMAT = "parley-export";
    public static final int VERSION = 1;
    /** Zip entries carry this time, not the export's, so that exports compare byte for byte. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

    private final ExportStore store;
    private final ProjectService projects;
    private final BlobStore blobs;
    private final JsonMapper json = JsonMapper.builder().build();

    ExportService(ExportStore store, ProjectService projects, BlobStore blobs) {
        this.store = store;
        this.projects = projects;
        this.blobs = blobs;
    }

    /** Checks that the caller may read the project (any member may: the data is theirs to read). */
    public void requireReadable(Caller caller, UUID projectId) {
        projects.require(caller, projectId, ProjectRole.VIEWER);
    }

    /** Writes the zip of a project to {@code out}. */
    public void export(UUID projectId, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        ObjectNode manifest = JsonNodeFactory.instance.objectNode();
        manifest.put("format", FORMAT);
        manifest.put("version", VERSION);
        manifest.put("project_id", projectId.toString());
        entry(zip, "manifest.json", manifest);
        ObjectNode project = store.project(projectId);
        var members = project.putArray("members");
        store.members(projectId).forEach(members::add);
        entry(zip, "project.json", project);
        var users = JsonNodeFactory.instance.arrayNode();
        store.users(store.userIdsOfProject(projectId)).forEach(users::add);
        entry(zip, "users.json", users);
        for (ObjectNode conversation : store.conversations(projectId)) {
            start(zip, "conversations/" + conversation.get("id").asString() + ".jsonl");
            line(zip, wrap("conversation", conversation));
            store.messages(UUID.fromString(conversation.get("id").asString()), m -> line(zip, wrap("message", m)));
            zip.closeEntry();
        }
        List<ObjectNode> files = store.files(projectId);
        Set<String> shas = new LinkedHashSet<>();
        for (ObjectNode f : files) {
            if (f.path("external_location").isNull()) {
                shas.add(f.get("sha256").asString());
            } else {
                // Parley holds no bytes of an external file: no hash, no blob entry (its row's
                // address is the blob of no bytes, an internal stand-in)
                f.putNull("sha256");
            }
        }
        lines(zip, "files.jsonl", files);
        for (String sha : shas) {
            start(zip, "blobs/" + sha);
            try (InputStream in = blobs.open(sha).getInputStream()) {
                in.transferTo(zip);
            }
            zip.closeEntry();
        }
        lines(zip, "documents.jsonl", store.documents(projectId));
        lines(zip, "artifacts.jsonl", store.artifacts(projectId));
        lines(zip, "logs.jsonl", store.logs(projectId));
        lines(zip, "tasks.jsonl", store.tasks(projectId));
        zip.finish();
        zip.flush();
    }

    private static ObjectNode wrap(String type, ObjectNode row) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.set(type, row);
        return node;
    }

    private void entry(ZipOutputStream zip, String name, JsonNode node) throws IOException {
        start(zip, name);
        zip.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
        zip.write('\n');
        zip.closeEntry();
    }

    private void lines(ZipOutputStream zip, String name, List<ObjectNode> rows) throws IOException {
        start(zip, name);
        for (ObjectNode row : new ArrayList<>(rows)) {
            line(zip, row);
        }
        zip.closeEntry();
    }

    private void line(ZipOutputStream zip, JsonNode node) {
        try {
            zip.write(json.writeValueAsBytes(node));
            zip.write('\n');
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void start(ZipOutputStream zip, String name) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(entry);
    }
}
