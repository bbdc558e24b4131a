package dev.parley.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import dev.parley.config.ParleyProperties;
import dev.parley.storage.BlobStore;
import dev.parley.storage.StoredBlob;
import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import dev.parley.web.Ids;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

abstract class ImportExportApiTests extends ApiTest {

    @Autowired
    DSLContext db;

    @Autowired
    ParleyProperties parley;

    @Autowired
    ImportStore store;

    @Autowired
    BlobStore blobs;

    /** The address of no bytes, which an external file's record points at. */
    private static final String NO_BYTES = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    // ------------------------------------------------------------------ export and the parley source

    @Test
    void anExportImportedIntoAnInstanceWithoutTheProjectExportsToTheSameBytes() throws Exception {
        Session alice = api.newUser("alice");
        Session bob = api.newUser("bob");
        String project = fullProject(alice, bob);
        byte[] first = download("/api/v1/projects/" + project + "/export", alice);
        assertThat(first.length).isGreaterThan(100);
        assertThat(entryNames(first)).as("an external file has no bytes in the export")
                .contains("blobs/" + ImportService.sha256("print('gear')\n")).doesNotContain("blobs/" + NO_BYTES);

        // the project goes away; its export brings it back
        assertThat(api.delete("/api/v1/projects/" + project, alice).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/projects/" + project, alice).status()).isEqualTo(404);
        String zip = place("export-" + UUID.randomUUID() + ".zip", first);
        Response imported = api.post("/api/v1/admin/imports", admin, Api.object("source", "parley", "location", zip));
        assertThat(imported.status()).as(imported.text()).isEqualTo(200);
        JsonNode report = imported.json();
        assertThat(report.get("status").asString()).as(report.toString()).isEqualTo("completed");
        assertThat(report.get("verify").get("ok").asBoolean()).isTrue();
        assertThat(report.get("counts").get("message").get("created").asLong()).isEqualTo(6);
        assertThat(report.get("problems").isEmpty()).as(report.get("problems").toString()).isTrue();
        assertThat(report.get("users").findValuesAsString("action")).containsOnly("existing");

        byte[] second = download("/api/v1/projects/" + project + "/export", alice);
        assertThat(second).as("the export of the imported project").isEqualTo(first);
        JsonNode external = api.get("/api/v1/projects/" + project + "/files?purpose=output", alice).json()
                .get("data").get(0);
        assertThat(external.get("external_location").asString()).isEqualTo("s3://bucket/output/gear.stl");
        assertThat(external.get("size_bytes").asLong()).as("the declared size").isEqualTo(48_213);
        assertThat(external.get("sha256").isNull()).isTrue();
        ImportInvariants.check(db);

        // a re-run creates nothing
        JsonNode rerun = api.post("/api/v1/admin/imports", admin, Api.object("source", "parley", "location", zip)).json();
        assertThat(rerun.get("status").asString()).isEqualTo("completed");
        assertThat(rerun.get("counts").get("message").get("created").asLong()).isZero();
        assertThat(rerun.get("counts").get("message").get("skipped").asLong()).isEqualTo(6);
        assertThat(rerun.get("counts").get("conversation").get("created").asLong()).isZero();
        assertThat(download("/api/v1/projects/" + project + "/export", alice)).isEqualTo(first);

        // rollback removes exactly that batch: the project and everything in it, not the users
        String batch = report.get("batch_id").asString();
        JsonNode rolledBack = api.post("/api/v1/admin/imports", admin,
                Api.object("source", "parley", "location", zip, "rollback", batch)).json();
        assertThat(rolledBack.get("status").asString()).as(rolledBack.toString()).isEqualTo("rolled_back");
        assertThat(rolledBack.get("counts").get("message").get("removed").asLong()).isEqualTo(6);
        assertThat(api.get("/api/v1/projects/" + project, alice).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/me", alice).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/me", bob).status()).isEqualTo(200);
        ImportInvariants.check(db);
        assertThat(api.post("/api/v1/admin/imports", admin,
                Api.object("source", "parley", "location", zip, "rollback", batch)).status()).isEqualTo(422);

        // and after the rollback the same import brings it back again, identical
        JsonNode again = api.post("/api/v1/admin/imports", admin, Api.object("source", "parley", "location", zip)).json();
        assertThat(again.get("counts").get("message").get("created").asLong()).isEqualTo(6);
        assertThat(download("/api/v1/projects/" + project + "/export", alice)).isEqualTo(first);
    }

