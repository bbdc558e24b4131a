package dev.parley.message;

import static dev.parley.db.Tables.MESSAGES;
import static dev.parley.support.Api.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

abstract class MessageApiTests extends ApiTest {

    @Autowired
    DSLContext dsl;

    private String project(Session owner) {
        return api.post("/api/v1/projects", owner, object("name", "messages")).json().get("id").asString();
    }

    private void member(Session owner, String projectId, Session user, String role) {
        api.put("/api/v1/projects/" + projectId + "/members/" + user.userId(), owner, object("role", role));
    }

    private String conversation(Session user, String projectId) {
        Response created = api.post("/api/v1/conversations", user,
                projectId == null ? object() : object("project_id", projectId));
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private JsonNode append(Session user, String conversationId, Object body) {
        Response created = api.post("/api/v1/conversations/" + conversationId + "/messages", user, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    private JsonNode say(Session user, String conversationId, String content) {
        return append(user, conversationId, object("role", "user", "content", content));
    }

    private static List<String> contents(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.get("data").forEach(m -> out.add(m.get("content").asString()));
        return out;
    }

    private static <T> List<T> runConcurrently(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAppendedMessageHasTheWholeShapeAndBecomesTheLeaf() {
        Session user = api.newUser("msg");
        String projectId = project(user);
        String id = conversation(user, projectId);
        Response created = api.post("/api/v1/conversations/" + id + "/messages", user,
                object("role", "user", "content", "Hello", "name", "ann", "metadata", object("k", 1),
                        "context_used", object("files", List.of("a")),
                        "usage", object("prompt_tokens", 3, "completion_tokens", 4)));
        assertThat(created.status()).isEqualTo(201);
        JsonNode m = created.json();
        assertThat(created.header("Location")).isEqualTo("/api/v1/conversations/" + id + "/messages/" + m.get("id").asString());
        JsonNode expected = Api.JSON.createObjectNode()
                .put("id", m.get("id").asString())
                .put("conversation_id", id)
                .put("project_id", projectId)
                .put("user_id", user.userId().toString())
                .putNull("parent_id")
                .put("seq", 1)
                .put("role", "user")
                .put("content", "Hello")
                .putNull("tool_calls")
                .putNull("tool_call_id")
                .put("name", "ann")
                .set("metadata", object("k", 1));
        ((tools.jackson.databind.node.ObjectNode) expected).set("context_used", object("files", List.of("a")));
        ((tools.jackson.databind.node.ObjectNode) expected).set("usage", object("prompt_tokens", 3, "completion_tokens", 4));
        ((tools.jackson.databind.node.ObjectNode) expected).put("created_at", m.get("created_at").asString());
        ((tools.jackson.databind.node.ObjectNode) expected).putNull("edited_at");
        assertThat(m).isEqualTo(expected);
        assertThat(api.get("/api/v1/conversations/" + id + "/messages/" + m.get("id").asString(), user).json())
                .isEqualTo(m);

        JsonNode second = say(user, id, "again");
        assertThat(second.get("seq").asLong()).isEqualTo(2);
        assertThat(second.get("parent_id").asString()).isEqualTo(m.get("id").asString());
        JsonNode conversation = api.get("/api/v1/conversations/" + id, user).json();
        assertThat(conversation.get("current_leaf_id").asString()).isEqualTo(second.get("id").asString());
        assertThat(conversation.get("message_count").asInt()).isEqualTo(2);
        assertThat(conversation.get("last_message_at").asString()).isEqualTo(second.get("created_at").asString());
        assertThat(api.get("/api/v1/projects/" + projectId, user).json().get("token_usage").asLong()).isEqualTo(7);
    }

    @Test
    void toolCallsAreStoredAndReturnedExactly() {
        Session user = api.newUser("tools");
        String id = conversation(user, null);
        say(user, id, "what's the weather?");
        List<Object> calls = List.of(Map.of("id", "call_1", "type", "function",
                "function", Map.of("name", "weather", "arguments", "{\"city\": \"Zürich\",\n \"unit\":\"c\"}")));
        JsonNode call = append(user, id, object("role", "assistant", "content", "", "tool_calls", calls));
        assertThat(call.get("tool_calls")).isEqualTo(Api.JSON.valueToTree(calls));
        assertThat(call.get("tool_calls").toString())
                .isEqualTo("[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"weather\","
                        + "\"arguments\":\"{\\\"city\\\": \\\"Zürich\\\",\\n \\\"unit\\\":\\\"c\\\"}\"}}]");
        JsonNode result = append(user, id, object("role", "tool", "content", "21C", "tool_call_id", "call_1"));
        assertThat(result.get("tool_call_id").asString()).isEqualTo("call_1");
        JsonNode listed = api.get("/api/v1/conversations/" + id + "/messages", user).json().get("data");
        assertThat(listed.get(1).get("tool_calls").toString()).isEqualTo(call.get("tool_calls").toString());
    }

    @Test
    void concurrentAppendsGetGapFreeSequenceNumbers() throws Exception {
        Session user = api.newUser("racer");
        String projectId = project(user);
        String id = conversation(user, projectId);
        runConcurrently(8, () -> {
            for (int i = 0; i < 25; i++) {
                append(user, id, object("role", "user", "content", "m", "usage",
                        object("prompt_tokens", 1, "completion_tokens", 2)));
            }
            return null;
        });
        List<Long> seqs = new ArrayList<>();
        List<String> parents = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.get("/api/v1/conversations/" + id + "/messages?limit=100"
                    + (cursor == null ? "" : "&after=" + cursor), user).json();
            page.get("data").forEach(m -> {
                seqs.add(m.get("seq").asLong());
                ids.add(m.get("id").asString());
                parents.add(m.get("parent_id").isNull() ? null : m.get("parent_id").asString());
            });
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
        } while (cursor != null);
        assertThat(seqs).isEqualTo(LongStream.rangeClosed(1, 200).boxed().toList());
        // appends are ordered by the counter row: each one attaches to the one before it
        for (int i = 1; i < ids.size(); i++) {
            assertThat(parents.get(i)).isEqualTo(ids.get(i - 1));
        }
        JsonNode conversation = api.get("/api/v1/conversations/" + id, user).json();
        assertThat(conversation.get("message_count").asInt()).isEqualTo(200);
        assertThat(conversation.get("current_leaf_id").asString()).isEqualTo(ids.getLast());
        assertThat(api.get("/api/v1/projects/" + projectId, user).json().get("token_usage").asLong()).isEqualTo(600);
    }

    @Test
    void concurrentUsageAcrossConversationsAddsUpExactly() throws Exception {
        Session user = api.newUser("usage");
        String projectId = project(user);
        runConcurrently(8, () -> {
            String id = conversation(user, projectId);
            for (int i = 0; i < 10; i++) {
                append(user, id, object("role", "assistant", "content", "r", "usage",
                        object("prompt_tokens", 10, "completion_tokens", 5)));
            }
            return null;
        });
        JsonNode project = api.get("/api/v1/projects/" + projectId, user).json();
        assertThat(project.get("token_usage").asLong()).isEqualTo(8 * 10 * 15);
        JsonNode summary = api.get("/api/v1/projects/" + projectId + "/summary", user).json();
        assertThat(summary.get("counts").get("conversations").asLong()).isEqualTo(8);
        assertThat(summary.get("counts").get("messages").asLong()).isEqualTo(80);
    }

    @Test
    void usageIsRecordedEvenWhenTheBudgetIsSpent() {
        Session user = api.newUser("spent");
        String projectId = api.post("/api/v1/projects", user, object("name", "tiny", "max_tokens", 5)).json()
                .get("id").asString();
        String id = conversation(user, projectId);
        append(user, id, object("role", "assistant", "content", "a", "usage",
                object("prompt_tokens", 4, "completion_tokens", 4)));
        append(user, id, object("role", "assistant", "content", "b", "usage",
                object("prompt_tokens", 4, "completion_tokens", 4)));
        assertThat(api.get("/api/v1/projects/" + projectId, user).json().get("token_usage").asLong()).isEqualTo(16);
    }

    @Test
    void anExplicitParentStartsABranchAndTheLeafCanBeSwitchedBack() {
        Session user = api.newUser("branch");
        String id = conversation(user, null);
        JsonNode a = say(user, id, "a");
        JsonNode b = say(user, id, "b");
        JsonNode c = say(user, id, "c");
        // edit "b": a sibling branch from "a"
        JsonNode b2 = append(user, id, object("role", "user", "content", "b2", "parent_id", a.get("id").asString()));
        assertThat(b2.get("parent_id").asString()).isEqualTo(a.get("id").asString());
        assertThat(b2.get("seq").asLong()).isEqualTo(4);
        JsonNode c2 = say(user, id, "c2");
        assertThat(c2.get("parent_id").asString()).isEqualTo(b2.get("id").asString());

        assertThat(contents(api.get("/api/v1/conversations/" + id + "/messages?last=10", user).json()))
                .containsExactly("a", "b2", "c2");
        assertThat(contents(api.get("/api/v1/conversations/" + id + "/messages", user).json()))
                .containsExactly("a", "b", "c", "b2", "c2");
        assertThat(contents(api.get("/api/v1/conversations/" + id + "/messages?order=desc", user).json()))
                .containsExactly("c2", "b2", "c", "b", "a");

        Response switched = api.put("/api/v1/conversations/" + id + "/leaf", user,
                object("message_id", c.get("id").asString()));
        assertThat(switched.status()).isEqualTo(200);
        assertThat(switched.json().get("current_leaf_id").asString()).isEqualTo(c.get("id").asString());
        assertThat(contents(api.get("/api/v1/conversations/" + id + "/messages?last=10", user).json()))
                .containsExactly("a", "b", "c");
        JsonNode d = say(user, id, "d");
        assertThat(d.get("parent_id").asString()).isEqualTo(c.get("id").asString());
        assertThat(contents(api.get("/api/v1/conversations/" + id + "/messages?last=2", user).json()))
                .containsExactly("c", "d");
        assertThat(b.get("parent_id").asString()).isEqualTo(a.get("id").asString());
    }

    @Test
    void lastNOnABranchedTreeSaysWhetherOlderMessagesExist() {
        Session user = api.newUser("last");
        String id = conversation(user, null);
        JsonNode first = say(user, id, "1");
        say(user, id, "2");
        say(user, id, "3");
        append(user, id, object("role", "user", "content", "2'", "parent_id", first.get("id").asString()));
        say(user, id, "3'");
        JsonNode two = api.get("/api/v1/conversations/" + id + "/messages?last=2", user).json();
        assertThat(contents(two)).containsExactly("2'", "3'");
        assertThat(two.get("has_more").asBoolean()).isTrue();
        assertThat(two.get("next_cursor").isNull()).isTrue();
        JsonNode three = api.get("/api/v1/conversations/" + id + "/messages?last=3", user).json();
        assertThat(contents(three)).containsExactly("1", "2'", "3'");
        assertThat(three.get("has_more").asBoolean()).isFalse();
        JsonNode all = api.get("/api/v1/conversations/" + id + "/messages?last=1000", user).json();
        assertThat(contents(all)).containsExactly("1", "2'", "3'");
        String empty = conversation(user, null);
        JsonNode none = api.get("/api/v1/conversations/" + empty + "/messages?last=5", user).json();
        assertThat(none.get("data").size()).isZero();
        assertThat(none.get("has_more").asBoolean()).isFalse();
    }

    @Test
    void paginationWhileOthersAppendNeitherRepeatsNorSkipsEarlierMessages() throws Exception {
        Session user = api.newUser("pages");
        String id = conversation(user, null);
        List<Object> batch = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            batch.add(object("role", "user", "content", "old" + i));
        }
        api.post("/api/v1/conversations/" + id + "/messages/batch", user, object("messages", batch));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < 20; i++) {
                    say(user, id, "new" + i);
                }
            });
            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                JsonNode page = api.get("/api/v1/conversations/" + id + "/messages?limit=4"
                        + (cursor == null ? "" : "&after=" + cursor), user).json();
                page.get("data").forEach(m -> seen.add(m.get("content").asString()));
                cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
            } while (cursor != null);
            writer.get();
            assertThat(new HashSet<>(seen)).hasSize(seen.size());
            List<String> old = new ArrayList<>();
            for (int i = 1; i <= 30; i++) {
                old.add("old" + i);
            }
            assertThat(seen.subList(0, 30)).isEqualTo(old);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBatchAppendsInOrderAllOrNothing() {
        Session user = api.newUser("batch");
        String id = conversation(user, null);
        JsonNode root = say(user, id, "root");
        Response created = api.post("/api/v1/conversations/" + id + "/messages/batch", user, object("messages", List.of(
                object("role", "user", "content", "q"),
                object("role", "assistant", "content", "", "tool_calls", List.of(Map.of("id", "c1", "type", "function",
                        "function", Map.of("name", "f", "arguments", "{}")))),
                object("role", "tool", "content", "ok", "tool_call_id", "c1"))));
        assertThat(created.status()).isEqualTo(201);
        JsonNode data = created.json().get("data");
        assertThat(data.size()).isEqualTo(3);
        assertThat(data.get(0).get("parent_id").asString()).isEqualTo(root.get("id").asString());
        assertThat(data.get(1).get("parent_id").asString()).isEqualTo(data.get(0).get("id").asString());
        assertThat(data.get(2).get("seq").asLong()).isEqualTo(4);

        Response refused = api.post("/api/v1/conversations/" + id + "/messages/batch", user, object("messages", List.of(
                object("role", "user", "content", "fine"),
                object("role", "tool", "content", "no id"))));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("messages[1].tool_call_id");
        assertThat(api.get("/api/v1/conversations/" + id, user).json().get("message_count").asInt()).isEqualTo(4);
        assertThat(say(user, id, "next").get("seq").asLong()).isEqualTo(5);

        List<Object> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(object("role", "user", "content", "x"));
        }
        assertThat(api.post("/api/v1/conversations/" + id + "/messages/batch", user, object("messages", tooMany))
                .status()).isEqualTo(422);
        assertThat(api.post("/api/v1/conversations/" + id + "/messages/batch", user, object("messages", List.of()))
                .status()).isEqualTo(422);
    }

    @Test
    void aFullBatchOfLongMessagesIsStoredWhole() {
        Session user = api.newUser("bulk");
        String id = conversation(user, null);
        // 1,000 messages of 10,000 characters: once one statement, whose values jOOQ inlines past
        // SQLite's 999 bind values, and a 5 MB statement SQLite refuses
        List<Object> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(object("role", "user", "content", String.valueOf((char) ('a' + i % 26)).repeat(9_996) + "%04d".formatted(i)));
        }
        Response created = api.post("/api/v1/conversations/" + id + "/messages/batch", user, object("messages", batch));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(api.get("/api/v1/conversations/" + id, user).json().get("message_count").asInt()).isEqualTo(1000);
        JsonNode last = api.get("/api/v1/conversations/" + id + "/messages?last=1", user).json().get("data").get(0);
        assertThat(last.get("content").asString()).hasSize(10_000).endsWith("0999");
    }

    @Test
    void everyMessageKnowsItsDepthAcrossBranchesAndLargeBatches() {
        Session user = api.newUser("depth");
        String id = conversation(user, null);
        JsonNode a = say(user, id, "a");
        say(user, id, "b");
        append(user, id, object("role", "user", "content", "b2", "parent_id", a.get("id").asString()));
        List<Object> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(object("role", i % 2 == 0 ? "user" : "assistant", "content", "m" + i));
        }
        // 1,000 rows: more than one multi-row INSERT
        Response created = api.post("/api/v1/conversations/" + id + "/messages/batch", user, object("messages", batch));
        assertThat(created.status()).isEqualTo(201);
        say(user, id, "after");

        Map<UUID, Long> depth = new HashMap<>();
        Map<UUID, UUID> parent = new HashMap<>();
        dsl.select(MESSAGES.ID, MESSAGES.PARENT_ID, MESSAGES.DEPTH).from(MESSAGES)
                .where(MESSAGES.CONVERSATION_ID.eq(UUID.fromString(id)))
                .forEach(r -> {
                    depth.put(r.value1(), r.value3());
                    parent.put(r.value1(), r.value2());
                });
        assertThat(depth).hasSize(1004);
        depth.forEach((message, d) -> {
            UUID up = parent.get(message);
            assertThat(d).as("depth of %s", message).isEqualTo(up == null ? 1 : depth.get(up) + 1);
        });
        JsonNode context = api.get("/api/v1/conversations/" + id + "/context?max_tokens=100", user).json();
        // the active branch is a, b2, the 1,000 batch messages and "after"
        long kept = 0;
        for (JsonNode m : context.get("messages")) {
            kept += m.get("role").asString().equals("system") ? 0 : 1;
        }
        assertThat(context.get("omitted_messages").asLong() + kept).isEqualTo(1003);
    }

    @Test
    void anEditKeepsTheTreeAndStampsEditedAt() {
        Session user = api.newUser("edit");
        String id = conversation(user, null);
        JsonNode m = say(user, id, "typo");
        Response edited = api.patch("/api/v1/conversations/" + id + "/messages/" + m.get("id").asString(), user,
                object("content", "fixed", "metadata", object("edited", true)));
        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.json().get("content").asString()).isEqualTo("fixed");
        assertThat(edited.json().get("metadata")).isEqualTo(object("edited", true));
        assertThat(edited.json().get("edited_at").isNull()).isFalse();
        assertThat(edited.json().get("seq")).isEqualTo(m.get("seq"));
        assertThat(api.patch("/api/v1/conversations/" + id + "/messages/" + m.get("id").asString(), user,
                object("content", "")).status()).isEqualTo(422);
    }

    @Test
    void deletingAMessageRemovesItsSubBranchAndMovesTheLeafUp() {
        Session user = api.newUser("delete");
        String id = conversation(user, null);
        JsonNode a = say(user, id, "a");
        JsonNode b = say(user, id, "b");
        say(user, id, "c");
        JsonNode side = append(user, id, object("role", "user", "content", "side", "parent_id", a.get("id").asString()));
        api.put("/api/v1/conversations/" + id + "/leaf", user, object("message_id", b.get("id").asString()));
        say(user, id, "c2");
        // tree: a -> b -> {c, c2}, a -> side; leaf c2
        assertThat(api.delete("/api/v1/conversations/" + id + "/messages/" + b.get("id").asString(), user).status())
                .isEqualTo(204);
        JsonNode conversation = api.get("/api/v1/conversations/" + id, user).json();
        assertThat(conversation.get("message_count").asInt()).isEqualTo(2);
        assertThat(conversation.get("current_leaf_id").asString()).isEqualTo(a.get("id").asString());
        assertThat(contents(api.get("/api/v1/conversations/" + id + "/messages", user).json()))
                .containsExactly("a", "side");
        assertThat(api.get("/api/v1/conversations/" + id + "/messages/" + b.get("id").asString(), user).code())
                .isEqualTo("not_found");
        // deleting off the active branch leaves the leaf alone
        api.delete("/api/v1/conversations/" + id + "/messages/" + side.get("id").asString(), user);
        conversation = api.get("/api/v1/conversations/" + id, user).json();
        assertThat(conversation.get("current_leaf_id").asString()).isEqualTo(a.get("id").asString());
        assertThat(conversation.get("message_count").asInt()).isEqualTo(1);
        assertThat(say(user, id, "after").get("seq").asLong()).isEqualTo(6);
    }

    @Test
    void deletingTheFirstMessageOfALongBranchWorks() {
        Session user = api.newUser("longdel");
        String id = conversation(user, null);
        List<Object> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(object("role", "user", "content", "m" + i));
        }
        JsonNode first = api.post("/api/v1/conversations/" + id + "/messages/batch", user, object("messages", batch))
                .json().get("data").get(0);
        api.post("/api/v1/conversations/" + id + "/messages/batch", user, object("messages", batch.subList(0, 100)));
        assertThat(api.delete("/api/v1/conversations/" + id + "/messages/" + first.get("id").asString(), user)
                .status()).isEqualTo(204);
        JsonNode conversation = api.get("/api/v1/conversations/" + id, user).json();
        assertThat(conversation.get("message_count").asInt()).isZero();
        assertThat(conversation.get("current_leaf_id").isNull()).isTrue();
    }

    @Test
    void aProjectsHistoryIsNewestFirstAcrossConversations() {
        Session owner = api.newUser("hist");
        Session viewer = api.newUser("viewer");
        Session stranger = api.newUser("stranger");
        String projectId = project(owner);
        member(owner, projectId, viewer, "viewer");
        String one = conversation(owner, projectId);
        String two = conversation(owner, projectId);
        say(owner, one, "1");
        say(owner, two, "2");
        say(owner, one, "3");
        String personal = conversation(owner, null);
        say(owner, personal, "private");
        JsonNode page = api.get("/api/v1/projects/" + projectId + "/messages?limit=2", viewer).json();
        assertThat(contents(page)).containsExactly("3", "2");
        JsonNode rest = api.get("/api/v1/projects/" + projectId + "/messages?limit=2&after="
                + page.get("next_cursor").asString(), viewer).json();
        assertThat(contents(rest)).containsExactly("1");
        assertThat(rest.get("has_more").asBoolean()).isFalse();
        assertThat(api.get("/api/v1/projects/" + projectId + "/messages", stranger).code()).isEqualTo("not_found");
        api.delete("/api/v1/conversations/" + one, owner);
        assertThat(contents(api.get("/api/v1/projects/" + projectId + "/messages", owner).json())).containsExactly("2");
    }

    @Test
    void everyMessageRouteFollowsTheConversationsRoles() {
        Session owner = api.newUser("owner");
        Session editor = api.newUser("editor");
        Session viewer = api.newUser("viewer");
        Session stranger = api.newUser("stranger");
        String projectId = project(owner);
        member(owner, projectId, editor, "editor");
        member(owner, projectId, viewer, "viewer");
        String id = conversation(owner, projectId);
        String m = say(editor, id, "by the editor").get("id").asString();
        String base = "/api/v1/conversations/" + id + "/messages";
        Object body = object("role", "user", "content", "x");

        for (Session reader : List.of(owner, editor, viewer, admin)) {
            assertThat(api.get(base, reader).status()).isEqualTo(200);
            assertThat(api.get(base + "?last=5", reader).status()).isEqualTo(200);
            assertThat(api.get(base + "/" + m, reader).status()).isEqualTo(200);
        }
        assertThat(api.post(base, viewer, body).code()).isEqualTo("forbidden");
        assertThat(api.post(base + "/batch", viewer, object("messages", List.of(body))).code()).isEqualTo("forbidden");
        assertThat(api.patch(base + "/" + m, viewer, object("content", "y")).code()).isEqualTo("forbidden");
        assertThat(api.delete(base + "/" + m, viewer).code()).isEqualTo("forbidden");
        assertThat(api.put("/api/v1/conversations/" + id + "/leaf", viewer, object("message_id", m)).code())
                .isEqualTo("forbidden");

        assertThat(api.get(base, stranger).code()).isEqualTo("not_found");
        assertThat(api.get(base + "?last=5", stranger).code()).isEqualTo("not_found");
        assertThat(api.get(base + "/" + m, stranger).code()).isEqualTo("not_found");
        assertThat(api.post(base, stranger, body).code()).isEqualTo("not_found");
        assertThat(api.post(base + "/batch", stranger, object("messages", List.of(body))).code()).isEqualTo("not_found");
        assertThat(api.patch(base + "/" + m, stranger, object("content", "y")).code()).isEqualTo("not_found");
        assertThat(api.delete(base + "/" + m, stranger).code()).isEqualTo("not_found");
        assertThat(api.put("/api/v1/conversations/" + id + "/leaf", stranger, object("message_id", m)).code())
                .isEqualTo("not_found");

        assertThat(api.get(base, null).status()).isEqualTo(401);
        assertThat(api.post(base, null, body).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/projects/" + projectId + "/messages", null).status()).isEqualTo(401);

        assertThat(api.post(base, owner, body).status()).isEqualTo(201);
        assertThat(api.post(base, admin, body).status()).isEqualTo(201);
        assertThat(api.patch(base + "/" + m, editor, object("content", "y")).status()).isEqualTo(200);
        assertThat(api.put("/api/v1/conversations/" + id + "/leaf", editor, object("message_id", m)).status())
                .isEqualTo(200);
        assertThat(api.delete(base + "/" + m, editor).status()).isEqualTo(204);

        // a personal conversation: nobody else, not even an admin
        String personal = conversation(owner, null);
        String pm = say(owner, personal, "mine").get("id").asString();
        assertThat(api.get("/api/v1/conversations/" + personal + "/messages", admin).code()).isEqualTo("not_found");
        assertThat(api.get("/api/v1/conversations/" + personal + "/messages/" + pm, admin).code())
                .isEqualTo("not_found");
        assertThat(api.post("/api/v1/conversations/" + personal + "/messages", admin, body).code())
                .isEqualTo("not_found");
    }

    @Test
    void badInputOnEveryMessageRouteIsAClientErrorNamingTheField() {
        Session user = api.newUser("bad");
        String id = conversation(user, null);
        String other = conversation(user, null);
        String foreign = say(user, other, "elsewhere").get("id").asString();
        String m = say(user, id, "hi").get("id").asString();
        String base = "/api/v1/conversations/" + id + "/messages";

        assertField(api.post(base, user, object("role", "wizard", "content", "x")), 400, "role");
        assertField(api.post(base, user, object("content", "x")), 422, "role");
        assertField(api.post(base, user, object("role", "user", "content", "x".repeat(100_001))), 422, "content");
        assertThat(api.post(base, user, object("role", "user", "content", "x".repeat(100_000))).status())
                .isEqualTo(201);
        assertField(api.post(base, user, object("role", "user", "content", "")), 422, "content");
        assertField(api.post(base, user, object("role", "user")), 422, "content");
        assertField(api.post(base, user, object("role", "tool", "content", "r")), 422, "tool_call_id");
        assertField(api.post(base, user, object("role", "user", "content", "r", "tool_call_id", "c")), 422,
                "tool_call_id");
        assertField(api.post(base, user, object("role", "user", "content", "x", "parent_id", foreign)), 422,
                "parent_id");
        assertField(api.post(base, user, object("role", "user", "content", "x", "parent_id", "nope")), 400,
                "parent_id");
        assertField(api.post(base, user, object("role", "user", "content", "x", "metadata", "text")), 422, "metadata");
        assertField(api.post(base, user, object("role", "user", "content", "x", "context_used", List.of())), 422,
                "context_used");
        assertField(api.post(base, user, object("role", "user", "content", "x", "usage",
                object("prompt_tokens", -1, "completion_tokens", 0))), 422, "usage.prompt_tokens");
        assertThat(api.post(base, user, object("role", "user", "content", "x", "usage", object("prompt_tokens", 1)))
                .status()).isEqualTo(422);
        assertThat(api.post(base, user, object("role", "user", "content", "a\u0000b")).status()).isEqualTo(422);
        assertThat(api.post(base, user, object("role", "assistant", "content", "", "tool_calls",
                List.of(Map.of("id", "c", "type", "python", "function", Map.of("name", "f", "arguments", "{}")))))
                .status()).isEqualTo(400);
        assertThat(api.post(base, user, object("role", "assistant", "content", "", "tool_calls",
                List.of(Map.of("id", "c", "type", "function", "function", Map.of("name", "f", "arguments",
                        Map.of()))))).status()).isEqualTo(400);
        assertField(api.post(base, user, object("role", "user", "content", "x", "tool_calls",
                List.of(Map.of("id", "c", "type", "function", "function", Map.of("name", "f", "arguments", "{}"))))),
                422, "tool_calls");
        assertThat(api.post(base, user, object("role", "user", "content", "x", "extra", 1)).status()).isEqualTo(400);
        assertThat(api.post(base, user, "not json").status()).isEqualTo(400);
        assertThat(api.post("/api/v1/conversations/nope/messages", user, object("role", "user", "content", "x"))
                .status()).isEqualTo(400);
        assertThat(api.post(base + "/batch", user, object("messages", "x")).status()).isEqualTo(400);
        assertField(api.post(base + "/batch", user, object()), 422, "messages");

        assertField(api.get(base + "?last=0", user), 400, "last");
        assertField(api.get(base + "?last=1001", user), 400, "last");
        assertField(api.get(base + "?last=ten", user), 400, "last");
        assertField(api.get(base + "?last=5&after=abc", user), 400, "last");
        assertField(api.get(base + "?order=sideways", user), 400, "order");
        assertField(api.get(base + "?limit=101", user), 400, "limit");
        assertThat(api.get(base + "?after=@@@", user).status()).isEqualTo(400);
        assertThat(api.get(base + "?after=Zm9v", user).code()).isEqualTo("invalid_cursor");
        assertThat(api.get("/api/v1/projects/" + java.util.UUID.randomUUID() + "/messages?after=Zm9v", admin).code())
                .isIn("invalid_cursor", "not_found");

        assertThat(api.get(base + "/nope", user).status()).isEqualTo(400);
        assertThat(api.get(base + "/" + foreign, user).code()).isEqualTo("not_found");
        assertThat(api.patch(base + "/" + foreign, user, object("content", "x")).code()).isEqualTo("not_found");
        assertThat(api.delete(base + "/" + foreign, user).code()).isEqualTo("not_found");
        assertField(api.patch(base + "/" + m, user, object("content", "x".repeat(100_001))), 422, "content");
        assertField(api.patch(base + "/" + m, user, object("metadata", 3)), 422, "metadata");
        assertThat(api.patch(base + "/nope", user, object("content", "x")).status()).isEqualTo(400);
        assertThat(api.delete(base + "/nope", user).status()).isEqualTo(400);
        assertField(api.put("/api/v1/conversations/" + id + "/leaf", user, object("message_id", foreign)), 422,
                "message_id");
        assertThat(api.get("/api/v1/projects/nope/messages", user).status()).isEqualTo(400);
    }

    private static void assertField(Response response, int status, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.json().get("errors").get(0).get("field").asString()).as(response.toString())
                .isEqualTo(field);
    }

    @OnSqlite
    static class OnSqliteTest extends MessageApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends MessageApiTests {
    }
}
