package dev.parley.file;

import static dev.parley.db.Tables.FILES;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import dev.parley.config.ParleyProperties;
import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.KnowledgeBaseStatus;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * External files: records an import made of bytes that stay where the source kept them (here
 * S3 objects of a {@code mongoexport} dump). Parley shows where they are, serves none of their
 * bytes, keeps them out of the knowledge base, and exports and imports them as records only.
 */
abstract class ExternalFileApiTests extends ApiTest {

    private static final String V2 = "s3://bucket/input/gearbox/gearbox_v2.py";
    private static final String V3 = "s3://bucket/input/gearbox/gearbox_v3.py";

    @Autowired
    ParleyProperties parley;

    @Autowired
    DSLContext db;

    Uploads uploads;
    Session owner;
    String project;
    /** The imported records by version: 2 and 3 of gearbox.py. */
    Map<Integer, JsonNode> imported;

    @BeforeEach
    void importTwoVersionsFromS3() throws IOException {
        uploads = new Uploads(port);
        owner = api.newUser("ext");
        String name = "Gearbox " + UUID.randomUUID();
        Path dump = parley.dataDir().resolve("imports").resolve("mongo-" + UUID.randomUUID());
        Files.createDirectories(dump);
        Files.writeString(dump.resolve("projects.json"), """
                {"_id":{"$oid":"670919a3e4b0a1b2c3d4e501"},"project_id":"project-1","project_name":"%s","created_by":"%s","created_at":{"$date":"2025-10-11T12:24:35Z"},"current_version":3}
                """.formatted(name, owner.username()));
        Files.writeString(dump.resolve("files.json"), file("701", 2, V2, "1760185000000", 1980)
                + "\n" + file("702", 3, V3, "1760185475000", 2048) + "\n");
        Response run = api.post("/api/v1/admin/imports", admin, Api.object("source", "mongo-export",
                "location", dump.getFileName().toString()));
        assertThat(run.status()).as(run.text()).isEqualTo(200);
        assertThat(run.json().get("status").asString()).as(run.text()).isEqualTo("completed");
        for (JsonNode p : api.get("/api/v1/projects?limit=100", owner).json().get("data")) {
            if (p.get("name").asString().equals(name)) {
                project = p.get("id").asString();
            }
        }
        assertThat(project).isNotNull();
        imported = new LinkedHashMap<>();
        api.get("/api/v1/projects/" + project + "/files", owner).json().get("data")
                .forEach(f -> imported.put(f.get("version").asInt(), f));
        assertThat(imported.keySet()).containsExactly(3, 2);
    }

    private static String file(String id, int version, String path, String millis, long size) {
        return ("{\"_id\":{\"$oid\":\"670919a3e4b0a1b2c3d4e%s\"},\"project_id\":\"project-1\",\"version\":%d,"
                + "\"file_type\":\"input\",\"s3_path\":\"%s\",\"timestamp\":{\"$date\":{\"$numberLong\":\"%s\"}},"
                + "\"metadata\":{\"file_name\":\"gearbox.py\",\"file_size\":{\"$numberLong\":\"%d\"}}}")
                .formatted(id, version, path, millis, size);
    }

    private String id(int version) {
        return imported.get(version).get("id").asString();
    }

