package dev.parley.log;

import static dev.parley.db.Tables.BLOBS;
import static dev.parley.db.Tables.FILES;
import static dev.parley.db.Tables.PROCESSING_LOGS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.parley.support.Api;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import dev.parley.web.Ids;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

abstract class LogApiTests extends ApiTest {

    @Autowired
    DSLContext dsl;

    @Autowired
    LogRetention retention;

    Session owner;
    String project;
    String base;

    @BeforeEach
    void setUp() {
        owner = api.newUser("logs");
        project = api.post("/api/v1/projects", owner, Api.object("name", "Gearbox", "current_version", 2)).json()
                .get("id").asString();
        base = "/api/v1/projects/" + project + "/logs";
    }

    Api.Response append(Session session, Object... fields) {
        return api.post(base, session, Api.object(fields));
    }

    @Test
    void aLogIsAppendedWithItsMetadataAndTheProjectsVersion() {
        Api.Response created = append(owner, "level", "info", "summary", "script ran",
                "metadata", Map.of("processing_time", 2.45, "worker_id", "w-1", "exit_code", 0, "host", "cad-3"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode log = created.json();
        assertThat(log).isEqualTo(Api.JSON.readTree("""
                {"id":"%s","project_id":"%s","version":2,"level":"info","summary":"script ran","file_id":null,
                 "metadata":{"processing_time":2.45,"worker_id":"w-1","exit_code":0,"host":"cad-3"},
                 "created_at":"%s"}""".formatted(log.get("id").asString(), project,
                log.get("created_at").asString())));
        assertThat(api.get("/api/v1/projects/" + project + "/summary", owner).json().get("counts").get("logs")
                .asLong()).isEqualTo(1);
    }

    @Test
    void logsAreListedNewestFirstAndFilteredByVersionAndLevel() {
        append(owner, "level", "info", "summary", "one", "version", 1);
        append(owner, "level", "error", "summary", "two", "version", 1);
        append(owner, "level", "info", "summary", "three", "version", 2);
        append(owner, "level", "debug", "summary", "four", "version", 2);
        List<String> seen = new ArrayList<>();
        JsonNode page = api.get(base + "?limit=3", owner).json();
        page.get("data").forEach(l -> seen.add(l.get("summary").asString()));
        api.get(base + "?limit=3&after=" + page.get("next_cursor").asString(), owner).json().get("data")
                .forEach(l -> seen.add(l.get("summary").asString()));
        assertThat(seen).containsExactly("four", "three", "two", "one");
        assertThat(summaries(base + "?version=1")).containsExactly("two", "one");
        assertThat(summaries(base + "?level=info")).containsExactly("three", "one");
        assertThat(summaries(base + "?version=2&level=debug")).containsExactly("four");
    }

    private List<String> summaries(String path) {
        List<String> out = new ArrayList<>();
        api.get(path, owner).json().get("data").forEach(l -> out.add(l.get("summary").asString()));
        return out;
    }

    /** A file record made directly: the bytes do not matter to a log. */
    UUID file(String projectId) {
        UUID id = Ids.newId();
        String sha256 = "0".repeat(63) + "1";
        dsl.insertInto(BLOBS).set(BLOBS.SHA256, sha256).set(BLOBS.SIZE_BYTES, 0L).set(BLOBS.CREATED_AT, Ids.now())
                .onConflictDoNothing().execute();
        dsl.insertInto(FILES).set(FILES.ID, id).set(FILES.PROJECT_ID, UUID.fromString(projectId))
                .set(FILES.USER_ID, owner.userId()).set(FILES.FILENAME, "run.log").set(FILES.PURPOSE, "log")
                .set(FILES.MEDIA_TYPE, "text/plain").set(FILES.SIZE_BYTES, 0L).set(FILES.SHA256, sha256)
                .set(FILES.CREATED_AT, Ids.now()).execute();
        return id;
    }

    @Test
    void aLogMayPointAtAFileOfItsProjectOnly() {
        UUID own = file(project);
        Api.Response linked = append(owner, "level", "error", "summary", "see log", "file_id", own.toString());
        assertThat(linked.status()).isEqualTo(201);
        assertThat(linked.json().get("file_id").asString()).isEqualTo(own.toString());

        String other = api.post("/api/v1/projects", owner, Api.object("name", "other")).json().get("id").asString();
        assertField(append(owner, "level", "info", "summary", "x", "file_id", file(other).toString()), 422, "file_id");
        assertField(append(owner, "level", "info", "summary", "x", "file_id", UUID.randomUUID().toString()), 422,
                "file_id");
    }

    @Test
    void logsOlderThanTheRetentionPeriodAreForgotten() {
        String old = append(owner, "level", "info", "summary", "old").json().get("id").asString();
        String recent = append(owner, "level", "info", "summary", "recent").json().get("id").asString();
        dsl.update(PROCESSING_LOGS).set(PROCESSING_LOGS.CREATED_AT, Ids.now().minus(Duration.ofDays(91)))
                .where(PROCESSING_LOGS.ID.eq(UUID.fromString(old))).execute();
        assertThat(retention.purge()).isGreaterThanOrEqualTo(1);
        assertThat(summaries(base)).containsExactly("recent");
        assertThat(recent).isNotNull();
    }

    @Test
    void rolesDecideWhoAppendsAndWhoReads() {
        Session editor = api.newUser("editor");
        Session viewer = api.newUser("viewer");
        Session stranger = api.newUser("stranger");
        api.put("/api/v1/projects/" + project + "/members/" + editor.userId(), owner, Api.object("role", "editor"));
        api.put("/api/v1/projects/" + project + "/members/" + viewer.userId(), owner, Api.object("role", "viewer"));
        assertThat(append(editor, "level", "info", "summary", "e").status()).isEqualTo(201);
        assertThat(append(viewer, "level", "info", "summary", "v").code()).isEqualTo("forbidden");
        assertThat(append(stranger, "level", "info", "summary", "s").code()).isEqualTo("not_found");
        for (Session reader : List.of(owner, editor, viewer, admin)) {
            assertThat(api.get(base, reader).json().get("data")).hasSize(1);
        }
        assertThat(api.get(base, stranger).code()).isEqualTo("not_found");
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        assertField(append(owner, "summary", "x"), 422, "level");
        assertField(append(owner, "level", "fatal", "summary", "x"), 400, "level");
        assertField(append(owner, "level", "info"), 422, "summary");
        assertField(append(owner, "level", "info", "summary", "x".repeat(10_001)), 422, "summary");
        assertField(append(owner, "level", "info", "summary", "x", "version", 0), 422, "version");
        assertField(append(owner, "level", "info", "summary", "x", "metadata", List.of()), 422, "metadata");
        assertField(append(owner, "level", "info", "summary", "x", "metadata", Map.of("processing_time", -1)), 422,
                "metadata.processing_time");
        assertField(append(owner, "level", "info", "summary", "x", "metadata", Map.of("processing_time", "2s")), 422,
                "metadata.processing_time");
        assertField(append(owner, "level", "info", "summary", "x", "metadata", Map.of("worker_id", 7)), 422,
                "metadata.worker_id");
        assertField(append(owner, "level", "info", "summary", "x", "metadata", Map.of("exit_code", 1.5)), 422,
                "metadata.exit_code");
        assertField(append(owner, "level", "info", "summary", "x", "file_id", "nope"), 400, "file_id");
        assertThat(append(owner, "level", "info", "summary", "x".repeat(10_000)).status()).isEqualTo(201);
        assertThat(api.get(base + "?level=fatal", owner).status()).isEqualTo(400);
        assertThat(api.get(base + "?version=0", owner).status()).isEqualTo(422);
        assertThat(api.get(base + "?after=zzz", owner).status()).isEqualTo(400);
    }

    private static void assertField(Api.Response response, int status, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
    }

    @OnSqlite
    static class OnSqliteTest extends LogApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends LogApiTests {
    }
}
