package dev.parley.file;

import static dev.parley.db.Tables.CONVERSATIONS;
import static org.assertj.core.api.Assertions.assertThat;

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

abstract class DocumentApiTests extends ApiTest {

    @Autowired
    DSLContext dsl;

    Uploads uploads;
    Session owner;
    String project;

    @BeforeEach
    void setUp() {
        uploads = new Uploads(port);
        owner = api.newUser("docs");
        project = api.post("/api/v1/projects", owner, Api.object("name", "Docs")).json().get("id").asString();
    }

    /** Conversations are another module's; the rows are made directly. */
    UUID conversation(String projectId, Session user) {
        UUID id = Ids.newId();
        dsl.insertInto(CONVERSATIONS).set(CONVERSATIONS.ID, id)
                .set(CONVERSATIONS.PROJECT_ID, projectId == null ? null : UUID.fromString(projectId))
                .set(CONVERSATIONS.USER_ID, user.userId()).set(CONVERSATIONS.TITLE, "chat")
                .set(CONVERSATIONS.CREATED_AT, Ids.now()).set(CONVERSATIONS.UPDATED_AT, Ids.now()).execute();
        return id;
    }

    String libraryFile(Session user, String name) {
        return uploads.upload("/api/v1/files", user, Uploads.form().file(name, "text/plain", name.getBytes()))
                .json().get("id").asString();
    }

    String projectFile(String name) {
        return uploads.upload("/api/v1/projects/" + project + "/files", owner, Uploads.form()
                .field("purpose", "knowledge").file(name, "text/plain", name.getBytes())).json().get("id").asString();
    }

    Session member(String role) {
        Session session = api.newUser(role);
        api.put("/api/v1/projects/" + project + "/members/" + session.userId(), owner, Api.object("role", role));
        return session;
    }