    @Test
    void anExternalFileShowsWhereItsBytesAreAndNoHash() {
        JsonNode file = api.get("/api/v1/files/" + id(3), owner).json();
        assertThat(file).isEqualTo(Api.JSON.readTree("""
                {"id":"%s","project_id":"%s","user_id":"%s","filename":"gearbox.py","purpose":"input",
                 "media_type":"text/x-python","size_bytes":2048,"sha256":null,"external_location":"%s",
                 "version":3,"order_index":0,"metadata":{"file_name":"gearbox.py","file_size":2048,
                 "mongo":{"_id":"670919a3e4b0a1b2c3d4e702","file_type":"input","project_id":"project-1"}},
                 "created_at":"2025-10-11T12:24:35.000Z"}""".formatted(id(3), project, owner.userId(), V3)));
        assertThat(file.propertyNames()).containsExactly("id", "project_id", "user_id", "filename", "purpose",
                "media_type", "size_bytes", "sha256", "external_location", "version", "order_index", "metadata",
                "created_at");

        // every other place a file is shown says the same
        assertThat(imported.get(3)).isEqualTo(file);
        assertThat(api.get("/api/v1/projects/" + project + "/files/latest?purpose=input", owner).json()).isEqualTo(file);
        assertThat(api.get("/api/v1/projects/" + project + "/summary", owner).json().get("latest_files").get("input"))
                .isEqualTo(file);
        JsonNode complete = api.get("/api/v1/projects/" + project + "/complete", owner).json();
        assertThat(complete.get("files").get("data").get(0)).isEqualTo(file);
        assertThat(complete.get("files_by_purpose").get("input").get("data").get(0)).isEqualTo(file);
        String conversation = api.post("/api/v1/conversations", owner, Api.object("project_id", project)).json()
                .get("id").asString();
        Response attached = api.put("/api/v1/conversations/" + conversation + "/documents/" + id(3), owner, null);
        assertThat(attached.status()).isEqualTo(201);
        assertThat(attached.json()).isEqualTo(file);
        assertThat(api.get("/api/v1/conversations/" + conversation + "/documents", owner).json().get("data").get(0))
                .isEqualTo(file);
    }