    @Test
    void anyMemberMayExportAndOthersSeeNothing() throws Exception {
        Session alice = api.newUser("alice");
        Session viewer = api.newUser("viewer");
        Session stranger = api.newUser("stranger");
        String project = api.post("/api/v1/projects", alice, Api.object("name", "p")).json().get("id").asString();
        api.put("/api/v1/projects/" + project + "/members/" + viewer.userId(), alice, Api.object("role", "viewer"));
        assertThat(download("/api/v1/projects/" + project + "/export", viewer).length).isGreaterThan(0);
        Response hidden = api.get("/api/v1/projects/" + project + "/export", stranger);
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(hidden.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void importsAreForAdminsAndReadOnlyTheImportsDirectory() {
        Session alice = api.newUser("alice");
        assertThat(api.post("/api/v1/admin/imports", alice, Api.object("source", "parley", "location", "x.zip"))
                .status()).isEqualTo(403);
        Response outside = api.post("/api/v1/admin/imports", admin,
                Api.object("source", "chatgpt", "location", "../parley.db"));
        assertThat(outside.status()).isEqualTo(422);
        assertThat(outside.json().get("errors").get(0).get("field").asString()).isEqualTo("location");
        assertThat(api.post("/api/v1/admin/imports", admin, Api.object("source", "nonsense", "location", "x"))
                .status()).isEqualTo(400);
        assertThat(api.post("/api/v1/admin/imports", admin,
                Api.object("source", "parley", "location", "x", "rollback", UUID.randomUUID().toString()))
                .status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ chatgpt

    @Test
    void aChatGptExportKeepsEveryBranchTheLeafRolesTimesAndTools() throws Exception {
        Session alice = api.newUser("alice");
        String project = api.post("/api/v1/projects", alice, Api.object("name", "from chatgpt")).json().get("id").asString();
        String file = place("conversations-" + UUID.randomUUID() + ".json", ChatGptExports.branchy().getBytes(
                StandardCharsets.UTF_8));

        JsonNode dry = api.post("/api/v1/admin/imports", admin, Api.object("source", "chatgpt", "location", file,
                "owner", alice.username(), "project_id", project, "dry_run", true)).json();
        assertThat(dry.get("status").asString()).as(dry.toString()).isEqualTo("dry_run");
        assertThat(dry.get("batch_id").isNull()).isTrue();
        assertThat(dry.get("counts").get("conversation").get("created").asLong()).isEqualTo(2);
        assertThat(dry.get("counts").get("message").get("created").asLong()).isEqualTo(ChatGptExports.MESSAGES);
        assertThat(dry.get("problems").get("unknown_role").get("count").asLong()).isEqualTo(1);
        assertThat(dry.get("problems").get("unstorable_character").get("count").asLong()).isEqualTo(1);
        assertThat(dry.get("problems").get("duplicate_conversation").get("count").asLong()).isEqualTo(1);
        assertThat(api.get("/api/v1/projects/" + project + "/conversations", alice).json().get("data").size()).isZero();

        JsonNode report = api.post("/api/v1/admin/imports", admin, Api.object("source", "chatgpt", "location", file,
                "owner", alice.username(), "project_id", project)).json();
        assertThat(report.get("status").asString()).as(report.toString()).isEqualTo("completed");
        assertThat(report.get("verify").get("source_checksum").asString())
                .isEqualTo(report.get("verify").get("parley_checksum").asString());
        ImportInvariants.check(db);

        JsonNode conversations = api.get("/api/v1/projects/" + project + "/conversations", alice).json().get("data");
        assertThat(conversations.size()).isEqualTo(2);
        JsonNode branchy = null;
        for (JsonNode c : conversations) {
            if (c.get("title").asString().equals("Branchy")) {
                branchy = c;
            }
        }
        assertThat(branchy).isNotNull();
        String cid = branchy.get("id").asString();
        assertThat(branchy.get("model_id").asString()).isEqualTo("gpt-4o");
        assertThat(branchy.get("created_at").asString()).isEqualTo("2024-03-01T10:00:00.000Z");
        assertThat(branchy.get("message_count").asInt()).isEqualTo(ChatGptExports.BRANCHY_MESSAGES);
        ImportInvariants.gapFree(db, key(cid));

        JsonNode all = api.get("/api/v1/conversations/" + cid + "/messages?limit=100", alice).json().get("data");
        assertThat(all.size()).isEqualTo(ChatGptExports.BRANCHY_MESSAGES);
        Map<String, JsonNode> byNode = new java.util.HashMap<>();
        Map<String, String> nodeOfId = new java.util.HashMap<>();
        for (JsonNode m : all) {
            String node = m.get("metadata").get("chatgpt").get("id").asString();
            byNode.put(node, m);
            nodeOfId.put(m.get("id").asString(), node);
        }
        // every parent link of the source tree, the hidden root skipped
        ChatGptExports.BRANCHY_PARENTS.forEach((node, parent) -> {
            JsonNode m = byNode.get(node);
            assertThat(m).as(node).isNotNull();
            assertThat(m.get("parent_id").isNull() ? null : nodeOfId.get(m.get("parent_id").asString()))
                    .as("parent of " + node).isEqualTo(parent);
        });
        // every content byte, emoji and all; NUL became U+FFFD
        assertThat(byNode.get("u1").get("content").asString()).isEqualTo("Hello 👋🏽 — café");
        assertThat(byNode.get("u1").get("created_at").asString()).isEqualTo("2024-03-01T10:00:01.250Z");
        assertThat(byNode.get("a1b").get("content").asString()).isEqualTo("Regenerated answer");
        assertThat(byNode.get("a1b").get("metadata").get("model").asString()).isEqualTo("gpt-4o");
        assertThat(byNode.get("nul").get("content").asString()).isEqualTo("before\uFFFDafter");
        assertThat(byNode.get("crit").get("role").asString()).isEqualTo("assistant");
        assertThat(byNode.get("crit").get("metadata").get("source_role").asString()).isEqualTo("critic");
        // a browsing call and its result stay a tool call and its answer
        JsonNode call = byNode.get("call");
        assertThat(call.get("role").asString()).isEqualTo("assistant");
        assertThat(call.get("tool_calls").get(0).get("function").get("name").asString()).isEqualTo("browser");
        JsonNode result = byNode.get("result");
        assertThat(result.get("role").asString()).isEqualTo("tool");
        assertThat(result.get("name").asString()).isEqualTo("browser");
        assertThat(result.get("tool_call_id").asString()).isEqualTo(call.get("tool_calls").get(0).get("id").asString());
        assertThat(result.get("metadata").get("chatgpt").get("content").get("content_type").asString())
                .isEqualTo("tether_browsing_display");
        // current_node is the leaf: the active branch is the regenerated answer's line
        assertThat(nodeOfId.get(branchy.get("current_leaf_id").asString())).isEqualTo("final");
        JsonNode active = api.get("/api/v1/conversations/" + cid + "/messages?last=100", alice).json().get("data");
        List<String> activeNodes = new ArrayList<>();
        active.forEach(m -> activeNodes.add(nodeOfId.get(m.get("id").asString())));
        assertThat(activeNodes).containsExactly("sys", "u1", "a1b", "call", "result", "final");

        // a re-run skips; a rollback removes the conversations but not the project
        JsonNode rerun = api.post("/api/v1/admin/imports", admin, Api.object("source", "chatgpt", "location", file,
                "owner", alice.username(), "project_id", project)).json();
        assertThat(rerun.get("counts").get("message").get("created").asLong()).isZero();
        assertThat(rerun.get("status").asString()).isEqualTo("completed");
        JsonNode rolledBack = api.post("/api/v1/admin/imports", admin, Api.object("source", "chatgpt",
                "location", file, "rollback", report.get("batch_id").asString())).json();
        assertThat(rolledBack.get("counts").get("conversation").get("removed").asLong()).isEqualTo(2);
        assertThat(api.get("/api/v1/projects/" + project + "/conversations", alice).json().get("data").size()).isZero();
        assertThat(api.get("/api/v1/projects/" + project, alice).status()).isEqualTo(200);
        ImportInvariants.check(db);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * A project with every kind of row: branches, usage, tool calls, an edit, a file, an external
     * file (a record without bytes), documents, versions, a log, a task.
     */
    private String fullProject(Session alice, Session bob) {
        String project = api.post("/api/v1/projects", alice, Api.object("name", "Gearbox 🚗", "description", "d",
                "goals", "g", "custom_instructions", "be brief", "metadata", Api.object("k", List.of(1, 2)))).json()
                .get("id").asString();
        api.put("/api/v1/projects/" + project + "/members/" + bob.userId(), alice, Api.object("role", "editor"));
        String conversation = api.post("/api/v1/conversations", alice, Api.object("project_id", project,
                "title", "Design", "metadata", Api.object("x", "y"))).json().get("id").asString();
        String messages = "/api/v1/conversations/" + conversation + "/messages";
        String first = api.post(messages, alice, Api.object("role", "user", "content", "Make a gear\u00e9 👍")).json()
                .get("id").asString();
        api.post(messages, bob, Api.object("role", "assistant", "content", "", "tool_calls",
                List.of(Map.of("id", "c1", "type", "function", "function", Map.of("name", "cad", "arguments", "{}"))),
                "usage", Map.of("prompt_tokens", 10, "completion_tokens", 5)));
        api.post(messages, alice, Api.object("role", "tool", "content", "ok", "tool_call_id", "c1"));
        String answer = api.post(messages, alice, Api.object("role", "assistant", "content", "Done",
                "usage", Map.of("prompt_tokens", 3, "completion_tokens", 4))).json().get("id").asString();
        api.patch(messages + "/" + answer, alice, Api.object("content", "Done, edited"));
        api.post(messages, alice, Api.object("role", "user", "content", "Other branch", "parent_id", first));
        String second = api.post("/api/v1/conversations", bob, Api.object("project_id", project)).json().get("id").asString();
        api.post("/api/v1/conversations/" + second + "/messages", bob, Api.object("role", "system", "content", "sys"));
        String fileId = upload(alice, project, "model.py", "print('gear')\n".getBytes(StandardCharsets.UTF_8));
        api.put("/api/v1/conversations/" + conversation + "/documents/" + fileId, alice, null);
        String external = externalFile(alice, project);
        api.put("/api/v1/conversations/" + conversation + "/documents/" + external, alice, null);
        String artifact = api.post("/api/v1/projects/" + project + "/artifacts", alice, Api.object("name", "gear.scad",
                "kind", "code", "media_type", "text/plain", "content", "v1")).json().get("id").asString();
        api.patch("/api/v1/projects/" + project + "/artifacts/" + artifact, alice, Api.object("content", "v2"));
        api.post("/api/v1/projects/" + project + "/logs", alice, Api.object("version", 1, "level", "info",
                "summary", "built", "file_id", fileId, "metadata", Api.object("worker_id", "w1")));
        api.post("/api/v1/tasks", alice, Api.object("title", "Check gear", "project_id", project,
                "conversation_id", conversation));
        return project;
    }

    /** An external file as an importer leaves it: a record of S3 bytes, pointing at the blob of no bytes. */
    private String externalFile(Session owner, String project) {
        try {
            StoredBlob none = blobs.put(InputStream.nullInputStream(), Long.MAX_VALUE);
            blobs.commit(none);
            assertThat(none.sha256()).isEqualTo(NO_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        UUID id = Ids.newId();
        Instant at = Instant.parse("2025-10-11T12:24:35.123456Z");
        store.upsertBlob(NO_BYTES, 0, at);
        store.insertFile(id, UUID.fromString(project), owner.userId(), new SourceData.File("s3", null, "owner",
                "gear.stl", "output", "model/stl", 2, 0, obj().put("bucket", "bucket"), at, null, 48_213,
                "s3://bucket/output/gear.stl", null), NO_BYTES, 48_213);
        return id.toString();
    }

    private static List<String> entryNames(byte[] zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    private String upload(Session session, String project, String filename, byte[] bytes) {
        String boundary = "----parley" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\ninput\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: text/x-python\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        Response response = api.send("POST", "/api/v1/projects/" + project + "/files", session, body.toByteArray(),
                Map.of("Content-Type", "multipart/form-data; boundary=" + boundary));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json().get("id").asString();
    }

    private byte[] download(String path, Session session) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + session.accessToken()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/zip");
        return response.body();
    }

    /** Puts a source into the imports directory and answers its name there. */
    private String place(String name, byte[] bytes) throws IOException {
        Path directory = parley.dataDir().resolve("imports");
        Files.createDirectories(directory);
        Files.write(directory.resolve(name), bytes);
        return name;
    }

    private Object key(String id) {
        return db.dialect().family() == SQLDialect.SQLITE ? id : UUID.fromString(id);
    }

    static ArrayNode array() {
        return Api.JSON.createArrayNode();
    }

    static ObjectNode obj() {
        return Api.JSON.createObjectNode();
    }

    @OnSqlite
    static class OnSqliteTest extends ImportExportApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends ImportExportApiTests {
    }
}
