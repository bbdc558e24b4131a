package dev.parley.artifact;

import static dev.parley.db.Tables.CONVERSATIONS;
import static dev.parley.db.Tables.MESSAGES;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

abstract class ArtifactApiTests extends ApiTest {

    @Autowired
    DSLContext dsl;

    Session owner;
    String project;
    String base;

    @BeforeEach
    void setUp() {
        owner = api.newUser("artifacts");
        project = api.post("/api/v1/projects", owner, Api.object("name", "Gearbox")).json().get("id").asString();
        base = "/api/v1/projects/" + project + "/artifacts";
    }

    Session member(String role) {
        Session session = api.newUser(role);
        api.put("/api/v1/projects/" + project + "/members/" + session.userId(), owner, Api.object("role", role));
        return session;
    }

    /** Conversations and messages are another module's; the rows are made directly for the links. */
    UUID conversation(String projectId, Session user) {
        UUID id = Ids.newId();
        dsl.insertInto(CONVERSATIONS).set(CONVERSATIONS.ID, id)
                .set(CONVERSATIONS.PROJECT_ID, projectId == null ? null : UUID.fromString(projectId))
                .set(CONVERSATIONS.USER_ID, user.userId()).set(CONVERSATIONS.TITLE, "chat")
                .set(CONVERSATIONS.CREATED_AT, Ids.now()).set(CONVERSATIONS.UPDATED_AT, Ids.now()).execute();
        return id;
    }

    UUID message(UUID conversationId, String projectId, Session user) {
        UUID id = Ids.newId();
        dsl.insertInto(MESSAGES).set(MESSAGES.ID, id).set(MESSAGES.CONVERSATION_ID, conversationId)
                .set(MESSAGES.PROJECT_ID, UUID.fromString(projectId)).set(MESSAGES.USER_ID, user.userId())
                .set(MESSAGES.SEQ, 1L).set(MESSAGES.ROLE, "assistant").set(MESSAGES.CONTENT, "here it is")
                .set(MESSAGES.CREATED_AT, Ids.now()).execute();
        return id;
    }