    @Test
    void filesAreAttachedListedAndDetached() {
        UUID chat = conversation(null, owner);
        String first = libraryFile(owner, "a.txt");
        String second = libraryFile(owner, "b.txt");
        String base = "/api/v1/conversations/" + chat + "/documents/";

        Api.Response attached = api.put(base + first, owner, null);
        assertThat(attached.status()).as(attached.toString()).isEqualTo(201);
        assertThat(attached.header("Location")).isEqualTo(base + first);
        assertThat(attached.json()).isEqualTo(api.get("/api/v1/files/" + first, owner).json());
        assertThat(api.put(base + first, owner, null).status()).isEqualTo(200);
        assertThat(api.put(base + second, owner, null).status()).isEqualTo(201);

        List<String> names = new ArrayList<>();
        api.get("/api/v1/conversations/" + chat + "/documents?limit=1", owner).json().get("data")
                .forEach(f -> names.add(f.get("filename").asString()));
        var page = api.get("/api/v1/conversations/" + chat + "/documents?limit=1", owner).json();
        api.get("/api/v1/conversations/" + chat + "/documents?limit=1&after=" + page.get("next_cursor").asString(),
                owner).json().get("data").forEach(f -> names.add(f.get("filename").asString()));
        assertThat(names).containsExactly("a.txt", "b.txt");
        assertThat(api.get(base + second, owner).json().get("filename").asString()).isEqualTo("b.txt");

        assertThat(api.delete(base + first, owner).status()).isEqualTo(204);
        assertThat(api.get(base + first, owner).code()).isEqualTo("not_found");
        assertThat(api.delete(base + first, owner).code()).isEqualTo("not_found");
        assertThat(api.get("/api/v1/files/" + first, owner).status()).isEqualTo(200);

        // deleting the file detaches it
        assertThat(api.delete("/api/v1/files/" + second, owner).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/conversations/" + chat + "/documents", owner).json().get("data")).isEmpty();
    }

    @Test
    void membersOfTheConversationsProjectReadItsDocumentsAndEditorsChangeThem() {
        UUID chat = conversation(project, owner);
        Session editor = member("editor");
        Session viewer = member("viewer");
        Session stranger = api.newUser("stranger");
        String base = "/api/v1/conversations/" + chat + "/documents/";
        String mine = libraryFile(owner, "mine.txt");
        String shared = projectFile("spec.txt");

        assertThat(api.put(base + mine, owner, null).status()).isEqualTo(201);
        assertThat(api.put(base + shared, editor, null).status()).isEqualTo(201);
        assertThat(api.put(base + shared, viewer, null).code()).isEqualTo("forbidden");
        assertThat(api.put(base + shared, stranger, null).code()).isEqualTo("not_found");
        // a file the caller cannot see cannot be attached
        assertThat(api.put(base + libraryFile(stranger, "theirs.txt"), owner, null).code()).isEqualTo("not_found");
        assertThat(api.put(base + libraryFile(editor, "editors.txt"), editor, null).status()).isEqualTo(201);

        for (Session reader : List.of(owner, editor, viewer)) {
            assertThat(api.get("/api/v1/conversations/" + chat + "/documents", reader).json().get("data")).hasSize(3);
            // a library file attached to a conversation the reader sees is readable through it
            assertThat(uploads.download("/api/v1/files/" + mine + "/content", reader, Map.of()).status())
                    .isEqualTo(200);
        }
        assertThat(api.get("/api/v1/conversations/" + chat + "/documents", stranger).code()).isEqualTo("not_found");
        assertThat(api.get(base + mine, stranger).code()).isEqualTo("not_found");
        assertThat(api.get("/api/v1/files/" + mine, stranger).code()).isEqualTo("not_found");
        assertThat(api.delete("/api/v1/files/" + mine, viewer).code()).isEqualTo("forbidden");
        assertThat(api.delete(base + mine, viewer).code()).isEqualTo("forbidden");
        assertThat(api.delete(base + mine, editor).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/files/" + mine, viewer).code()).isEqualTo("not_found");
    }

    @Test
    void aConversationLeavingItsProjectLeavesTheProjectsFilesBehind() {
        UUID chat = conversation(project, owner);
        String projects = projectFile("plan.txt");
        String own = libraryFile(owner, "mine.txt");
        String base = "/api/v1/conversations/" + chat + "/documents/";
        assertThat(api.put(base + projects, owner, null).status()).isEqualTo(201);
        assertThat(api.put(base + own, owner, null).status()).isEqualTo(201);

        assertThat(api.patch("/api/v1/conversations/" + chat, owner, Api.object("project_id", null)).status())
                .isEqualTo(200);
        List<String> names = new ArrayList<>();
        api.get("/api/v1/conversations/" + chat + "/documents", owner).json().get("data")
                .forEach(f -> names.add(f.get("filename").asString()));
        assertThat(names).containsExactly("mine.txt");
    }

    @Test
    void aPrivateOrDeletedConversationIsNotFound() {
        Session other = api.newUser("other");
        UUID theirs = conversation(null, other);
        String file = libraryFile(owner, "x.txt");
        assertThat(api.put("/api/v1/conversations/" + theirs + "/documents/" + file, owner, null).code())
                .isEqualTo("not_found");
        assertThat(api.get("/api/v1/conversations/" + theirs + "/documents", owner).code()).isEqualTo("not_found");

        UUID deleted = conversation(null, owner);
        dsl.update(CONVERSATIONS).set(CONVERSATIONS.DELETED_AT, Ids.now()).where(CONVERSATIONS.ID.eq(deleted)).execute();
        assertThat(api.get("/api/v1/conversations/" + deleted + "/documents", owner).code()).isEqualTo("not_found");
        assertThat(api.put("/api/v1/conversations/" + deleted + "/documents/" + file, owner, null).code())
                .isEqualTo("not_found");
    }

    @Test
    void badIdsAreRefused() {
        UUID chat = conversation(null, owner);
        assertThat(api.put("/api/v1/conversations/" + chat + "/documents/nope", owner, null).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/conversations/nope/documents", owner).status()).isEqualTo(400);
        assertThat(api.put("/api/v1/conversations/" + chat + "/documents/" + UUID.randomUUID(), owner, null).code())
                .isEqualTo("not_found");
        assertThat(api.get("/api/v1/conversations/" + chat + "/documents?after=zzz", owner).code())
                .isEqualTo("invalid_cursor");
    }

    @OnSqlite
    static class OnSqliteTest extends DocumentApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends DocumentApiTests {
    }
}
