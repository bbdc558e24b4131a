package dev.parley.file;

import static dev.parley.db.Tables.BLOBS;
import static dev.parley.db.Tables.FILES;
import static dev.parley.db.Tables.PROCESSING_LOGS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.parley.support.Api;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import dev.parley.web.Ids;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

abstract class ProjectCompleteApiTests extends ApiTest {

    @Autowired
    DSLContext dsl;

    @Test
    void theCompleteViewHasTheNewestOfEachSectionBoundedToAHundred() {
        Session owner = api.newUser("complete");
        Session viewer = api.newUser("viewer");
        Session stranger = api.newUser("stranger");
        String project = api.post("/api/v1/projects", owner, Api.object("name", "Gearbox")).json().get("id").asString();
        api.put("/api/v1/projects/" + project + "/members/" + viewer.userId(), owner, Api.object("role", "viewer"));
        UUID projectId = UUID.fromString(project);

        // many rows at once, made directly: only the bounds and order are under test here
        String sha256 = "0".repeat(63) + "2";
        dsl.insertInto(BLOBS).set(BLOBS.SHA256, sha256).set(BLOBS.SIZE_BYTES, 0L).set(BLOBS.CREATED_AT, Ids.now())
                .onConflictDoNothing().execute();
        List<org.jooq.Query> inserts = new ArrayList<>();
        for (int i = 1; i <= 101; i++) {
            inserts.add(dsl.insertInto(FILES).set(FILES.ID, Ids.newId()).set(FILES.PROJECT_ID, projectId)
                    .set(FILES.USER_ID, owner.userId()).set(FILES.FILENAME, "out" + i + ".stl")
                    .set(FILES.PURPOSE, "output").set(FILES.MEDIA_TYPE, "model/stl").set(FILES.SIZE_BYTES, 0L)
                    .set(FILES.SHA256, sha256).set(FILES.VERSION, i).set(FILES.CREATED_AT, Ids.now()));
            inserts.add(dsl.insertInto(PROCESSING_LOGS).set(PROCESSING_LOGS.ID, Ids.newId())
                    .set(PROCESSING_LOGS.PROJECT_ID, projectId).set(PROCESSING_LOGS.USER_ID, owner.userId())
                    .set(PROCESSING_LOGS.VERSION, 1).set(PROCESSING_LOGS.LOG_LEVEL, "info")
                    .set(PROCESSING_LOGS.SUMMARY, "run " + i).set(PROCESSING_LOGS.METADATA, JSON.valueOf("{}"))
                    .set(PROCESSING_LOGS.CREATED_AT, Ids.now()));
        }
        inserts.add(dsl.insertInto(FILES).set(FILES.ID, Ids.newId()).set(FILES.PROJECT_ID, projectId)
                .set(FILES.USER_ID, owner.userId()).set(FILES.FILENAME, "script.py").set(FILES.PURPOSE, "input")
                .set(FILES.MEDIA_TYPE, "text/x-python").set(FILES.SIZE_BYTES, 0L).set(FILES.SHA256, sha256)
                .set(FILES.VERSION, 1).set(FILES.CREATED_AT, Ids.now()));
        dsl.batch(inserts).execute();

        Api.Response response = api.get("/api/v1/projects/" + project + "/complete", viewer);
        assertThat(response.status()).isEqualTo(200);
        JsonNode complete = response.json();
        List<String> keys = new ArrayList<>();
        complete.propertyNames().forEach(keys::add);
        assertThat(keys).containsExactly("project", "conversations", "messages", "files", "files_by_purpose", "logs");
        assertThat(complete.get("project").get("id").asString()).isEqualTo(project);

        JsonNode files = complete.get("files");
        assertThat(files.get("data")).hasSize(100);
        assertThat(files.get("has_more").asBoolean()).isTrue();
        assertThat(files.get("data").get(0).get("filename").asString()).isEqualTo("out101.stl");
        // the cursor continues in the files list
        JsonNode rest = api.get("/api/v1/projects/" + project + "/files?after="
                + files.get("next_cursor").asString(), owner).json();
        assertThat(rest.get("data")).hasSize(2);

        JsonNode byPurpose = complete.get("files_by_purpose");
        assertThat(byPurpose.get("output").get("data")).hasSize(100);
        assertThat(byPurpose.get("output").get("has_more").asBoolean()).isTrue();
        assertThat(byPurpose.get("input").get("data")).hasSize(1);
        assertThat(byPurpose.get("input").get("has_more").asBoolean()).isFalse();
        assertThat(byPurpose.has("log")).isFalse();

        JsonNode logs = complete.get("logs");
        assertThat(logs.get("data")).hasSize(100);
        assertThat(logs.get("has_more").asBoolean()).isTrue();
        assertThat(logs.get("data").get(0).get("summary").asString()).isEqualTo("run 101");
        for (String section : List.of("conversations", "messages")) {
            assertThat(complete.get(section).has("data")).isTrue();
            assertThat(complete.get(section).has("has_more")).isTrue();
        }

        assertThat(api.get("/api/v1/projects/" + project + "/complete", stranger).code()).isEqualTo("not_found");
        assertThat(api.get("/api/v1/projects/" + UUID.randomUUID() + "/complete", owner).code()).isEqualTo("not_found");
    }

