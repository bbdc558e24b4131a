package dev.parley.conversation;

import static dev.parley.support.Api.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

abstract class ConversationApiTests extends ApiTest {

    private String project(Session owner) {
        Response created = api.post("/api/v1/projects", owner, object("name", "chat project"));
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private void member(Session owner, String projectId, Session user, String role) {
        assertThat(api.put("/api/v1/projects/" + projectId + "/members/" + user.userId(), owner, object("role", role))
                .status()).isIn(200, 201);
    }

    private String conversation(Session user, Object body) {
        Response created = api.post("/api/v1/conversations", user, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    @Test
    void aNewConversationHasTheDefaultTitleAndTheWholeShape() {
        Session user = api.newUser("conv");
        Response created = api.post("/api/v1/conversations", user, object());
        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        String id = body.get("id").asString();
        assertThat(created.header("Location")).isEqualTo("/api/v1/conversations/" + id);
        assertThat(body.get("title").asString()).isEqualTo("New Chat");
        assertThat(body.get("project_id").isNull()).isTrue();
        assertThat(body.get("user_id").asString()).isEqualTo(user.userId().toString());
        assertThat(body.get("message_count").asInt()).isZero();
        assertThat(body.get("metadata").isObject()).isTrue();
        List<String> names = new ArrayList<>();
        body.propertyNames().forEach(names::add);
        assertThat(names).containsExactly("id", "project_id", "user_id", "title", "model_id", "use_knowledge_base",
                "message_count", "last_message_at", "current_leaf_id", "deleted_at", "metadata", "created_at",
                "updated_at");
        assertThat(api.get("/api/v1/conversations/" + id, user).json()).isEqualTo(body);
    }

    @Test
    void nullClearsAFieldAndTakesAConversationOutOfItsProject() {
        Session owner = api.newUser("conv");
        Session editor = api.newUser("conv");
        String projectId = project(owner);
        member(owner, projectId, editor, "editor");
        String id = conversation(editor, object("project_id", projectId, "model_id", "gpt-4o"));
        assertThat(api.post("/api/v1/conversations/" + id + "/messages", editor, object("role", "user", "content", "hi"))
                .status()).isEqualTo(201);

        // left out: kept; null: cleared
        JsonNode kept = api.patch("/api/v1/conversations/" + id, editor, object("title", "renamed")).json();
        assertThat(kept.get("model_id").asString()).isEqualTo("gpt-4o");
        JsonNode cleared = api.patch("/api/v1/conversations/" + id, editor, object("model_id", null)).json();
        assertThat(cleared.get("model_id").isNull()).isTrue();
        assertThat(cleared.get("project_id").asString()).isEqualTo(projectId);

        // out of the project it is its creator's alone: only the creator may take it out
        String task = api.post("/api/v1/tasks", editor, object("title", "follow up", "project_id", projectId,
                "conversation_id", id)).json().get("id").asString();
        assertThat(api.patch("/api/v1/conversations/" + id, owner, object("project_id", null)).status()).isEqualTo(403);
        Response out = api.patch("/api/v1/conversations/" + id, editor, object("project_id", null));
        assertThat(out.status()).isEqualTo(200);
        assertThat(out.json().get("project_id").isNull()).isTrue();
        assertThat(api.get("/api/v1/conversations/" + id, owner).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/projects/" + projectId + "/messages", owner).json().get("data")).isEmpty();
        assertThat(api.get("/api/v1/conversations/" + id + "/messages?last=10", editor).json().get("data"))
                .hasSize(1);
        // the project's task stays in the project, no longer pointing at the conversation
        JsonNode left = api.get("/api/v1/tasks/" + task, editor).json();
        assertThat(left.get("project_id").asString()).isEqualTo(projectId);
        assertThat(left.get("conversation_id").isNull()).isTrue();
        // a member that cannot be cleared is refused
        assertThat(api.patch("/api/v1/conversations/" + id, editor, object("title", null)).status()).isEqualTo(422);
    }

    @Test
    void aPersonalConversationIsItsUsersAloneNotEvenAnAdminsToSee() {
        Session user = api.newUser("conv");
        Session stranger = api.newUser("stranger");
        String id = conversation(user, object("title", "diary"));
        assertThat(api.get("/api/v1/conversations/" + id, stranger).code()).isEqualTo("not_found");
        assertThat(api.get("/api/v1/conversations/" + id, admin).code()).isEqualTo("not_found");
        assertThat(api.patch("/api/v1/conversations/" + id, admin, object("title", "x")).code()).isEqualTo("not_found");
        assertThat(api.delete("/api/v1/conversations/" + id, admin).code()).isEqualTo("not_found");
        assertThat(api.get("/api/v1/conversations/" + id, null).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/conversations", stranger).json().get("data").toString()).doesNotContain(id);
    }

    @Test
    void inAProjectViewersReadEditorsWriteAndStrangersSeeNothing() {
        Session owner = api.newUser("owner");
        Session editor = api.newUser("editor");
        Session viewer = api.newUser("viewer");
        Session stranger = api.newUser("stranger");
        String projectId = project(owner);
        member(owner, projectId, editor, "editor");
        member(owner, projectId, viewer, "viewer");

        assertThat(api.post("/api/v1/conversations", viewer, object("project_id", projectId)).code())
                .isEqualTo("forbidden");
        assertThat(api.post("/api/v1/conversations", stranger, object("project_id", projectId)).code())
                .isEqualTo("not_found");
        String id = conversation(editor, object("project_id", projectId, "title", "shared"));

        assertThat(api.get("/api/v1/conversations/" + id, viewer).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/conversations/" + id, owner).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/conversations/" + id, admin).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/conversations/" + id, stranger).code()).isEqualTo("not_found");
        assertThat(api.patch("/api/v1/conversations/" + id, viewer, object("title", "no")).code()).isEqualTo("forbidden");
        assertThat(api.delete("/api/v1/conversations/" + id, viewer).code()).isEqualTo("forbidden");
        assertThat(api.post("/api/v1/conversations/" + id + "/restore", viewer, null).code()).isEqualTo("forbidden");
        assertThat(api.patch("/api/v1/conversations/" + id, stranger, object("title", "no")).code())
                .isEqualTo("not_found");
        assertThat(api.patch("/api/v1/conversations/" + id, owner, object("title", "renamed")).json().get("title")
                .asString()).isEqualTo("renamed");

        assertThat(api.get("/api/v1/projects/" + projectId + "/conversations", viewer).json().get("data").get(0)
                .get("id").asString()).isEqualTo(id);
        assertThat(api.get("/api/v1/projects/" + projectId + "/conversations", stranger).code()).isEqualTo("not_found");
        assertThat(api.get("/api/v1/conversations?project_id=" + projectId, viewer).json().get("data").size())
                .isEqualTo(1);
        assertThat(api.get("/api/v1/conversations", viewer).json().get("data").toString()).contains(id);
    }

    @Test
    void everyRouteOfTheseSectionsNeedsAnAccessToken() {
        Session user = api.newUser("anon");
        String projectId = project(user);
        String id = conversation(user, object("project_id", projectId));
        String m = api.post("/api/v1/conversations/" + id + "/messages", user, object("role", "user", "content", "x"))
                .json().get("id").asString();
        Object message = object("role", "user", "content", "x");
        List<Response> answers = List.of(
                api.post("/api/v1/conversations", null, object()),
                api.get("/api/v1/conversations", null),
                api.get("/api/v1/projects/" + projectId + "/conversations", null),
                api.get("/api/v1/conversations/" + id, null),
                api.patch("/api/v1/conversations/" + id, null, object("title", "t")),
                api.delete("/api/v1/conversations/" + id, null),
                api.post("/api/v1/conversations/" + id + "/restore", null, null),
                api.put("/api/v1/conversations/" + id + "/leaf", null, object("message_id", m)),
                api.post("/api/v1/conversations/" + id + "/messages", null, message),
                api.post("/api/v1/conversations/" + id + "/messages/batch", null, object("messages", List.of(message))),
                api.get("/api/v1/conversations/" + id + "/messages", null),
                api.get("/api/v1/conversations/" + id + "/messages?last=3", null),
                api.get("/api/v1/conversations/" + id + "/messages/" + m, null),
                api.patch("/api/v1/conversations/" + id + "/messages/" + m, null, object("content", "y")),
                api.delete("/api/v1/conversations/" + id + "/messages/" + m, null),
                api.get("/api/v1/projects/" + projectId + "/messages", null),
                api.get("/api/v1/conversations/" + id + "/context", null));
        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).as(answer.toString()).isEqualTo(401));
        assertThat(api.get("/api/v1/conversations/" + id, user).json().get("message_count").asInt()).isEqualTo(1);
    }

    @Test
    void anAdminActsAsAnOwnerInEveryProject() {
        Session owner = api.newUser("owner");
        String projectId = project(owner);
        String id = conversation(owner, object("project_id", projectId));
        assertThat(api.get("/api/v1/projects/" + projectId + "/conversations", admin).json().get("data").size())
                .isEqualTo(1);
        assertThat(api.patch("/api/v1/conversations/" + id, admin, object("title", "moderated")).status())
                .isEqualTo(200);
        assertThat(api.post("/api/v1/conversations", admin, object("project_id", projectId)).status()).isEqualTo(201);
        assertThat(api.delete("/api/v1/conversations/" + id, admin).status()).isEqualTo(204);
        assertThat(api.post("/api/v1/conversations/" + id + "/restore", admin, null).status()).isEqualTo(200);
        assertThat(api.delete("/api/v1/conversations/" + id + "?purge=true", admin).status()).isEqualTo(204);
    }

    @Test
    void theListShowsOwnAndProjectConversationsNewestFirstPageByPage() {
        Session owner = api.newUser("owner");
        Session user = api.newUser("lister");
        String projectId = project(owner);
        member(owner, projectId, user, "viewer");
        String ownProjectId = project(user);
        List<String> expected = new ArrayList<>();
        // personal ones and those of two projects interleaved, so that every page merges all three
        for (int i = 0; i < 5; i++) {
            expected.addFirst(conversation(user, object("title", "mine " + i)));
            expected.addFirst(conversation(owner, object("title", "project " + i, "project_id", projectId)));
            expected.addFirst(conversation(user, object("title", "own project " + i, "project_id", ownProjectId)));
        }
        conversation(owner, object("title", "owner's personal one"));
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Response page = api.get("/api/v1/conversations?limit=3" + (cursor == null ? "" : "&after=" + cursor), user);
            assertThat(page.status()).isEqualTo(200);
            page.json().get("data").forEach(c -> seen.add(c.get("id").asString()));
            cursor = page.json().get("next_cursor").isNull() ? null : page.json().get("next_cursor").asString();
            assertThat(page.json().get("has_more").asBoolean()).isEqualTo(cursor != null);
        } while (cursor != null);
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void paginationUnderConcurrentCreatesNeitherRepeatsNorSkipsOlderConversations() throws Exception {
        Session user = api.newUser("pager");
        List<String> existing = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            existing.add(conversation(user, object("title", "c" + i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    conversation(user, object("title", "new" + i));
                }
            });
            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                Response page = api.get("/api/v1/conversations?limit=2" + (cursor == null ? "" : "&after=" + cursor),
                        user);
                page.json().get("data").forEach(c -> seen.add(c.get("id").asString()));
                cursor = page.json().get("next_cursor").isNull() ? null : page.json().get("next_cursor").asString();
            } while (cursor != null);
            writer.get();
            assertThat(new HashSet<>(seen)).hasSize(seen.size());
            assertThat(seen).containsAll(existing);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSoftDeletedConversationLeavesListsUntilRestoredAndPurgeRemovesItForGood() {
        Session user = api.newUser("deleter");
        String id = conversation(user, object());
        assertThat(api.delete("/api/v1/conversations/" + id, user).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/conversations", user).json().get("data").toString()).doesNotContain(id);
        assertThat(api.get("/api/v1/conversations?include_deleted=true", user).json().get("data").toString())
                .contains(id);
        JsonNode deleted = api.get("/api/v1/conversations/" + id, user).json();
        assertThat(deleted.get("deleted_at").isNull()).isFalse();
        assertThat(api.post("/api/v1/conversations/" + id + "/messages", user, object("role", "user", "content", "hi"))
                .code()).isEqualTo("conflict");
        assertThat(api.patch("/api/v1/conversations/" + id, user, object("title", "x")).code()).isEqualTo("conflict");

        Response restored = api.post("/api/v1/conversations/" + id + "/restore", user, null);
        assertThat(restored.status()).isEqualTo(200);
        assertThat(restored.json().get("deleted_at").isNull()).isTrue();
        assertThat(api.get("/api/v1/conversations", user).json().get("data").toString()).contains(id);

        api.post("/api/v1/conversations/" + id + "/messages", user, object("role", "user", "content", "hi"));
        assertThat(api.delete("/api/v1/conversations/" + id + "?purge=true", user).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/conversations/" + id, user).code()).isEqualTo("not_found");
        assertThat(api.post("/api/v1/conversations/" + id + "/restore", user, null).code()).isEqualTo("not_found");
    }

    @Test
    void purgingAConversationWithABranchDeeperThanSqlitesTriggerLimitWorks() {
        Session user = api.newUser("long");
        String id = conversation(user, object());
        List<JsonNode> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(object("role", "user", "content", "m" + i));
        }
        for (int round = 0; round < 2; round++) {
            List<JsonNode> chunk = round == 0 ? batch : batch.subList(0, 100);
            assertThat(api.post("/api/v1/conversations/" + id + "/messages/batch", user, object("messages", chunk))
                    .status()).isEqualTo(201);
        }
        assertThat(api.delete("/api/v1/conversations/" + id + "?purge=true", user).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/conversations/" + id, user).code()).isEqualTo("not_found");
    }

    @Test
    void deletingAProjectWhoseConversationHasALongBranchWorks() {
        Session user = api.newUser("longproject");
        String projectId = project(user);
        String id = conversation(user, object("project_id", projectId));
        List<JsonNode> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(object("role", "user", "content", "m" + i));
        }
        api.post("/api/v1/conversations/" + id + "/messages/batch", user, object("messages", batch));
        api.post("/api/v1/conversations/" + id + "/messages/batch", user, object("messages", batch.subList(0, 100)));
        assertThat(api.get("/api/v1/conversations/" + id, user).json().get("message_count").asInt()).isEqualTo(1100);
        assertThat(api.delete("/api/v1/projects/" + projectId, user).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/conversations/" + id, user).code()).isEqualTo("not_found");
    }

    @Test
    void anEditorMayPurgeOnlyItsOwnConversationsAnOwnerAnyone() {
        Session owner = api.newUser("owner");
        Session editor = api.newUser("editor");
        String projectId = project(owner);
        member(owner, projectId, editor, "editor");
        String ownersConversation = conversation(owner, object("project_id", projectId));
        String editorsConversation = conversation(editor, object("project_id", projectId));
        assertThat(api.delete("/api/v1/conversations/" + ownersConversation + "?purge=true", editor).code())
                .isEqualTo("forbidden");
        assertThat(api.delete("/api/v1/conversations/" + editorsConversation + "?purge=true", editor).status())
                .isEqualTo(204);
        assertThat(api.delete("/api/v1/conversations/" + ownersConversation, editor).status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/conversations/" + ownersConversation + "?purge=true", owner).status())
                .isEqualTo(204);
    }

    @Test
    void movingAConversationNeedsEditorInBothProjectsAndTakesItsMessagesAlong() {
        Session owner = api.newUser("owner");
        Session editor = api.newUser("editor");
        String from = project(owner);
        String to = project(owner);
        String third = project(owner);
        member(owner, from, editor, "editor");
        member(owner, to, editor, "editor");
        member(owner, third, editor, "viewer");
        String id = conversation(editor, object("project_id", from));
        api.post("/api/v1/conversations/" + id + "/messages", editor,
                object("role", "user", "content", "hello", "usage", object("prompt_tokens", 1, "completion_tokens", 2)));

        assertThat(api.patch("/api/v1/conversations/" + id, editor, object("project_id", third)).code())
                .isEqualTo("forbidden");
        Response moved = api.patch("/api/v1/conversations/" + id, editor, object("project_id", to));
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.json().get("project_id").asString()).isEqualTo(to);
        JsonNode messages = api.get("/api/v1/conversations/" + id + "/messages", editor).json().get("data");
        assertThat(messages.get(0).get("project_id").asString()).isEqualTo(to);
        assertThat(api.get("/api/v1/projects/" + to + "/messages", editor).json().get("data").size()).isEqualTo(1);
        assertThat(api.get("/api/v1/projects/" + from + "/messages", editor).json().get("data").size()).isZero();
        JsonNode summary = api.get("/api/v1/projects/" + to + "/summary", owner).json();
        assertThat(summary.get("counts").get("conversations").asLong()).isEqualTo(1);
        assertThat(summary.get("counts").get("messages").asLong()).isEqualTo(1);

        // the owner may move the editor's conversation, but only where the editor can still see it
        String elsewhere = project(owner);
        Response away = api.patch("/api/v1/conversations/" + id, owner, object("project_id", elsewhere));
        assertThat(away.status()).isEqualTo(422);
        assertThat(away.json().get("errors").get(0).get("field").asString()).isEqualTo("project_id");
        assertThat(api.patch("/api/v1/conversations/" + id, owner, object("project_id", from)).status())
                .isEqualTo(200);
    }

    @Test
    void theKnowledgeBaseFlagNeedsAnActiveKnowledgeBase() {
        Session user = api.newUser("kb");
        String projectId = project(user);
        Response refused = api.post("/api/v1/conversations", user,
                object("project_id", projectId, "use_knowledge_base", true));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("use_knowledge_base");
        String id = conversation(user, object("project_id", projectId));
        assertThat(api.patch("/api/v1/conversations/" + id, user, object("use_knowledge_base", true)).status())
                .isEqualTo(422);
    }

    @Test
    void badInputIsAClientErrorNamingTheField() {
        Session user = api.newUser("bad");
        String id = conversation(user, object());
        assertThat(api.get("/api/v1/conversations/not-a-uuid", user).status()).isEqualTo(400);
        assertThat(api.patch("/api/v1/conversations/not-a-uuid", user, object()).status()).isEqualTo(400);
        assertThat(api.delete("/api/v1/conversations/not-a-uuid", user).status()).isEqualTo(400);
        assertThat(api.post("/api/v1/conversations/not-a-uuid/restore", user, null).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/projects/not-a-uuid/conversations", user).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/conversations?project_id=nope", user).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/conversations?include_deleted=maybe", user).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/conversations?limit=0", user).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/conversations?limit=101", user).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/conversations?after=garbage", user).code()).isEqualTo("invalid_cursor");
        assertThat(api.delete("/api/v1/conversations/" + id + "?purge=perhaps", user).status()).isEqualTo(400);
        Response longTitle = api.post("/api/v1/conversations", user, object("title", "x".repeat(201)));
        assertThat(longTitle.status()).isEqualTo(422);
        assertThat(longTitle.json().get("errors").get(0).get("field").asString()).isEqualTo("title");
        assertThat(api.post("/api/v1/conversations", user, object("title", "  ")).status()).isEqualTo(422);
        assertThat(api.post("/api/v1/conversations", user, object("metadata", List.of(1))).status()).isEqualTo(422);
        assertThat(api.post("/api/v1/conversations", user, object("project_id", "x")).status()).isEqualTo(400);
        assertThat(api.post("/api/v1/conversations", user, object("color", "red")).status()).isEqualTo(400);
        assertThat(api.post("/api/v1/conversations", user, "{").status()).isEqualTo(400);
        assertThat(api.patch("/api/v1/conversations/" + id, user, object("title", 5)).status()).isEqualTo(400);
        assertThat(api.put("/api/v1/conversations/" + id + "/leaf", user, object("message_id", "x")).status())
                .isEqualTo(400);
        assertThat(api.put("/api/v1/conversations/" + id + "/leaf", user, object()).status()).isEqualTo(422);
        Set<Integer> statuses = new HashSet<>();
        statuses.add(api.post("/api/v1/conversations", user, object("model_id", "m".repeat(201))).status());
        assertThat(statuses).containsExactly(422);
    }

    @OnSqlite
    static class OnSqliteTest extends ConversationApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends ConversationApiTests {
    }
}
