package dev.parley.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.parley.storage.BlobStore;
import dev.parley.storage.FileSystemBlobStore;
import dev.parley.storage.StoredBlob;
import dev.parley.support.Api;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

abstract class FileApiTests extends ApiTest {

    @Autowired
    FileSystemBlobStore store;

    @Autowired
    BlobSweeper sweeper;

    @Autowired
    dev.parley.config.ParleyProperties parley;

    Uploads uploads;
    Session owner;
    String project;

    @BeforeEach
    void setUp() {
        uploads = new Uploads(port);
        owner = api.newUser("files");
        project = api.post("/api/v1/projects", owner, Api.object("name", "CAD bracket")).json().get("id").asString();
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    Api.Response upload(Session session, String purpose, String filename, String type, byte[] bytes) {
        Uploads.Form form = Uploads.form().file(filename, type, bytes);
        if (purpose != null) {
            form.field("purpose", purpose);
        }
        return uploads.upload("/api/v1/projects/" + project + "/files", session, form);
    }

    Session member(String role) {
        Session session = api.newUser(role);
        assertThat(api.put("/api/v1/projects/" + project + "/members/" + session.userId(), owner,
                Api.object("role", role)).status()).isIn(200, 201);
        return session;
    }

    @Test
    void anUploadComesBackByteForByteWithItsRecord() throws Exception {
        byte[] bytes = randomBytes(300_000, 1);
        Api.Response created = uploads.upload("/api/v1/projects/" + project + "/files", owner, Uploads.form()
                .field("purpose", "output").field("version", "3").field("order_index", "2")
                .field("metadata", "{\"format\":\"stl\"}")
                .file("bracket.stl", "model/stl", bytes));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode file = created.json();
        String id = file.get("id").asString();
        assertThat(created.header("Location")).isEqualTo("/api/v1/files/" + id);
        assertThat(file.get("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(file).isEqualTo(Api.JSON.readTree("""
                {"id":"%s","project_id":"%s","user_id":"%s","filename":"bracket.stl","purpose":"output",
                 "media_type":"model/stl","size_bytes":300000,"sha256":"%s","external_location":null,
                 "version":3,"order_index":2,
                 "metadata":{"format":"stl"},"created_at":"%s"}""".formatted(id, project, owner.userId(),
                sha256(bytes), file.get("created_at").asString())));
        assertThat(api.get("/api/v1/files/" + id, owner).json()).isEqualTo(file);

        Uploads.Download download = uploads.download("/api/v1/files/" + id + "/content", owner, Map.of());
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(bytes);
        assertThat(download.header("Content-Type")).isEqualTo("model/stl");
        assertThat(download.header("Content-Length")).isEqualTo("300000");
        assertThat(download.header("ETag")).isEqualTo("\"" + sha256(bytes) + "\"");
        assertThat(download.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(download.header("Cache-Control")).isEqualTo("private");
        assertThat(download.header("Content-Disposition")).startsWith("attachment;").contains("bracket.stl");
        assertThat(store.path(sha256(bytes))).exists();
    }

    @Test
    void theVersionDefaultsToTheProjectsCurrentVersion() {
        api.patch("/api/v1/projects/" + project, owner, Api.object("current_version", 4));
        Api.Response created = upload(owner, "input", "script.py", "text/x-python", "print(1)".getBytes());
        assertThat(created.json().get("version").asInt()).isEqualTo(4);
        assertThat(created.json().get("order_index").asInt()).isEqualTo(0);
        assertThat(created.json().get("metadata")).isEqualTo(Api.JSON.createObjectNode());
    }

    @Test
    void identicalUploadsShareOneBlobUntilTheLastRecordGoes() throws Exception {
        byte[] bytes = randomBytes(10_000, 2);
        String first = upload(owner, "input", "a.bin", null, bytes).json().get("id").asString();
        String second = upload(owner, "output", "b.bin", null, bytes).json().get("id").asString();
        assertThat(first).isNotEqualTo(second);
        Path blob = store.path(sha256(bytes));
        assertThat(blob).exists();
        try (var stream = Files.walk(store.root())) {
            assertThat(stream.filter(p -> p.getFileName().toString().equals(blob.getFileName().toString())))
                    .hasSize(1);
        }

        assertThat(api.delete("/api/v1/files/" + first, owner).status()).isEqualTo(204);
        assertThat(blob).exists();
        assertThat(uploads.download("/api/v1/files/" + second + "/content", owner, Map.of()).body()).isEqualTo(bytes);
        assertThat(api.delete("/api/v1/files/" + second, owner).status()).isEqualTo(204);
        assertThat(blob).doesNotExist();
        assertThat(api.get("/api/v1/files/" + second, owner).code()).isEqualTo("not_found");
    }

    @Test
    void aRangeIsAnsweredWithPartialContentAndTheEtagWithNotModified() {
        byte[] bytes = randomBytes(5_000, 3);
        JsonNode file = upload(owner, "output", "part.bin", null, bytes).json();
        String path = "/api/v1/files/" + file.get("id").asString() + "/content";

        Uploads.Download range = uploads.download(path, owner, Map.of("Range", "bytes=100-199"));
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.header("Content-Range")).isEqualTo("bytes 100-199/5000");
        assertThat(range.header("Content-Length")).isEqualTo("100");
        assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 100, 200));

        Uploads.Download suffix = uploads.download(path, owner, Map.of("Range", "bytes=-10"));
        assertThat(suffix.status()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 4990, 5000));

        Uploads.Download unsatisfiable = uploads.download(path, owner, Map.of("Range", "bytes=9000-9999"));
        assertThat(unsatisfiable.status()).isEqualTo(416);
        assertThat(unsatisfiable.header("Content-Range")).isEqualTo("bytes */5000");
        // a problem document, not the file: a client appending a 416 body to its copy would corrupt it
        assertThat(unsatisfiable.header("Content-Type")).startsWith("application/problem+json");
        assertThat(new String(unsatisfiable.body(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"code\":\"range_not_satisfiable\"");
        // a matching If-None-Match still wins
        assertThat(uploads.download(path, owner, Map.of("Range", "bytes=9000-9999", "If-None-Match",
                "\"" + file.get("sha256").asString() + "\"")).status()).isEqualTo(304);

        String etag = "\"" + file.get("sha256").asString() + "\"";
        Uploads.Download notModified = uploads.download(path, owner, Map.of("If-None-Match", etag));
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(uploads.download(path, owner, Map.of("If-None-Match", "\"other\"")).status()).isEqualTo(200);
    }

    @Test
    void hostileFilenamesAreStoredAsGivenAndCannotEscapeTheHeader() {
        String[] kept = {"../../etc/passwd", "quote\"d \\ name.txt", "Übersicht 📄 résumé.pdf", "..", "a/b\\c"};
        for (String name : kept) {
            Api.Response created = uploads.upload("/api/v1/projects/" + project + "/files", owner, Uploads.form()
                    .field("purpose", "attachment").field("filename", name).file("x.bin", null, new byte[] {1, 2}));
            assertThat(created.status()).as(name + ": " + created).isEqualTo(201);
            assertThat(created.json().get("filename").asString()).isEqualTo(name);
            Uploads.Download download = uploads.download("/api/v1/files/" + created.json().get("id").asString()
                    + "/content", owner, Map.of());
            String disposition = download.header("Content-Disposition");
            assertThat(disposition).startsWith("attachment;").doesNotContain("\r", "\n", "/", "\\");
            // the only quotes are the ones around the parameter value
            assertThat(disposition.chars().filter(c -> c == '"').count()).isIn(0L, 2L);
        }
        Api.Response unicodePart = upload(owner, "attachment", "Grüße 📄.txt", "text/plain", "hi".getBytes());
        assertThat(unicodePart.json().get("filename").asString()).isEqualTo("Grüße 📄.txt");

        String[] refused = {"line\r\nX-Injected: 1", "tab\tname", "bell\u0007", "x".repeat(1000), "", " "};
        for (String name : refused) {
            Api.Response response = uploads.upload("/api/v1/projects/" + project + "/files", owner, Uploads.form()
                    .field("purpose", "attachment").field("filename", name).file("x.bin", null, new byte[] {1}));
            assertThat(response.status()).as(name).isEqualTo(422);
            assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("filename");
        }
        assertThat(upload(owner, "attachment", "x".repeat(255), null, new byte[] {1}).status()).isEqualTo(201);
    }

    @Test
    void theStoredMediaTypeIsCheckedAgainstTheBytes() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        byte[] pdf = "%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(upload(owner, "input", "picture.txt", "text/plain", png).json().get("media_type").asString())
                .isEqualTo("image/png");
        assertThat(upload(owner, "input", "doc", "application/octet-stream", pdf).json().get("media_type").asString())
                .isEqualTo("application/pdf");
        assertThat(upload(owner, "input", "doc.pdf", "image/png", pdf).json().get("media_type").asString())
                .isEqualTo("application/pdf");
        assertThat(upload(owner, "input", "rows.csv", "text/csv", "a,b\n1,2\n".getBytes()).json()
                .get("media_type").asString()).isEqualTo("text/csv");
        assertThat(upload(owner, "input", "data.json", null, "{\"a\":1}".getBytes()).json()
                .get("media_type").asString()).isEqualTo("application/json");
        assertThat(upload(owner, "input", "Model.STEP", "Text/Plain; charset=UTF-8", "ISO-10303-21;".getBytes()).json()
                .get("media_type").asString()).isEqualTo("text/plain");
    }

    @Test
    void projectFilesFollowTheProjectRoles() {
        Session editor = member("editor");
        Session viewer = member("viewer");
        Session stranger = api.newUser("stranger");
        byte[] bytes = "role test".getBytes();

        assertThat(upload(editor, "input", "e.txt", "text/plain", bytes).status()).isEqualTo(201);
        Api.Response byViewer = upload(viewer, "input", "v.txt", "text/plain", bytes);
        assertThat(byViewer.status()).isEqualTo(403);
        assertThat(byViewer.code()).isEqualTo("forbidden");
        assertThat(upload(stranger, "input", "s.txt", "text/plain", bytes).code()).isEqualTo("not_found");

        String id = upload(owner, "input", "o.txt", "text/plain", bytes).json().get("id").asString();
        for (Session reader : List.of(owner, editor, viewer, admin)) {
            assertThat(api.get("/api/v1/files/" + id, reader).status()).isEqualTo(200);
            assertThat(uploads.download("/api/v1/files/" + id + "/content", reader, Map.of()).status()).isEqualTo(200);
            assertThat(api.get("/api/v1/projects/" + project + "/files", reader).status()).isEqualTo(200);
            assertThat(api.get("/api/v1/projects/" + project + "/files/latest", reader).status()).isEqualTo(200);
        }
        assertThat(api.get("/api/v1/files/" + id, stranger).code()).isEqualTo("not_found");
        assertThat(uploads.download("/api/v1/files/" + id + "/content", stranger, Map.of()).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/projects/" + project + "/files", stranger).code()).isEqualTo("not_found");
        assertThat(api.delete("/api/v1/files/" + id, stranger).code()).isEqualTo("not_found");
        assertThat(api.delete("/api/v1/files/" + id, viewer).code()).isEqualTo("forbidden");
        assertThat(api.delete("/api/v1/files/" + id, editor).status()).isEqualTo(204);
    }

    @Test
    void aLibraryFileBelongsToItsUserAlone() {
        Session other = api.newUser("other");
        Api.Response created = uploads.upload("/api/v1/files", owner,
                Uploads.form().file("notes.md", "text/markdown", "# notes".getBytes()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode file = created.json();
        assertThat(file.get("project_id").isNull()).isTrue();
        assertThat(file.get("purpose").asString()).isEqualTo("attachment");
        assertThat(file.get("version").asInt()).isEqualTo(1);
        String id = file.get("id").asString();

        JsonNode library = api.get("/api/v1/files", owner).json();
        assertThat(library.get("data")).hasSize(1);
        assertThat(library.get("data").get(0)).isEqualTo(file);
        assertThat(api.get("/api/v1/files", other).json().get("data")).isEmpty();
        assertThat(api.get("/api/v1/files/" + id, other).code()).isEqualTo("not_found");
        assertThat(uploads.download("/api/v1/files/" + id + "/content", other, Map.of()).status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/files/" + id, other).code()).isEqualTo("not_found");
        assertThat(api.delete("/api/v1/files/" + id, owner).status()).isEqualTo(204);
    }

    @Test
    void filesAreListedNewestVersionFirstPageByPageAndFiltered() {
        List<String> ids = new ArrayList<>();
        for (int version = 1; version <= 3; version++) {
            for (String purpose : List.of("input", "output")) {
                ids.add(uploads.upload("/api/v1/projects/" + project + "/files", owner, Uploads.form()
                        .field("purpose", purpose).field("version", String.valueOf(version))
                        .file(purpose + version + ".txt", "text/plain", (purpose + version).getBytes()))
                        .json().get("id").asString());
            }
        }
        List<String> seen = new ArrayList<>();
        String path = "/api/v1/projects/" + project + "/files?limit=4";
        JsonNode page = api.get(path, owner).json();
        page.get("data").forEach(f -> seen.add(f.get("filename").asString()));
        assertThat(page.get("has_more").asBoolean()).isTrue();
        page = api.get(path + "&after=" + page.get("next_cursor").asString(), owner).json();
        page.get("data").forEach(f -> seen.add(f.get("filename").asString()));
        assertThat(page.get("has_more").asBoolean()).isFalse();
        assertThat(page.get("next_cursor").isNull()).isTrue();
        assertThat(seen).containsExactly("output3.txt", "input3.txt", "output2.txt", "input2.txt", "output1.txt",
                "input1.txt");

        JsonNode outputs = api.get("/api/v1/projects/" + project + "/files?purpose=output&version=2", owner).json();
        assertThat(outputs.get("data")).hasSize(1);
        assertThat(outputs.get("data").get(0).get("filename").asString()).isEqualTo("output2.txt");

        assertThat(api.get("/api/v1/projects/" + project + "/files/latest?purpose=input", owner).json()
                .get("filename").asString()).isEqualTo("input3.txt");
        assertThat(api.get("/api/v1/projects/" + project + "/files/latest?purpose=log", owner).code())
                .isEqualTo("not_found");

        JsonNode summary = api.get("/api/v1/projects/" + project + "/summary", owner).json();
        assertThat(summary.get("counts").get("files").asLong()).isEqualTo(6);
        assertThat(summary.get("latest_files").get("input").get("filename").asString()).isEqualTo("input3.txt");
        assertThat(summary.get("latest_files").get("output").get("filename").asString()).isEqualTo("output3.txt");
        assertThat(summary.get("latest_files").size()).isEqualTo(2);
    }

    @Test
    void badUploadsAreRefusedNamingTheField() {
        String path = "/api/v1/projects/" + project + "/files";
        byte[] one = {1};
        assertField(uploads.upload(path, owner, Uploads.form().field("purpose", "input")), 400, "file");
        assertField(uploads.upload(path, owner, Uploads.form().file("a", null, one)), 422, "purpose");
        assertField(uploads.upload(path, owner, Uploads.form().field("purpose", "bogus").file("a", null, one)),
                400, "purpose");
        assertField(uploads.upload(path, owner, Uploads.form().field("purpose", "input").field("version", "0")
                .file("a", null, one)), 422, "version");
        assertField(uploads.upload(path, owner, Uploads.form().field("purpose", "input").field("version", "x")
                .file("a", null, one)), 400, "version");
        assertField(uploads.upload(path, owner, Uploads.form().field("purpose", "input").field("order_index", "-1")
                .file("a", null, one)), 422, "order_index");
        for (String metadata : List.of("[1]", "{bad", "\"text\"", "{\"a\":1,\"a\":2}")) {
            assertField(uploads.upload(path, owner, Uploads.form().field("purpose", "input")
                    .field("metadata", metadata).file("a", null, one)), 422, "metadata");
        }
        Api.Response json = api.post(path, owner, Api.object("purpose", "input"));
        assertThat(json.status()).isEqualTo(415);
        assertThat(api.get("/api/v1/files/not-a-uuid", owner).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/projects/" + project + "/files?after=garbage", owner).code())
                .isEqualTo("invalid_cursor");
        assertThat(api.get("/api/v1/projects/" + project + "/files?purpose=bogus", owner).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/files?limit=0", owner).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/files", null).status()).isEqualTo(401);
        // nothing was stored by any of them
        assertThat(api.get("/api/v1/projects/" + project + "/files", owner).json().get("data")).isEmpty();
    }

    private static void assertField(Api.Response response, int status, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
    }

    @Test
    void bytesWithoutARecordAreSweptAndRecordedBytesStay() throws Exception {
        // a crash after the rename and before the commit leaves bytes that no row references
        byte[] orphan = randomBytes(1_000, 4);
        StoredBlob blob = store.put(new java.io.ByteArrayInputStream(orphan), 10_000);
        store.commit(blob);
        // and a crash mid-upload leaves a temporary file
        Path temp = Files.createTempFile(store.root().resolve("tmp"), "upload-", ".part");
        Path part = Files.createTempFile(parley.dataDir().toAbsolutePath().resolve("tmp").resolve("uploads"),
                "upload_", ".tmp");
        byte[] kept = randomBytes(1_000, 5);
        String keptId = upload(owner, "input", "kept.bin", null, kept).json().get("id").asString();

        assertThat(sweeper.sweep(Duration.ofHours(1)).strayBlobs()).isZero();
        assertThat(store.path(blob.sha256())).exists();

        BlobSweeper.Report report = sweeper.sweep(Duration.ZERO);
        assertThat(report.strayBlobs()).isGreaterThanOrEqualTo(1);
        assertThat(report.temporaries()).isGreaterThanOrEqualTo(1);
        assertThat(store.path(blob.sha256())).doesNotExist();
        assertThat(temp).doesNotExist();
        assertThat(part).doesNotExist();
        assertThat(store.path(sha256(kept))).exists();
        assertThat(uploads.download("/api/v1/files/" + keptId + "/content", owner, Map.of()).body()).isEqualTo(kept);
    }

    @Test
    void theBytesOfADeletedProjectAreSwept() throws Exception {
        byte[] bytes = randomBytes(2_000, 6);
        upload(owner, "output", "gone.bin", null, bytes);
        assertThat(api.delete("/api/v1/projects/" + project, owner).status()).isEqualTo(204);
        assertThat(store.path(sha256(bytes))).exists();
        assertThat(sweeper.sweep(Duration.ofHours(1)).unreferencedBlobs()).isGreaterThanOrEqualTo(1);
        assertThat(store.path(sha256(bytes))).doesNotExist();
    }

    @Test
    void everyRecordPointsAtBytesThatExist() throws Exception {
        byte[] bytes = randomBytes(3_000, 7);
        String id = upload(owner, "output", "x.bin", null, bytes).json().get("id").asString();
        // the bytes of the record are in place before the record can be seen, and stay after a sweep
        sweeper.sweep(Duration.ZERO);
        assertThat(store.exists(sha256(bytes))).isTrue();
        assertThat(BlobStore.isAddress(sha256(bytes))).isTrue();
        assertThat(uploads.download("/api/v1/files/" + id + "/content", owner, Map.of()).body()).isEqualTo(bytes);
    }

    @Test
    void concurrentUploadsAndDeletesOfTheSameBytesNeverLeaveARecordWithoutThem() throws Exception {
        byte[] bytes = randomBytes(50_000, 8);
        String sha256 = sha256(bytes);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<?>> work = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                work.add(pool.submit(() -> {
                    Api.Response created = upload(owner, "output", "same.bin", null, bytes);
                    assertThat(created.status()).as(created.toString()).isEqualTo(201);
                    // every other upload is deleted again at once, racing the next uploads of the same bytes
                    if (created.json().get("id").asString().hashCode() % 2 == 0) {
                        assertThat(api.delete("/api/v1/files/" + created.json().get("id").asString(), owner)
                                .status()).isEqualTo(204);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> future : work) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode left = api.get("/api/v1/projects/" + project + "/files?limit=100", owner).json().get("data");
        for (JsonNode file : left) {
            assertThat(file.get("sha256").asString()).isEqualTo(sha256);
            assertThat(uploads.download("/api/v1/files/" + file.get("id").asString() + "/content", owner, Map.of())
                    .body()).isEqualTo(bytes);
        }
        assertThat(store.exists(sha256)).isEqualTo(!left.isEmpty());
    }

    @Test
    void theOpenApiDocumentDescribesTheFileRoutes() {
        Api.Response openapi = api.get("/api/v1/openapi.json", null);
        assertThat(openapi.status()).isEqualTo(200);
        assertThat(openapi.json().get("paths").has("/api/v1/files/{id}/content")).isTrue();
        assertThat(openapi.json().get("paths").has("/api/v1/projects/{id}/complete")).isTrue();
        assertThat(openapi.json().get("paths").has("/api/v1/projects/{projectId}/artifacts/{id}/versions")).isTrue();
    }

    @OnSqlite
    static class OnSqliteTest extends FileApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends FileApiTests {
    }
}