    @Test
    void theCompleteViewHoldsTheNewestConversationsAndMessages() {
        Session owner = api.newUser("complete");
        String project = api.post("/api/v1/projects", owner, Api.object("name", "Chat")).json().get("id").asString();
        String older = api.post("/api/v1/conversations", owner, Api.object("project_id", project, "title", "older"))
                .json().get("id").asString();
        String deleted = api.post("/api/v1/conversations", owner, Api.object("project_id", project, "title", "gone"))
                .json().get("id").asString();
        String newer = api.post("/api/v1/conversations", owner, Api.object("project_id", project, "title", "newer"))
                .json().get("id").asString();
        List<Object> batch = new ArrayList<>();
        for (int i = 1; i <= 101; i++) {
            batch.add(Api.object("role", i % 2 == 1 ? "user" : "assistant", "content", "m" + i));
        }
        assertThat(api.post("/api/v1/conversations/" + newer + "/messages/batch", owner,
                Api.object("messages", batch)).status()).isEqualTo(201);
        assertThat(api.delete("/api/v1/conversations/" + deleted, owner).status()).isEqualTo(204);

        JsonNode complete = api.get("/api/v1/projects/" + project + "/complete", owner).json();

        JsonNode conversations = complete.get("conversations");
        assertThat(conversations.get("data")).extracting(c -> c.get("id").asString()).containsExactly(newer, older);
        assertThat(conversations.get("has_more").asBoolean()).isFalse();
        JsonNode messages = complete.get("messages");
        assertThat(messages.get("data")).hasSize(100);
        assertThat(messages.get("has_more").asBoolean()).isTrue();
        assertThat(messages.get("data").get(0).get("content").asString()).isEqualTo("m101");
        JsonNode rest = api.get("/api/v1/projects/" + project + "/messages?after="
                + messages.get("next_cursor").asString(), owner).json();
        assertThat(rest.get("data")).extracting(m -> m.get("content").asString()).containsExactly("m1");
    }

    @Test
    void anEmptyProjectHasEmptySections() {
        Session owner = api.newUser("empty");
        String project = api.post("/api/v1/projects", owner, Api.object("name", "Empty")).json().get("id").asString();
        JsonNode complete = api.get("/api/v1/projects/" + project + "/complete", owner).json();
        JsonNode empty = Api.JSON.readTree("{\"data\":[],\"has_more\":false,\"next_cursor\":null}");
        assertThat(complete.get("conversations")).isEqualTo(empty);
        assertThat(complete.get("messages")).isEqualTo(empty);
        assertThat(complete.get("files")).isEqualTo(empty);
        assertThat(complete.get("logs")).isEqualTo(empty);
        assertThat(complete.get("files_by_purpose")).isEqualTo(Api.JSON.createObjectNode());
        JsonNode summary = api.get("/api/v1/projects/" + project + "/summary", owner).json();
        assertThat(summary.get("latest_files")).isEqualTo(Api.JSON.createObjectNode());
    }

    @OnSqlite
    static class OnSqliteTest extends ProjectCompleteApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends ProjectCompleteApiTests {
    }
}
