package dev.parley.context;

import static dev.parley.support.Api.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.knuddels.jtokkit.api.Encoding;
import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

abstract class ContextApiTests extends ApiTest {

    private final TokenCounter counter = new TokenCounter();

    private String conversation(Session user, Object body) {
        Response created = api.post("/api/v1/conversations", user, body);
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private JsonNode append(Session user, String id, Object body) {
        Response created = api.post("/api/v1/conversations/" + id + "/messages", user, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    /** What a message costs in the context, by the documented recipe. */
    private int cost(String model, JsonNode m) {
        Encoding e = counter.encodingFor(model);
        int cost = 3 + counter.count(e, m.get("role").asString()) + counter.count(e, m.get("content").asString());
        if (m.hasNonNull("tool_calls")) {
            cost += counter.count(e, m.get("tool_calls").toString());
        }
        if (m.hasNonNull("tool_call_id")) {
            cost += counter.count(e, m.get("tool_call_id").asString());
        }
        if (m.hasNonNull("name")) {
            cost += 1 + counter.count(e, m.get("name").asString());
        }
        return cost;
    }

    private JsonNode context(Session user, String id, String query) {
        Response response = api.get("/api/v1/conversations/" + id + "/context" + query, user);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static List<String> contents(JsonNode context) {
        List<String> out = new ArrayList<>();
        context.get("messages").forEach(m -> out.add(m.get("content").asString()));
        return out;
    }

    @Test
    void theContextStartsWithTheProjectsInstructionsAndGoals() {
        Session user = api.newUser("ctx");
        String projectId = api.post("/api/v1/projects", user, object("name", "p", "custom_instructions", "Be terse.",
                "goals", "Ship the bracket.")).json().get("id").asString();
        String id = conversation(user, object("project_id", projectId));
        JsonNode hi = append(user, id, object("role", "user", "content", "Hi", "name", "ann"));
        JsonNode hello = append(user, id, object("role", "assistant", "content", "Hello! How can I help?"));
        JsonNode context = context(user, id, "?model=gpt-4o");

        ObjectNode system = object("role", "system", "content", "Be terse.\n\nProject goals:\nShip the bracket.");
        int tokens = 3 + cost("gpt-4o", system) + cost("gpt-4o", hi) + cost("gpt-4o", hello);
        ObjectNode expected = object("model", "gpt-4o");
        ArrayNode messages = expected.putArray("messages");
        messages.add(system);
        messages.add(object("role", "user", "content", "Hi", "name", "ann"));
        messages.add(object("role", "assistant", "content", "Hello! How can I help?"));
        expected.put("token_count", tokens).put("max_tokens", 128_000).put("truncated", false)
                .put("omitted_messages", 0).putArray("sources");
        assertThat(context).isEqualTo(expected);
    }

    @Test
    void theNewestMessagesThatFitAreKeptAtEveryBudget() {
        Session user = api.newUser("trunc");
        String id = conversation(user, object());
        List<JsonNode> sent = new ArrayList<>();
        for (String text : List.of("one", "two two", "three three three", "four four four four", "five")) {
            sent.add(append(user, id, object("role", "user", "content", text)));
        }
        int[] costs = sent.stream().mapToInt(m -> cost(null, m)).toArray();
        int all = 3;
        for (int c : costs) {
            all += c;
        }
        int lastTwo = 3 + costs[3] + costs[4];

        JsonNode full = context(user, id, "?max_tokens=" + all);
        assertThat(contents(full)).hasSize(5);
        assertThat(full.get("token_count").asInt()).isEqualTo(all);
        assertThat(full.get("truncated").asBoolean()).isFalse();
        assertThat(full.get("model").isNull()).isTrue();

        JsonNode one = context(user, id, "?max_tokens=" + (all - 1));
        assertThat(contents(one)).containsExactly("two two", "three three three", "four four four four", "five");
        assertThat(one.get("omitted_messages").asInt()).isEqualTo(1);
        assertThat(one.get("truncated").asBoolean()).isTrue();
        assertThat(one.get("max_tokens").asInt()).isEqualTo(all - 1);

        JsonNode two = context(user, id, "?max_tokens=" + lastTwo);
        assertThat(contents(two)).containsExactly("four four four four", "five");
        assertThat(two.get("token_count").asInt()).isEqualTo(lastTwo);
        assertThat(two.get("omitted_messages").asInt()).isEqualTo(3);

        JsonNode justUnder = context(user, id, "?max_tokens=" + (lastTwo - 1));
        assertThat(contents(justUnder)).containsExactly("five");

        JsonNode none = context(user, id, "?max_tokens=3");
        assertThat(none.get("messages").size()).isZero();
        assertThat(none.get("token_count").asInt()).isEqualTo(3);
        assertThat(none.get("omitted_messages").asInt()).isEqualTo(5);

        assertThat(context(user, id, "").get("max_tokens").asInt()).isEqualTo(8192);
    }

    @Test
    void anEditedMessageAndAnotherModelAreCountedAfresh() {
        Session user = api.newUser("recount");
        String id = conversation(user, object());
        JsonNode message = append(user, id, object("role", "user", "content", "short"));
        assertThat(context(user, id, "").get("token_count").asInt()).isEqualTo(3 + cost(null, message));

        // the counts of stored messages are remembered between requests: an edit must not reuse them
        String edited = "a much longer text now, with many more words than the five letters before, "
                + "so that its count differs by far: антипасти, 数据库, émigré";
        Response patched = api.patch("/api/v1/conversations/" + id + "/messages/" + message.get("id").asString(), user,
                object("content", edited));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(context(user, id, "").get("token_count").asInt()).isEqualTo(3 + cost(null, patched.json()));
        // nor another model's tokenizer
        assertThat(context(user, id, "?model=gpt-4o").get("token_count").asInt())
                .isEqualTo(3 + cost("gpt-4o", patched.json()))
                .isNotEqualTo(3 + cost(null, patched.json()));
    }

    @Test
    void aToolCallAndItsResultsAreKeptOrDroppedTogether() {
        Session user = api.newUser("toolctx");
        String id = conversation(user, object("model_id", "gpt-4o-mini"));
        JsonNode orphan = append(user, id, object("role", "tool", "content", "stale result", "tool_call_id", "gone"));
        JsonNode question = append(user, id, object("role", "user", "content", "Weather in Bern and Basel?"));
        List<Object> calls = List.of(
                Map.of("id", "c1", "type", "function", "function", Map.of("name", "weather", "arguments", "{\"city\":\"Bern\"}")),
                Map.of("id", "c2", "type", "function", "function", Map.of("name", "weather", "arguments", "{\"city\":\"Basel\"}")));
        JsonNode call = append(user, id, object("role", "assistant", "content", "", "tool_calls", calls));
        JsonNode r1 = append(user, id, object("role", "tool", "content", "12C", "tool_call_id", "c1"));
        JsonNode r2 = append(user, id, object("role", "tool", "content", "14C", "tool_call_id", "c2"));
        JsonNode answer = append(user, id, object("role", "assistant", "content", "Bern 12C, Basel 14C."));
        String model = "gpt-4o-mini";
        int group = cost(model, call) + cost(model, r1) + cost(model, r2);
        int withGroup = 3 + cost(model, answer) + group;

        JsonNode cut = context(user, id, "?max_tokens=" + (withGroup - 1));
        assertThat(contents(cut)).containsExactly("Bern 12C, Basel 14C.");
        assertThat(cut.get("omitted_messages").asInt()).isEqualTo(5);

        JsonNode kept = context(user, id, "?max_tokens=" + withGroup);
        assertThat(kept.get("model").asString()).isEqualTo(model);
        assertThat(contents(kept)).containsExactly("", "12C", "14C", "Bern 12C, Basel 14C.");
        JsonNode sentCall = kept.get("messages").get(0);
        assertThat(sentCall.get("tool_calls")).isEqualTo(Api.JSON.valueToTree(calls));
        assertThat(sentCall.has("tool_call_id")).isFalse();
        assertThat(kept.get("messages").get(1).get("tool_call_id").asString()).isEqualTo("c1");
        assertThat(kept.get("token_count").asInt()).isEqualTo(withGroup);

        // everything fits, yet the tool result whose call is not on the branch is never sent
        JsonNode everything = context(user, id, "?max_tokens=100000");
        assertThat(contents(everything)).containsExactly("Weather in Bern and Basel?", "", "12C", "14C",
                "Bern 12C, Basel 14C.");
        assertThat(everything.get("omitted_messages").asInt()).isEqualTo(1);
        assertThat(everything.get("truncated").asBoolean()).isTrue();
        assertThat(orphan.get("seq").asInt()).isEqualTo(1);
        assertThat(question.get("seq").asInt()).isEqualTo(2);
    }

    @Test
    void theContextFollowsTheActiveBranchAcrossManyChunks() {
        Session user = api.newUser("chunks");
        String id = conversation(user, object());
        List<Object> batch = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            batch.add(object("role", "user", "content", "m" + i));
        }
        JsonNode created = api.post("/api/v1/conversations/" + id + "/messages/batch", user, object("messages", batch))
                .json().get("data");
        append(user, id, object("role", "user", "content", "branch", "parent_id", created.get(149).get("id").asString()));
        JsonNode context = context(user, id, "?max_tokens=100000");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            expected.add("m" + i);
        }
        expected.add("branch");
        assertThat(contents(context)).isEqualTo(expected);
        assertThat(context.get("omitted_messages").asInt()).isZero();
        JsonNode tight = context(user, id, "?max_tokens=60");
        assertThat(tight.get("omitted_messages").asInt() + tight.get("messages").size()).isEqualTo(151);
    }

    @Test
    void aProjectThatSpentItsBudgetGetsNoMoreContext() {
        Session user = api.newUser("budget");
        String projectId = api.post("/api/v1/projects", user, object("name", "b", "max_tokens", 100)).json()
                .get("id").asString();
        String id = conversation(user, object("project_id", projectId));
        append(user, id, object("role", "assistant", "content", "a", "usage",
                object("prompt_tokens", 60, "completion_tokens", 39)));
        assertThat(api.get("/api/v1/conversations/" + id + "/context", user).status()).isEqualTo(200);
        append(user, id, object("role", "assistant", "content", "b", "usage",
                object("prompt_tokens", 1, "completion_tokens", 0)));
        Response refused = api.get("/api/v1/conversations/" + id + "/context", user);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("token_budget_exhausted");
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        api.patch("/api/v1/projects/" + projectId, user, object("max_tokens", 1000));
        assertThat(api.get("/api/v1/conversations/" + id + "/context", user).status()).isEqualTo(200);
    }

    @Test
    void viewersReadTheContextAndNobodyElseSeesIt() {
        Session owner = api.newUser("owner");
        Session viewer = api.newUser("viewer");
        Session stranger = api.newUser("stranger");
        String projectId = api.post("/api/v1/projects", owner, object("name", "p")).json().get("id").asString();
        api.put("/api/v1/projects/" + projectId + "/members/" + viewer.userId(), owner, object("role", "viewer"));
        String id = conversation(owner, object("project_id", projectId));
        String personal = conversation(owner, object());
        assertThat(api.get("/api/v1/conversations/" + id + "/context", viewer).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/conversations/" + id + "/context", admin).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/conversations/" + id + "/context", stranger).code()).isEqualTo("not_found");
        assertThat(api.get("/api/v1/conversations/" + personal + "/context", admin).code()).isEqualTo("not_found");
        assertThat(api.get("/api/v1/conversations/" + personal + "/context", owner).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/conversations/" + id + "/context", null).status()).isEqualTo(401);
    }

    @Test
    void badContextParametersAreClientErrors() {
        Session user = api.newUser("badctx");
        String projectId = api.post("/api/v1/projects", user, object("name", "p", "custom_instructions",
                "A long instruction that costs more than five tokens for sure.")).json().get("id").asString();
        String id = conversation(user, object("project_id", projectId));
        String base = "/api/v1/conversations/" + id + "/context";
        for (String bad : List.of("?max_tokens=0", "?max_tokens=2000001", "?max_tokens=lots", "?max_tokens=-5")) {
            Response response = api.get(base + bad, user);
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("max_tokens");
        }
        assertThat(api.get(base + "?model=" + "m".repeat(201), user).status()).isEqualTo(400);
        Response longQuery = api.get(base + "?query=" + "q".repeat(2001), user);
        assertThat(longQuery.status()).isEqualTo(400);
        assertThat(longQuery.json().get("errors").get(0).get("field").asString()).isEqualTo("query");
        assertThat(api.get(base + "?query=" + "q".repeat(2000), user).status()).isEqualTo(200);
        Response longModel = api.get(base + "?model=" + "m".repeat(201), user);
        assertThat(longModel.json().get("errors").get(0).get("field").asString()).isEqualTo("model");
        assertThat(api.get("/api/v1/conversations/nope/context", user).status()).isEqualTo(400);
        Response tooSmall = api.get(base + "?max_tokens=5", user);
        assertThat(tooSmall.status()).isEqualTo(422);
        assertThat(tooSmall.json().get("errors").get(0).get("field").asString()).isEqualTo("max_tokens");
        assertThat(api.get(base + "?max_tokens=2000000", user).status()).isEqualTo(200);
    }

    @OnSqlite
    static class OnSqliteTest extends ContextApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends ContextApiTests {
    }
}
