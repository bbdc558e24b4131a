package dev.parley.task;

import static dev.parley.db.Tables.CONVERSATIONS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import dev.parley.web.Ids;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

abstract class TaskApiTests extends ApiTest {

    private static final String TASKS = "/api/v1/tasks";

    /** Only to make conversation rows while the conversation routes are not on this branch. */
    @Autowired
    DSLContext dsl;

    // ---- creating, reading, changing, deleting

    @Test
    void aCreatedTaskComesBackWholeWithItsLocation() {
        Session alice = api.newUser("alice");
        Response created = api.post(TASKS, alice, Api.object("title", "Buy groceries", "description", "milk, eggs"));
        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        String id = body.get("id").asString();
        assertThat(created.header("Location")).isEqualTo(TASKS + "/" + id);
        ObjectNode expected = Api.object("id", id, "user_id", alice.userId().toString(), "project_id", null,
                "conversation_id", null, "title", "Buy groceries", "description", "milk, eggs", "completed", false,
                "created_at", body.get("created_at").asString(), "updated_at", body.get("created_at").asString());
        assertThat(body).isEqualTo(expected);
        assertThat(Instant.parse(body.get("created_at").asString())).isCloseTo(Instant.now(),
                org.assertj.core.api.Assertions.within(5, java.time.temporal.ChronoUnit.MINUTES));

        Response fetched = api.get(TASKS + "/" + id, alice);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json()).isEqualTo(expected);
    }

    @Test
    void nullClearsADescriptionAndLeavingItOutKeepsIt() {
        Session alice = api.newUser("alice");
        String id = api.post(TASKS, alice, Api.object("title", "Buy groceries", "description", "milk"))
                .json().get("id").asString();
        assertThat(api.patch(TASKS + "/" + id, alice, Api.object("completed", true)).json().get("description")
                .asString()).isEqualTo("milk");
        JsonNode cleared = api.patch(TASKS + "/" + id, alice, Api.object("description", null)).json();
        assertThat(cleared.get("description").isNull()).isTrue();
        assertThat(api.get(TASKS + "/" + id, alice).json().get("description").isNull()).isTrue();
    }

    @Test
    void aTaskNeedsOnlyATitleAndMayStartCompleted() {
        Session alice = api.newUser("alice");
        JsonNode minimal = api.post(TASKS, alice, Api.object("title", "  Call mom  ")).json();
        assertThat(minimal.get("title").asString()).isEqualTo("Call mom");
        assertThat(minimal.get("description").isNull()).isTrue();
        assertThat(minimal.get("completed").asBoolean()).isFalse();

        JsonNode done = api.post(TASKS, alice, Api.object("title", "Already done", "completed", true)).json();
        assertThat(done.get("completed").asBoolean()).isTrue();
    }

    @Test
    void patchChangesOnlyTheFieldsItNames() {
        Session alice = api.newUser("alice");
        JsonNode task = api.post(TASKS, alice, Api.object("title", "Write report", "description", "Q3")).json();
        String path = TASKS + "/" + task.get("id").asString();

        Response completed = api.patch(path, alice, Api.object("completed", true));
        assertThat(completed.status()).isEqualTo(200);
        JsonNode body = completed.json();
        assertThat(body.get("completed").asBoolean()).isTrue();
        assertThat(body.get("title").asString()).isEqualTo("Write report");
        assertThat(body.get("description").asString()).isEqualTo("Q3");
        assertThat(body.get("created_at")).isEqualTo(task.get("created_at"));
        assertThat(Instant.parse(body.get("updated_at").asString()))
                .isAfterOrEqualTo(Instant.parse(task.get("updated_at").asString()));

        JsonNode renamed = api.patch(path, alice, Api.object("title", "Write Q3 report", "description", "",
                "completed", false)).json();
        assertThat(renamed.get("title").asString()).isEqualTo("Write Q3 report");
        assertThat(renamed.get("description").asString()).isEmpty();
        assertThat(renamed.get("completed").asBoolean()).isFalse();

        // a title cannot be cleared: null for it is refused and nothing changes
        assertThat(api.patch(path, alice, Api.object("title", null, "completed", true)).status()).isEqualTo(422);
        assertThat(api.get(path, alice).json()).isEqualTo(renamed);
    }

    @Test
    void aDeletedTaskIsGone() {
        Session alice = api.newUser("alice");
        String path = TASKS + "/" + api.post(TASKS, alice, Api.object("title", "Temporary")).json().get("id").asString();
        Response deleted = api.delete(path, alice);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.text()).isEmpty();
        assertThat(api.get(path, alice).code()).isEqualTo("not_found");
        assertThat(api.delete(path, alice).status()).isEqualTo(404);
        assertThat(api.patch(path, alice, Api.object("completed", true)).status()).isEqualTo(404);
    }

    @Test
    void anotherUsersPersonalTaskDoesNotExistForStrangersOrAdmins() {
        Session alice = api.newUser("alice");
        Session stranger = api.newUser("stranger");
        String id = api.post(TASKS, alice, Api.object("title", "Private")).json().get("id").asString();
        String path = TASKS + "/" + id;
        for (Session other : List.of(stranger, admin)) {
            assertThat(api.get(path, other).code()).isEqualTo("not_found");
            assertThat(api.patch(path, other, Api.object("completed", true)).code()).isEqualTo("not_found");
            assertThat(api.delete(path, other).code()).isEqualTo("not_found");
            assertThat(ids(api.get(TASKS, other))).doesNotContain(id);
        }
        assertThat(api.get(path, alice).json().get("completed").asBoolean()).isFalse();
    }

    @Test
    void anUnknownTaskIsNotFound() {
        Session alice = api.newUser("alice");
        Response missing = api.get(TASKS + "/" + UUID.randomUUID(), alice);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
        assertThat(missing.code()).isEqualTo("not_found");
    }

    // ---- lists

    @Test
    void theListPagesThroughOwnTasksNewestFirst() {
        Session alice = api.newUser("alice");
        Session bob = api.newUser("bob");
        api.post(TASKS, bob, Api.object("title", "Bob's"));
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(api.post(TASKS, alice, Api.object("title", "Task " + i)).json().get("id").asString());
        }
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            Response page = api.get(TASKS + "?limit=2" + (after == null ? "" : "&after=" + after), alice);
            assertThat(page.status()).isEqualTo(200);
            JsonNode body = page.json();
            seen.addAll(ids(page));
            boolean more = body.get("has_more").asBoolean();
            after = more ? body.get("next_cursor").asString() : null;
            if (!more) {
                assertThat(body.get("next_cursor").isNull()).isTrue();
            }
            pages++;
        } while (after != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(made.reversed());
    }

    @Test
    void aNewTaskDoesNotShiftTheNextPage() {
        Session alice = api.newUser("alice");
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            made.add(api.post(TASKS, alice, Api.object("title", "Task " + i)).json().get("id").asString());
        }
        JsonNode first = api.get(TASKS + "?limit=2", alice).json();
        api.post(TASKS, alice, Api.object("title", "Meanwhile"));
        Response second = api.get(TASKS + "?limit=2&after=" + first.get("next_cursor").asString(), alice);
        assertThat(ids(second)).containsExactly(made.getFirst());
        assertThat(second.json().get("has_more").asBoolean()).isFalse();
    }

    @Test
    void theListFiltersByCompleted() {
        Session alice = api.newUser("alice");
        String open = api.post(TASKS, alice, Api.object("title", "Open")).json().get("id").asString();
        String done = api.post(TASKS, alice, Api.object("title", "Done", "completed", true)).json().get("id").asString();
        assertThat(ids(api.get(TASKS + "?completed=true", alice))).containsExactly(done);
        assertThat(ids(api.get(TASKS + "?completed=false", alice))).containsExactly(open);
        assertThat(ids(api.get(TASKS, alice))).containsExactly(done, open);
    }

    // ---- projects

    @Test
    void projectRolesDecideWhoReadsAndWhoWritesAProjectsTasks() {
        Team team = team();
        Response created = api.post(TASKS, team.editor, Api.object("title", "Draft spec", "project_id", team.project));
        assertThat(created.status()).isEqualTo(201);
        JsonNode task = created.json();
        assertThat(task.get("project_id").asString()).isEqualTo(team.project);
        assertThat(task.get("user_id").asString()).isEqualTo(team.editor.userId().toString());
        String path = TASKS + "/" + task.get("id").asString();

        // viewers read
        assertThat(api.get(path, team.viewer).json()).isEqualTo(task);
        // but do not write
        Response viewerPatch = api.patch(path, team.viewer, Api.object("completed", true));
        assertThat(viewerPatch.status()).isEqualTo(403);
        assertThat(viewerPatch.code()).isEqualTo("forbidden");
        assertThat(api.delete(path, team.viewer).status()).isEqualTo(403);
        Response viewerCreate = api.post(TASKS, team.viewer, Api.object("title", "Mine", "project_id", team.project));
        assertThat(viewerCreate.status()).isEqualTo(403);

        // the owner edits anyone's task in the project
        assertThat(api.patch(path, team.owner, Api.object("completed", true)).json().get("completed").asBoolean())
                .isTrue();
        // strangers see nothing
        assertThat(api.get(path, team.stranger).code()).isEqualTo("not_found");
        assertThat(api.patch(path, team.stranger, Api.object("completed", false)).code()).isEqualTo("not_found");
        assertThat(api.delete(path, team.stranger).code()).isEqualTo("not_found");
        assertThat(api.post(TASKS, team.stranger, Api.object("title", "Sneak", "project_id", team.project)).code())
                .isEqualTo("not_found");
        // the editor deletes it
        assertThat(api.delete(path, team.editor).status()).isEqualTo(204);
    }

    @Test
    void theProjectListShowsEveryMembersTasksToMembersOnly() {
        Team team = team();
        String byOwner = api.post(TASKS, team.owner, Api.object("title", "A", "project_id", team.project))
                .json().get("id").asString();
        String byEditor = api.post(TASKS, team.editor, Api.object("title", "B", "project_id", team.project,
                "completed", true)).json().get("id").asString();
        String personal = api.post(TASKS, team.owner, Api.object("title", "Personal")).json().get("id").asString();

        String list = TASKS + "?project_id=" + team.project;
        assertThat(ids(api.get(list, team.viewer))).containsExactly(byEditor, byOwner);
        assertThat(ids(api.get(list, team.owner))).containsExactly(byEditor, byOwner);
        assertThat(ids(api.get(list, admin))).containsExactly(byEditor, byOwner);
        assertThat(ids(api.get(list + "&completed=false", team.viewer))).containsExactly(byOwner);
        assertThat(api.get(list, team.stranger).code()).isEqualTo("not_found");

        // without project_id: the caller's own tasks, wherever they are
        assertThat(ids(api.get(TASKS, team.owner))).containsExactly(personal, byOwner);
        assertThat(ids(api.get(TASKS, team.viewer))).isEmpty();
    }

    @Test
    void anAdminReadsAndWritesProjectTasksWithoutBeingAMember() {
        Team team = team();
        String path = TASKS + "/" + api.post(TASKS, team.editor, Api.object("title", "Ship", "project_id", team.project))
                .json().get("id").asString();
        assertThat(api.get(path, admin).status()).isEqualTo(200);
        assertThat(api.patch(path, admin, Api.object("title", "Shipped")).json().get("title").asString())
                .isEqualTo("Shipped");
        Response adminCreated = api.post(TASKS, admin, Api.object("title", "Audit", "project_id", team.project));
        assertThat(adminCreated.status()).isEqualTo(201);
        assertThat(api.delete(path, admin).status()).isEqualTo(204);
    }

    @Test
    void aMemberWhoLeavesNoLongerSeesTheProjectsTasks() {
        Team team = team();
        String id = api.post(TASKS, team.editor, Api.object("title", "Left behind", "project_id", team.project))
                .json().get("id").asString();
        assertThat(ids(api.get(TASKS, team.editor))).containsExactly(id);
        assertThat(api.delete("/api/v1/projects/" + team.project + "/members/" + team.editor.userId(), team.owner)
                .status()).isEqualTo(204);
        assertThat(api.get(TASKS + "/" + id, team.editor).code()).isEqualTo("not_found");
        assertThat(ids(api.get(TASKS, team.editor))).isEmpty();
        assertThat(api.get(TASKS + "/" + id, team.owner).status()).isEqualTo(200);
    }

    @Test
    void theProjectSummaryCountsItsTasks() {
        Team team = team();
        api.post(TASKS, team.owner, Api.object("title", "One", "project_id", team.project));
        api.post(TASKS, team.editor, Api.object("title", "Two", "project_id", team.project));
        api.post(TASKS, team.owner, Api.object("title", "Not in the project"));
        JsonNode summary = api.get("/api/v1/projects/" + team.project + "/summary", team.viewer).json();
        assertThat(summary.get("counts").get("tasks").asLong()).isEqualTo(2);
    }

    @Test
    void deletingTheProjectDeletesItsTasks() {
        Team team = team();
        String path = TASKS + "/" + api.post(TASKS, team.editor, Api.object("title", "Doomed", "project_id",
                team.project)).json().get("id").asString();
        assertThat(api.delete("/api/v1/projects/" + team.project, team.owner).status()).isEqualTo(204);
        assertThat(api.get(path, team.editor).code()).isEqualTo("not_found");
    }

    // ---- conversations

    @Test
    void aTaskCanPointAtTheCallersOwnConversationAndBeFilteredByIt() {
        Session alice = api.newUser("alice");
        UUID conversation = conversation(alice, null, null);
        Response created = api.post(TASKS, alice, Api.object("title", "From chat", "conversation_id", conversation));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("conversation_id").asString()).isEqualTo(conversation.toString());
        assertThat(created.json().get("project_id").isNull()).isTrue();
        String other = api.post(TASKS, alice, Api.object("title", "Elsewhere")).json().get("id").asString();

        assertThat(ids(api.get(TASKS + "?conversation_id=" + conversation, alice)))
                .containsExactly(created.json().get("id").asString());
        assertThat(ids(api.get(TASKS, alice))).contains(other);
    }

    @Test
    void aTaskFromAProjectConversationGoesIntoThatProject() {
        Team team = team();
        UUID conversation = conversation(team.owner, UUID.fromString(team.project), null);
        JsonNode task = api.post(TASKS, team.editor, Api.object("title", "Follow up", "conversation_id", conversation))
                .json();
        assertThat(task.get("project_id").asString()).isEqualTo(team.project);
        assertThat(task.get("conversation_id").asString()).isEqualTo(conversation.toString());

        Response matching = api.post(TASKS, team.editor, Api.object("title", "Explicit", "project_id", team.project,
                "conversation_id", conversation));
        assertThat(matching.status()).isEqualTo(201);
        assertThat(ids(api.get(TASKS + "?project_id=" + team.project + "&conversation_id=" + conversation,
                team.viewer))).containsExactly(matching.json().get("id").asString(), task.get("id").asString());

        // a viewer sees the conversation but may not add to the project
        assertThat(api.post(TASKS, team.viewer, Api.object("title", "No", "conversation_id", conversation)).status())
                .isEqualTo(403);
    }

    @Test
    void aConversationTheCallerCannotSeeIsRefused() {
        Team team = team();
        UUID strangers = conversation(team.stranger, null, null);
        UUID deleted = conversation(team.owner, null, Instant.now().minusSeconds(60));
        UUID inProject = conversation(team.owner, UUID.fromString(team.project), null);
        for (UUID conversation : List.of(strangers, deleted, UUID.randomUUID())) {
            Response refused = api.post(TASKS, team.owner, Api.object("title", "X", "conversation_id", conversation));
            assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
            assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("conversation_id");
        }
        Response outsider = api.post(TASKS, team.stranger, Api.object("title", "X", "conversation_id", inProject));
        assertThat(outsider.status()).isEqualTo(422);
        // an admin is no member of a stranger's personal conversation
        assertThat(api.post(TASKS, admin, Api.object("title", "X", "conversation_id", strangers)).status())
                .isEqualTo(422);
    }

    @Test
    void aTaskAndItsConversationMustBeInTheSameProject() {
        Team team = team();
        UUID personal = conversation(team.owner, null, null);
        UUID inProject = conversation(team.owner, UUID.fromString(team.project), null);
        String otherProject = api.post("/api/v1/projects", team.owner, Api.object("name", "Other")).json()
                .get("id").asString();

        Response personalInProject = api.post(TASKS, team.owner, Api.object("title", "X", "project_id", team.project,
                "conversation_id", personal));
        assertThat(personalInProject.status()).isEqualTo(422);
        assertThat(personalInProject.json().get("errors").get(0).get("field").asString()).isEqualTo("conversation_id");
        Response elsewhere = api.post(TASKS, team.owner, Api.object("title", "X", "project_id", otherProject,
                "conversation_id", inProject));
        assertThat(elsewhere.status()).isEqualTo(422);
    }

    // ---- authentication and bad input

    @Test
    void everyRouteNeedsAnAccessToken() {
        Session alice = api.newUser("alice");
        String path = TASKS + "/" + api.post(TASKS, alice, Api.object("title", "Mine")).json().get("id").asString();
        List<Response> anonymous = List.of(api.get(TASKS, null), api.post(TASKS, null, Api.object("title", "X")),
                api.get(path, null), api.patch(path, null, Api.object("completed", true)), api.delete(path, null));
        for (Response response : anonymous) {
            assertThat(response.status()).as(response.toString()).isEqualTo(401);
        }
        assertThat(api.get(path, alice).json().get("completed").asBoolean()).isFalse();
    }

    @Test
    void aTitleIsOneToTwoHundredCharactersAndADescriptionAtMostAThousand() {
        Session alice = api.newUser("alice");
        assertThat(api.post(TASKS, alice, Api.object("title", "t".repeat(200), "description", "d".repeat(1000)))
                .status()).isEqualTo(201);
        assertInvalid(api.post(TASKS, alice, Api.object("title", "t".repeat(201))), 422, "title");
        assertInvalid(api.post(TASKS, alice, Api.object("title", "")), 422, "title");
        assertInvalid(api.post(TASKS, alice, Api.object("title", "   ")), 422, "title");
        assertInvalid(api.post(TASKS, alice, Api.object("description", "no title")), 422, "title");
        assertInvalid(api.post(TASKS, alice, Api.object("title", "ok", "description", "d".repeat(1001))), 422,
                "description");

        String path = TASKS + "/" + api.post(TASKS, alice, Api.object("title", "Keep")).json().get("id").asString();
        assertInvalid(api.patch(path, alice, Api.object("title", "")), 422, "title");
        assertInvalid(api.patch(path, alice, Api.object("title", "  ")), 422, "title");
        assertInvalid(api.patch(path, alice, Api.object("title", "t".repeat(201))), 422, "title");
        assertInvalid(api.patch(path, alice, Api.object("description", "d".repeat(1001))), 422, "description");
        assertThat(api.get(path, alice).json().get("title").asString()).isEqualTo("Keep");
    }

    @Test
    void malformedBodiesAreRefusedNamingTheField() {
        Session alice = api.newUser("alice");
        assertInvalid(api.post(TASKS, alice, Api.object("title", "X", "priority", "high")), 400, "priority");
        assertInvalid(api.post(TASKS, alice, Api.object("title", "X", "user_id", UUID.randomUUID())), 400, "user_id");
        assertInvalid(api.post(TASKS, alice, Api.object("title", "X", "completed", "yes")), 400, "completed");
        assertInvalid(api.post(TASKS, alice, Api.object("title", List.of("X"))), 400, "title");
        assertInvalid(api.post(TASKS, alice, Api.object("title", 42)), 400, "title");
        assertInvalid(api.post(TASKS, alice, Api.object("title", "X", "project_id", "not-a-uuid")), 400, "project_id");
        assertInvalid(api.post(TASKS, alice, Api.object("title", "X", "conversation_id", 7)), 400, "conversation_id");
        assertThat(api.post(TASKS, alice, "{\"title\": ").code()).isEqualTo("malformed_json");
        assertThat(api.post(TASKS, alice, "[]").status()).isEqualTo(400);

        String path = TASKS + "/" + api.post(TASKS, alice, Api.object("title", "Keep")).json().get("id").asString();
        // the links are set when the task is made
        assertInvalid(api.patch(path, alice, Api.object("project_id", UUID.randomUUID())), 400, "project_id");
        assertInvalid(api.patch(path, alice, Api.object("completed", 1)), 400, "completed");
    }

    @Test
    void badIdsAndParametersAreClientErrors() {
        Session alice = api.newUser("alice");
        assertInvalid(api.get(TASKS + "/not-a-uuid", alice), 400, "id");
        assertInvalid(api.patch(TASKS + "/not-a-uuid", alice, Api.object("completed", true)), 400, "id");
        assertInvalid(api.delete(TASKS + "/not-a-uuid", alice), 400, "id");
        assertInvalid(api.get(TASKS + "?project_id=nope", alice), 400, "project_id");
        assertInvalid(api.get(TASKS + "?conversation_id=nope", alice), 400, "conversation_id");
        assertInvalid(api.get(TASKS + "?completed=maybe", alice), 400, "completed");
        assertInvalid(api.get(TASKS + "?limit=0", alice), 400, "limit");
        assertInvalid(api.get(TASKS + "?limit=101", alice), 400, "limit");
        assertInvalid(api.get(TASKS + "?after=garbage", alice), 400, "after");
        assertThat(api.get(TASKS + "?project_id=" + UUID.randomUUID(), alice).code()).isEqualTo("not_found");
        assertThat(api.post(TASKS, alice, Api.object("title", "X", "project_id", UUID.randomUUID())).code())
                .isEqualTo("not_found");
    }

    // ---- helpers

    private record Team(String project, Session owner, Session editor, Session viewer, Session stranger) {
    }

    /** A project with an owner, an editor and a viewer, and a stranger outside it. */
    private Team team() {
        Session owner = api.newUser("owner");
        Session editor = api.newUser("editor");
        Session viewer = api.newUser("viewer");
        Session stranger = api.newUser("stranger");
        String project = api.post("/api/v1/projects", owner, Api.object("name", "Team")).json().get("id").asString();
        for (var member : List.of(new Object[] {editor, "editor"}, new Object[] {viewer, "viewer"})) {
            Response added = api.put("/api/v1/projects/" + project + "/members/" + ((Session) member[0]).userId(),
                    owner, Api.object("role", member[1]));
            assertThat(added.status()).as(added.toString()).isEqualTo(201);
        }
        return new Team(project, owner, editor, viewer, stranger);
    }

    /** A conversation row, written directly: the conversation routes live on another branch. */
    private UUID conversation(Session user, UUID projectId, Instant deletedAt) {
        UUID id = Ids.newId();
        Instant now = Ids.now();
        dsl.insertInto(CONVERSATIONS)
                .set(CONVERSATIONS.ID, id)
                .set(CONVERSATIONS.USER_ID, user.userId())
                .set(CONVERSATIONS.PROJECT_ID, projectId)
                .set(CONVERSATIONS.TITLE, "New Chat")
                .set(CONVERSATIONS.DELETED_AT, deletedAt)
                .set(CONVERSATIONS.CREATED_AT, now)
                .set(CONVERSATIONS.UPDATED_AT, now)
                .execute();
        return id;
    }

    private static List<String> ids(Response list) {
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        list.json().get("data").forEach(task -> ids.add(task.get("id").asString()));
        return ids;
    }

    private static void assertInvalid(Response response, int status, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        response.json().path("errors").forEach(error -> fields.add(error.get("field").asString()));
        assertThat(fields).as(response.toString()).contains(field);
    }

    @OnSqlite
    static class OnSqliteTest extends TaskApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends TaskApiTests {
    }
}