    @Test
    void itsContentIsAConflictThatNamesTheLocation() {
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Range", "bytes=0-9"),
                Map.of("If-None-Match", "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\""))) {
            Response content = api.send("GET", "/api/v1/files/" + id(3) + "/content", owner, null, headers);
            assertThat(content.status()).as(headers + " " + content).isEqualTo(409);
            assertThat(content.header("Content-Type")).startsWith("application/problem+json");
            JsonNode problem = content.json();
            assertThat(problem.get("code").asString()).isEqualTo("content_external");
            assertThat(problem.get("type").asString()).isEqualTo("urn:parley:problem:content_external");
            assertThat(problem.get("title").asString()).isEqualTo("Content is external");
            assertThat(problem.get("detail").asString()).contains(V3).contains("not in Parley");
        }
        // a stranger still learns nothing
        assertThat(api.get("/api/v1/files/" + id(3) + "/content", api.newUser("stranger")).status()).isEqualTo(404);
    }

    @Test
    void theKnowledgeBaseRefusesItNamingTheFileId() {
        assertThat(api.put(base(), owner, Api.object("name", "Docs")).status()).isEqualTo(201);
        Response added = api.post(base() + "/files", owner, Api.object("file_id", id(3)));
        assertThat(added.status()).as(added.toString()).isEqualTo(422);
        assertThat(added.json().get("code").asString()).isEqualTo("validation_failed");
        assertThat(added.json().get("errors").get(0).get("field").asString()).isEqualTo("file_id");
        assertThat(added.json().get("errors").get(0).get("message").asString()).contains(V3).contains("not in Parley");
        assertThat(api.get(base(), owner).json().get("files_total").asInt()).isZero();
    }

    @Test
    void theIndexerFailsAnExternalFileItMeetsAtOnce() {
        // a knowledge-base row made before the rule: a file that became external after it was added
        assertThat(api.put(base(), owner, Api.object("name", "Docs")).status()).isEqualTo(201);
        String notes = uploads.upload("/api/v1/projects/" + project + "/files", owner, Uploads.form()
                .field("purpose", "knowledge").file("notes.txt", "text/plain",
                        "The gearbox has 24 teeth on the first stage.".getBytes(StandardCharsets.UTF_8)))
                .json().get("id").asString();
        assertThat(api.post(base() + "/files", owner, Api.object("file_id", notes)).status()).isEqualTo(202);
        assertThat(settled().get("files_indexed").asInt()).isEqualTo(1);
        db.update(FILES).set(FILES.EXTERNAL_LOCATION, "s3://bucket/knowledge/notes.txt")
                .where(FILES.ID.eq(UUID.fromString(notes))).execute();

        assertThat(api.post(base() + "/reindex", owner, null).status()).isIn(200, 202);
        JsonNode kb = settled();
        assertThat(kb.get("files_failed").asInt()).as(kb.toString()).isEqualTo(1);
        assertThat(kb.get("chunks").asInt()).isZero();
        JsonNode entry = api.get(base() + "/files", owner).json().get("data").get(0);
        assertThat(entry.get("state").asString()).isEqualTo("failed");
        assertThat(entry.get("error").asString()).contains("s3://bucket/knowledge/notes.txt").contains("not in Parley");
    }

    @Test
    void deletingOneTakesOnlyItsRecord() {
        // an empty upload has the very address an external record points at internally
        JsonNode empty = uploads.upload("/api/v1/projects/" + project + "/files", owner, Uploads.form()
                .field("purpose", "output").file("empty.txt", "text/plain", new byte[0])).json();
        assertThat(empty.get("sha256").asString())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

        assertThat(api.delete("/api/v1/files/" + id(3), owner).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/files/" + id(3), owner).status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/files/" + id(3), owner).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/files/" + id(2), owner).json()).isEqualTo(imported.get(2));
        assertContentIsEmpty(empty);

        assertThat(api.delete("/api/v1/files/" + id(2), owner).status()).isEqualTo(204);
        assertContentIsEmpty(empty);
        assertThat(api.delete("/api/v1/files/" + empty.get("id").asString(), owner).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/projects/" + project + "/files", owner).json().get("data").isEmpty()).isTrue();
    }

    private void assertContentIsEmpty(JsonNode file) {
        Uploads.Download content = uploads.download("/api/v1/files/" + file.get("id").asString() + "/content", owner,
                Map.of());
        assertThat(content.status()).isEqualTo(200);
        assertThat(content.body()).isEmpty();
    }

    @Test
    void anExternalFileIsAVersionOfItsNameLikeAnUploadedOne() {
        api.patch("/api/v1/projects/" + project, owner, Api.object("current_version", 4));
        JsonNode v4 = uploads.upload("/api/v1/projects/" + project + "/files", owner, Uploads.form()
                .field("purpose", "input").file("gearbox.py", "text/x-python",
                        "teeth = 24\n".getBytes(StandardCharsets.UTF_8))).json();
        assertThat(v4.get("version").asInt()).isEqualTo(4);
        assertThat(v4.get("external_location").isNull()).isTrue();
        assertThat(v4.get("sha256").asString()).hasSize(64);

        JsonNode list = api.get("/api/v1/projects/" + project + "/files?purpose=input", owner).json().get("data");
        List<Integer> versions = new ArrayList<>();
        list.forEach(f -> versions.add(f.get("version").asInt()));
        assertThat(versions).containsExactly(4, 3, 2);
        assertThat(list.get(1)).isEqualTo(imported.get(3));
        assertThat(api.get("/api/v1/projects/" + project + "/files/latest?purpose=input", owner).json()).isEqualTo(v4);
        JsonNode second = api.get("/api/v1/projects/" + project + "/files?version=2", owner).json().get("data");
        assertThat(second.size()).isEqualTo(1);
        assertThat(second.get(0)).isEqualTo(imported.get(2));
    }

    @Test
    void anExportCarriesTheRecordWithoutBytesAndImportsBackTheSame() throws Exception {
        byte[] script = "teeth = 24\n".getBytes(StandardCharsets.UTF_8);
        JsonNode uploaded = uploads.upload("/api/v1/projects/" + project + "/files", owner, Uploads.form()
                .field("purpose", "output").file("gearbox.stl", "model/stl", script)).json();
        byte[] first = export();
        Map<String, byte[]> entries = unzip(first);
        assertThat(entries.keySet().stream().filter(n -> n.startsWith("blobs/")))
                .as("only the uploaded file has bytes").containsExactly("blobs/" + uploaded.get("sha256").asString());
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        for (String line : new String(entries.get("files.jsonl"), StandardCharsets.UTF_8).split("\n")) {
            JsonNode row = Api.JSON.readTree(line);
            rows.put(row.get("id").asString(), row);
        }
        assertThat(rows.get(id(3)).get("external_location").asString()).isEqualTo(V3);
        assertThat(rows.get(id(3)).get("sha256").isNull()).isTrue();
        assertThat(rows.get(id(3)).get("size_bytes").asLong()).isEqualTo(2048);
        assertThat(rows.get(uploaded.get("id").asString()).get("external_location").isNull()).isTrue();

        assertThat(api.delete("/api/v1/projects/" + project, owner).status()).isEqualTo(204);
        JsonNode report = importExport(first);
        assertThat(report.get("counts").get("file").get("created").asLong()).isEqualTo(3);
        assertThat(api.get("/api/v1/files/" + id(3), owner).json()).isEqualTo(imported.get(3));
        assertThat(api.get("/api/v1/files/" + id(2), owner).json()).isEqualTo(imported.get(2));
        assertThat(api.get("/api/v1/files/" + uploaded.get("id").asString(), owner).json()).isEqualTo(uploaded);
        assertThat(api.get("/api/v1/files/" + id(3) + "/content", owner).status()).isEqualTo(409);
        assertThat(export()).as("the export of the imported project").isEqualTo(first);
    }

    @Test
    void anExportFromBeforeExternalFilesWereKnownImportsWithTheDeclaredSize() throws Exception {
        // such an export gave an external file the hash of no bytes and an empty blob entry
        String none = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        Map<String, byte[]> entries = unzip(export());
        StringBuilder files = new StringBuilder();
        for (String line : new String(entries.get("files.jsonl"), StandardCharsets.UTF_8).split("\n")) {
            ObjectNode row = (ObjectNode) Api.JSON.readTree(line);
            row.put("sha256", none);
            files.append(Api.JSON.writeValueAsString(row)).append('\n');
        }
        entries.put("files.jsonl", files.toString().getBytes(StandardCharsets.UTF_8));
        entries.put("blobs/" + none, new byte[0]);
        assertThat(api.delete("/api/v1/projects/" + project, owner).status()).isEqualTo(204);

        importExport(zip(entries));
        assertThat(api.get("/api/v1/files/" + id(3), owner).json()).isEqualTo(imported.get(3));
        assertThat(api.get("/api/v1/files/" + id(2), owner).json().get("size_bytes").asLong()).isEqualTo(1980);
    }

    // ------------------------------------------------------------------ helpers

    private String base() {
        return "/api/v1/projects/" + project + "/knowledge-base";
    }

    private JsonNode settled() {
        return KnowledgeBaseStatus.settled(api, owner, project, Duration.ofMinutes(3));
    }

    private byte[] export() {
        Uploads.Download zip = uploads.download("/api/v1/projects/" + project + "/export", owner, Map.of());
        assertThat(zip.status()).isEqualTo(200);
        return zip.body();
    }

    private JsonNode importExport(byte[] zip) throws IOException {
        Path directory = parley.dataDir().resolve("imports");
        Files.createDirectories(directory);
        String name = "export-" + UUID.randomUUID() + ".zip";
        Files.write(directory.resolve(name), zip);
        Response run = api.post("/api/v1/admin/imports", admin, Api.object("source", "parley", "location", name));
        assertThat(run.status()).as(run.text()).isEqualTo(200);
        JsonNode report = run.json();
        assertThat(report.get("status").asString()).as(report.toString()).isEqualTo("completed");
        assertThat(report.get("problems").isEmpty()).as(report.get("problems").toString()).isTrue();
        return report;
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @OnSqlite
    static class OnSqliteTest extends ExternalFileApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends ExternalFileApiTests {
    }
}