    @Test
    void anArtifactIsCreatedReadAndListedWithoutItsContent() {
        Api.Response created = api.post(base, owner, Api.object("name", "gearbox.py", "kind", "code",
                "content", "import cadquery", "metadata", Api.object("lang", "python")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode artifact = created.json();
        String id = artifact.get("id").asString();
        assertThat(created.header("Location")).isEqualTo(base + "/" + id);
        assertThat(artifact).isEqualTo(Api.JSON.readTree("""
                {"id":"%s","project_id":"%s","user_id":"%s","conversation_id":null,"message_id":null,
                 "name":"gearbox.py","kind":"code","media_type":"text/plain","content":"import cadquery",
                 "size_bytes":15,"version":1,"metadata":{"lang":"python"},"created_at":"%s","updated_at":"%s"}"""
                .formatted(id, project, owner.userId(), artifact.get("created_at").asString(),
                        artifact.get("created_at").asString())));
        assertThat(api.get(base + "/" + id, owner).json()).isEqualTo(artifact);

        JsonNode list = api.get(base, owner).json();
        assertThat(list.get("data")).hasSize(1);
        assertThat(list.get("data").get(0).has("content")).isFalse();
        assertThat(list.get("data").get(0).get("name").asString()).isEqualTo("gearbox.py");
        assertThat(api.get("/api/v1/projects/" + project + "/summary", owner).json().get("counts").get("artifacts")
                .asLong()).isEqualTo(1);
    }

    @Test
    void nullUnlinksAnArtifactFromItsMessageAndConversation() {
        String conversation = api.post("/api/v1/conversations", owner, Api.object("project_id", project)).json()
                .get("id").asString();
        String message = api.post("/api/v1/conversations/" + conversation + "/messages", owner,
                Api.object("role", "assistant", "content", "here")).json().get("id").asString();
        String id = api.post(base, owner, Api.object("name", "a.py", "kind", "code", "content", "x=1",
                "message_id", message)).json().get("id").asString();
        assertThat(api.get(base + "/" + id, owner).json().get("conversation_id").asString()).isEqualTo(conversation);

        JsonNode messageGone = api.patch(base + "/" + id, owner, Api.object("message_id", null)).json();
        assertThat(messageGone.get("message_id").isNull()).isTrue();
        assertThat(messageGone.get("conversation_id").asString()).isEqualTo(conversation);
        assertThat(api.patch(base + "/" + id, owner, Api.object("conversation_id", null, "message_id", message))
                .status()).isEqualTo(422);
        assertThat(api.patch(base + "/" + id, owner, Api.object("message_id", message)).status()).isEqualTo(200);
        JsonNode unlinked = api.patch(base + "/" + id, owner, Api.object("conversation_id", null)).json();
        assertThat(unlinked.get("conversation_id").isNull()).isTrue();
        assertThat(unlinked.get("message_id").isNull()).isTrue();
        assertThat(unlinked.get("version").asInt()).isEqualTo(1);

        // a conversation that leaves the project leaves no link behind to trip over
        assertThat(api.patch(base + "/" + id, owner, Api.object("message_id", message)).status()).isEqualTo(200);
        assertThat(api.patch("/api/v1/conversations/" + conversation, owner, Api.object("project_id", null))
                .status()).isEqualTo(200);
        JsonNode left = api.get(base + "/" + id, owner).json();
        assertThat(left.get("conversation_id").isNull()).isTrue();
        assertThat(left.get("message_id").isNull()).isTrue();
        assertThat(api.patch(base + "/" + id, owner, Api.object("name", "b.py")).status()).isEqualTo(200);
    }

    @Test
    void aPageOfVersionsEndsBeforeItsContentOutgrowsTheBudget() {
        String big = "a".repeat(7 * 1024 * 1024);
        String id = api.post(base, owner, Api.object("name", "big.txt", "kind", "document", "content", big + "1"))
                .json().get("id").asString();
        assertThat(api.patch(base + "/" + id, owner, Api.object("content", big + "2")).status()).isEqualTo(200);
        assertThat(api.patch(base + "/" + id, owner, Api.object("content", big + "3")).status()).isEqualTo(200);

        JsonNode page = api.get(base + "/" + id + "/versions", owner).json();
        assertThat(page.get("data")).hasSize(2);
        assertThat(page.get("data").get(1).get("content").asString()).endsWith("2");
        assertThat(page.get("has_more").asBoolean()).isTrue();
        JsonNode rest = api.get(base + "/" + id + "/versions?after=" + page.get("next_cursor").asString(), owner).json();
        assertThat(rest.get("data")).hasSize(1);
        assertThat(rest.get("data").get(0).get("content").asString()).endsWith("1");
        assertThat(rest.get("has_more").asBoolean()).isFalse();
    }

    @Test
    void aContentChangeMakesANewVersionAndKeepsTheOldOnes() {
        String id = api.post(base, owner, Api.object("name", "model.scad", "kind", "code", "content", "cube(1);"))
                .json().get("id").asString();
        JsonNode renamed = api.patch(base + "/" + id, owner, Api.object("name", "bracket.scad",
                "metadata", Api.object("note", "renamed"))).json();
        assertThat(renamed.get("version").asInt()).isEqualTo(1);
        assertThat(renamed.get("name").asString()).isEqualTo("bracket.scad");

        JsonNode second = api.patch(base + "/" + id, owner, Api.object("content", "cube(2);")).json();
        assertThat(second.get("version").asInt()).isEqualTo(2);
        assertThat(second.get("content").asString()).isEqualTo("cube(2);");
        JsonNode same = api.patch(base + "/" + id, owner, Api.object("content", "cube(2);")).json();
        assertThat(same.get("version").asInt()).isEqualTo(2);
        JsonNode third = api.patch(base + "/" + id, owner, Api.object("content", "cube(3);")).json();
        assertThat(third.get("version").asInt()).isEqualTo(3);

        JsonNode versions = api.get(base + "/" + id + "/versions?limit=2", owner).json();
        List<Integer> numbers = new ArrayList<>();
        List<String> contents = new ArrayList<>();
        versions.get("data").forEach(v -> numbers.add(v.get("version").asInt()));
        versions.get("data").forEach(v -> contents.add(v.get("content").asString()));
        assertThat(versions.get("has_more").asBoolean()).isTrue();
        JsonNode rest = api.get(base + "/" + id + "/versions?limit=2&after=" + versions.get("next_cursor").asString(),
                owner).json();
        rest.get("data").forEach(v -> numbers.add(v.get("version").asInt()));
        rest.get("data").forEach(v -> contents.add(v.get("content").asString()));
        assertThat(numbers).containsExactly(3, 2, 1);
        assertThat(contents).containsExactly("cube(3);", "cube(2);", "cube(1);");

        JsonNode first = api.get(base + "/" + id + "/versions/1", owner).json();
        assertThat(first.get("content").asString()).isEqualTo("cube(1);");
        assertThat(first.get("artifact_id").asString()).isEqualTo(id);
        assertThat(first.get("media_type").asString()).isEqualTo("text/plain");
        assertThat(api.get(base + "/" + id + "/versions/9", owner).code()).isEqualTo("not_found");
        assertThat(api.get(base + "/" + id, owner).json().get("content").asString()).isEqualTo("cube(3);");
    }

    @Test
    void binaryKindsCarryBase64AndAStatedMediaType() {
        Api.Response image = api.post(base, owner, Api.object("name", "render.png", "kind", "image",
                "media_type", "image/png", "content", "iVBORw0KGgo="));
        assertThat(image.status()).isEqualTo(201);
        assertThat(image.json().get("media_type").asString()).isEqualTo("image/png");
        assertField(api.post(base, owner, Api.object("name", "x", "kind", "image", "content", "iVBORw0KGgo=")),
                "media_type");
        assertField(api.post(base, owner, Api.object("name", "x", "kind", "audio", "media_type", "audio/wav",
                "content", "not base64!")), "content");
    }

    @Test
    void contentIsLimitedToTenMebibytes() {
        String limit = "a".repeat(10 * 1024 * 1024);
        assertThat(api.post(base, owner, Api.object("name", "big", "kind", "document", "content", limit)).status())
                .isEqualTo(201);
        assertField(api.post(base, owner, Api.object("name", "big", "kind", "document", "content", limit + "a")),
                "content");
        // two bytes a character in UTF-8: fewer characters, still too many bytes
        assertField(api.post(base, owner, Api.object("name", "big", "kind", "document",
                "content", "é".repeat(5 * 1024 * 1024 + 1))), "content");
    }

    @Test
    void linksMustPointIntoTheSameProject() {
        UUID conversation = conversation(project, owner);
        UUID message = message(conversation, project, owner);
        JsonNode linked = api.post(base, owner, Api.object("name", "a", "kind", "code", "content", "x",
                "message_id", message.toString())).json();
        assertThat(linked.get("message_id").asString()).isEqualTo(message.toString());
        assertThat(linked.get("conversation_id").asString()).isEqualTo(conversation.toString());
        assertThat(api.get(base + "?conversation_id=" + conversation, owner).json().get("data")).hasSize(1);

        String other = api.post("/api/v1/projects", owner, Api.object("name", "other")).json().get("id").asString();
        UUID foreign = conversation(other, owner);
        assertField(api.post(base, owner, Api.object("name", "a", "kind", "code", "content", "x",
                "conversation_id", foreign.toString())), "conversation_id");
        assertField(api.post(base, owner, Api.object("name", "a", "kind", "code", "content", "x",
                "message_id", message(foreign, other, owner).toString())), "message_id");
        assertField(api.post(base, owner, Api.object("name", "a", "kind", "code", "content", "x",
                "conversation_id", conversation(project, owner).toString(), "message_id", message.toString())),
                "message_id");
        assertField(api.post(base, owner, Api.object("name", "a", "kind", "code", "content", "x",
                "conversation_id", UUID.randomUUID().toString())), "conversation_id");
    }

    @Test
    void viewersReadEditorsWriteStrangersSeeNothing() {
        Session editor = member("editor");
        Session viewer = member("viewer");
        Session stranger = api.newUser("stranger");
        Api.Response byEditor = api.post(base, editor, Api.object("name", "e", "kind", "code", "content", "x"));
        assertThat(byEditor.status()).isEqualTo(201);
        String id = byEditor.json().get("id").asString();
        assertThat(api.post(base, viewer, Api.object("name", "v", "kind", "code", "content", "x")).code())
                .isEqualTo("forbidden");
        assertThat(api.post(base, stranger, Api.object("name", "s", "kind", "code", "content", "x")).code())
                .isEqualTo("not_found");
        for (Session reader : List.of(owner, editor, viewer, admin)) {
            assertThat(api.get(base + "/" + id, reader).status()).isEqualTo(200);
            assertThat(api.get(base, reader).status()).isEqualTo(200);
            assertThat(api.get(base + "/" + id + "/versions", reader).status()).isEqualTo(200);
            assertThat(api.get(base + "/" + id + "/versions/1", reader).status()).isEqualTo(200);
        }
        for (String path : List.of(base, base + "/" + id, base + "/" + id + "/versions", base + "/" + id + "/versions/1")) {
            assertThat(api.get(path, stranger).code()).isEqualTo("not_found");
        }
        assertThat(api.patch(base + "/" + id, viewer, Api.object("content", "y")).code()).isEqualTo("forbidden");
        assertThat(api.delete(base + "/" + id, viewer).code()).isEqualTo("forbidden");
        assertThat(api.patch(base + "/" + id, stranger, Api.object("content", "y")).code()).isEqualTo("not_found");
        assertThat(api.patch(base + "/" + id, editor, Api.object("content", "y")).json().get("version").asInt())
                .isEqualTo(2);
        assertThat(api.delete(base + "/" + id, editor).status()).isEqualTo(204);
        assertThat(api.get(base + "/" + id, owner).code()).isEqualTo("not_found");
        assertThat(api.get(base + "/" + id + "/versions", owner).code()).isEqualTo("not_found");
        assertThat(api.delete(base + "/" + id, owner).code()).isEqualTo("not_found");
    }

    @Test
    void anArtifactOfAnotherProjectIsNotFoundUnderThisOne() {
        String id = api.post(base, owner, Api.object("name", "a", "kind", "code", "content", "x")).json()
                .get("id").asString();
        String other = api.post("/api/v1/projects", owner, Api.object("name", "other")).json().get("id").asString();
        assertThat(api.get("/api/v1/projects/" + other + "/artifacts/" + id, owner).code()).isEqualTo("not_found");
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        assertField(api.post(base, owner, Api.object("kind", "code", "content", "x")), "name");
        assertField(api.post(base, owner, Api.object("name", " ", "kind", "code", "content", "x")), "name");
        assertField(api.post(base, owner, Api.object("name", "x".repeat(201), "kind", "code", "content", "x")), "name");
        assertField(api.post(base, owner, Api.object("name", "a", "content", "x")), "kind");
        assertField(api.post(base, owner, Api.object("name", "a", "kind", "code")), "content");
        assertField(api.post(base, owner, Api.object("name", "a", "kind", "code", "content", "x",
                "metadata", List.of(1))), "metadata");
        assertField(api.post(base, owner, Api.object("name", "a", "kind", "code", "content", "x",
                "media_type", "not a type")), "media_type");
        Api.Response kind = api.post(base, owner, Api.object("name", "a", "kind", "spreadsheet", "content", "x"));
        assertThat(kind.status()).isEqualTo(400);
        assertThat(kind.json().get("errors").get(0).get("field").asString()).isEqualTo("kind");
        assertThat(api.post(base, owner, Api.object("name", "a", "kind", "code", "content", "x", "extra", 1))
                .status()).isEqualTo(400);
        assertThat(api.post(base, owner, "{not json").code()).isEqualTo("malformed_json");
        assertThat(api.get(base + "/nope", owner).status()).isEqualTo(400);
        assertThat(api.get(base + "?after=zzz", owner).code()).isEqualTo("invalid_cursor");
        assertThat(api.get(base + "?kind=bogus", owner).status()).isEqualTo(400);
        String id = api.post(base, owner, Api.object("name", "a", "kind", "code", "content", "x")).json()
                .get("id").asString();
        assertField(api.patch(base + "/" + id, owner, Api.object("name", "")), "name");
        assertThat(api.get(base + "/" + id + "/versions/abc", owner).status()).isEqualTo(400);
    }

    static void assertField(Api.Response response, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(422);
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
    }

    @OnSqlite
    static class OnSqliteTest extends ArtifactApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends ArtifactApiTests {
    }
}
