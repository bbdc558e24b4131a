package dev.parley.web;

import static dev.parley.support.Api.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The API's conventions for bad input: every mistake is a problem document, never a 500. */
abstract class ConventionsApiTests extends ApiTest {

    /** Asserts a whole problem document: its members, status, code and (when given) the field named. */
    private static JsonNode assertProblem(Response response, int status, String code, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as(response.toString()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.propertyNames()).containsExactly("type", "title", "status", "detail", "instance", "code",
                "errors");
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("code").asString()).isEqualTo(code);
        assertThat(problem.get("type").asString()).isEqualTo("urn:parley:problem:" + code);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        assertThat(problem.get("instance").asString()).startsWith("/");
        assertThat(problem.get("errors").isArray()).isTrue();
        if (field != null) {
            assertThat(problem.get("errors").findValuesAsString("field")).contains(field);
            problem.get("errors").forEach(error -> assertThat(error.get("message").asString()).isNotBlank());
        }
        assertThat(response.text()).doesNotContain("Exception").doesNotContain("at dev.parley")
                .doesNotContain("tools.jackson");
        return problem;
    }

    @Test
    void malformedJsonIs400() {
        Session user = api.newUser("malformed");
        JsonNode problem = assertProblem(api.post("/api/v1/projects", user, "{\"name\": "), 400, "malformed_json", null);
        assertThat(problem.get("instance").asString()).isEqualTo("/api/v1/projects");
        assertProblem(api.post("/api/v1/projects", user, "not json at all"), 400, "malformed_json", null);
        assertProblem(api.post("/api/v1/projects", user, "{\"name\": \"a\"} trailing"), 400, "malformed_json", null);
        assertThat(api.post("/api/v1/projects", user, "{\"name\":\"a\",\"name\":\"b\"}").status()).isEqualTo(400);
        assertThat(api.send("POST", "/api/v1/projects", user, "", Map.of()).status()).isEqualTo(400);
    }

    @Test
    void aWrongTypeIs400NamingTheField() {
        Session user = api.newUser("types");
        assertProblem(api.post("/api/v1/projects", user, object("name", 42)), 400, "invalid_field", "name");
        assertProblem(api.post("/api/v1/projects", user, object("name", "x", "pinned", "yes")), 400, "invalid_field",
                "pinned");
        assertProblem(api.post("/api/v1/projects", user, object("name", "x", "current_version", "2")), 400,
                "invalid_field", "current_version");
        assertProblem(api.post("/api/v1/projects", user, object("name", "x", "current_version", 1.5)), 400,
                "invalid_field", "current_version");
        // an empty string is not a missing value: it is a bad UUID, a bad enum value, a bad object
        assertProblem(api.post("/api/v1/conversations", user, object("project_id", "")), 400, "invalid_field",
                "project_id");
        String conversation = api.post("/api/v1/conversations", user, object("title", "t")).json().get("id").asString();
        assertProblem(api.patch("/api/v1/conversations/" + conversation, user, object("project_id", "")), 400,
                "invalid_field", "project_id");
        assertProblem(api.post("/api/v1/projects", user, object("name", "x", "status", "")), 400, "invalid_field",
                "status");
        assertProblem(api.post("/api/v1/conversations/" + conversation + "/messages", user,
                object("role", "assistant", "content", "x", "usage", "")), 400, "invalid_field", "usage");
        // a PATCH body is read the same way (it also learns which members were null)
        String project = api.post("/api/v1/projects", user, object("name", "x")).json().get("id").asString();
        assertProblem(api.patch("/api/v1/projects/" + project, user, object("pinned", "yes")), 400, "invalid_field",
                "pinned");
        assertProblem(api.patch("/api/v1/projects/" + project, user, object("colour", null)), 400, "invalid_field",
                "colour");
        assertThat(api.patch("/api/v1/projects/" + project, user, "[1, 2]").status()).isEqualTo(400);
        Response array = api.post("/api/v1/projects", user, "[1, 2]");
        assertThat(array.status()).isEqualTo(400);
        // said in the API's words, not the server's class names
        assertThat(array.json().get("detail").asString()).isEqualTo("the body must be a JSON object")
                .doesNotContain("dev.parley");
        assertThat(array.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void onlyJsonIsRead() {
        Session user = api.newUser("yaml");
        for (String type : List.of("application/yaml", "application/xml", "text/xml")) {
            Response refused = api.send("POST", "/api/v1/projects", user, "name: x\nmetadata: {}\n",
                    Map.of("Content-Type", type));
            assertThat(refused.status()).as(type).isEqualTo(415);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        }
        assertThat(api.get("/api/v1/projects", user).json().get("data")).isEmpty();
    }

    @Test
    void anIntegerOutOfRangeIs400NamingTheField() {
        Session user = api.newUser("ranges");
        JsonNode problem = assertProblem(api.post("/api/v1/projects", user,
                "{\"name\":\"x\",\"max_tokens\":99999999999999999999999}"), 400, "invalid_field", "max_tokens");
        assertThat(problem.get("errors").get(0).get("message").asString()).contains("out of range");
        String project = api.post("/api/v1/projects", user, object("name", "x")).json().get("id").asString();
        String conversation = api.post("/api/v1/conversations", user, object("project_id", project)).json()
                .get("id").asString();
        assertProblem(api.post("/api/v1/conversations/" + conversation + "/messages", user,
                "{\"role\":\"assistant\",\"content\":\"x\",\"usage\":{\"prompt_tokens\":99999999999999999999999}}"), 400,
                "invalid_field", "usage.prompt_tokens");
        assertProblem(api.post("/api/v1/conversations/" + conversation + "/messages/batch", user,
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},"
                        + "{\"role\":\"assistant\",\"content\":\"y\",\"usage\":{\"completion_tokens\":-99999999999999999999}}]}"),
                400, "invalid_field", "messages[1].usage.completion_tokens");
    }

    @Test
    void anUnknownEnumValueIs400NamingTheField() {
        Session user = api.newUser("enums");
        JsonNode problem = assertProblem(api.post("/api/v1/projects", user, object("name", "x", "status", "finished")),
                400, "invalid_field", "status");
        assertThat(problem.get("errors").get(0).get("message").asString()).contains("draft");
        assertProblem(api.post("/api/v1/projects", user, object("name", "x", "status", "DRAFT")), 400, "invalid_field",
                "status");
    }

    @Test
    void anUnknownFieldIs400NamingIt() {
        Session user = api.newUser("unknown");
        assertProblem(api.post("/api/v1/projects", user, object("name", "x", "colour", "red")), 400, "invalid_field",
                "colour");
        assertProblem(api.post("/api/v1/projects", user, object("name", "x", "token_usage", 5)), 400, "invalid_field",
                "token_usage");
    }

    @Test
    void aBadUuidInThePathIs400NamingIt() {
        Session user = api.newUser("uuid");
        assertProblem(api.get("/api/v1/projects/not-a-uuid", user), 400, "invalid_parameter", "id");
        assertProblem(api.get("/api/v1/projects/123", user), 400, "invalid_parameter", "id");
    }

    @Test
    void anOverLongFieldIs422NamingIt() {
        Session user = api.newUser("long");
        assertProblem(api.post("/api/v1/projects", user, object("name", "x".repeat(201))), 422, "validation_failed",
                "name");
        assertProblem(api.post("/api/v1/projects", user, object("name", "x", "default_model", "m".repeat(201))), 422,
                "validation_failed", "default_model");
    }

    @Test
    void anUnknownRouteIs404() {
        Session user = api.newUser("route");
        assertProblem(api.get("/api/v1/no-such-thing", user), 404, "not_found", null);
        assertProblem(api.get("/api/v1/projects/" + java.util.UUID.randomUUID() + "/nothing", user), 404, "not_found",
                null);
    }

    @Test
    void aWrongMethodIs405WithAllow() {
        Session user = api.newUser("method");
        Response response = api.delete("/api/v1/projects", user);
        assertProblem(response, 405, "method_not_allowed", null);
        assertThat(response.header("Allow")).contains("GET").contains("POST");
        assertProblem(api.send("PUT", "/api/v1/me", user, object(), Map.of()), 405, "method_not_allowed", null);
    }

    @Test
    void aWrongContentTypeIs415() {
        Session user = api.newUser("media");
        assertProblem(api.send("POST", "/api/v1/projects", user, "name=x",
                Map.of("Content-Type", "application/x-www-form-urlencoded")), 415, "unsupported_media_type", null);
        assertProblem(api.send("POST", "/api/v1/projects", user, "{\"name\":\"x\"}",
                Map.of("Content-Type", "text/plain")), 415, "unsupported_media_type", null);
    }

    @Test
    void aBodyOverTheLimitIs413() {
        Session user = api.newUser("big");
        byte[] body = ("{\"name\":\"x\",\"description\":\"" + "a".repeat(13 * 1024 * 1024) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertProblem(api.send("POST", "/api/v1/projects", user, body, Map.of()), 413, "payload_too_large", null);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        Session user = api.newUser("chunked");
        byte[] body = ("{\"name\":\"x\",\"description\":\"" + "a".repeat(13 * 1024 * 1024) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/projects"))
                .header("Authorization", "Bearer " + user.accessToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newHttpClient()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    @Test
    void aBodyJustUnderTheLimitIsReadAndJudgedOnItsMerits() {
        Session user = api.newUser("under");
        // 11 MiB of description: within the body limit, far over the field's own limit
        Response response = api.post("/api/v1/projects", user, object("name", "x", "description",
                "a".repeat(11 * 1024 * 1024)));
        assertProblem(response, 422, "validation_failed", "description");
    }

    @Test
    void limitMustBeAnIntegerFromOneToOneHundred() {
        Session user = api.newUser("limits");
        for (String limit : new String[] {"0", "101", "abc", "-1", "1.5", "99999999999"}) {
            assertProblem(api.get("/api/v1/projects?limit=" + limit, user), 400, "invalid_parameter", "limit");
        }
        assertThat(api.get("/api/v1/projects?limit=1", user).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/projects?limit=100", user).status()).isEqualTo(200);
        assertProblem(api.get("/api/v1/admin/users?limit=0", admin), 400, "invalid_parameter", "limit");
    }

    @Test
    void aMalformedCursorIs400() {
        Session user = api.newUser("cursor");
        for (String cursor : new String[] {"garbage!!", "Zm9v", "AAAA", "x".repeat(2000), "%00"}) {
            assertProblem(api.get("/api/v1/projects?after=" + cursor, user), 400, "invalid_cursor", "after");
        }
        assertProblem(api.get("/api/v1/admin/users?after=Zm9v", admin), 400, "invalid_cursor", "after");
    }

    @Test
    void deeplyNestedJsonIs400NotAServerError() {
        Session user = api.newUser("deep");
        String deepArray = "[".repeat(10_000) + "]".repeat(10_000);
        assertProblem(api.post("/api/v1/projects", user, "{\"name\":\"x\",\"metadata\":{\"a\":" + deepArray + "}}"), 400,
                "malformed_json", null);
        String deepObject = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        assertThat(api.post("/api/v1/projects", user, "{\"name\":\"x\",\"metadata\":" + deepObject + "}").status())
                .isEqualTo(400);
        assertThat(api.patch("/api/v1/me", user, "{\"preferences\":" + deepObject + "}").status()).isEqualTo(400);
    }

    @Test
    void textNoDatabaseCanStoreIs422NamingTheField() {
        Session user = api.newUser("nul");
        assertProblem(api.post("/api/v1/projects", user, "{\"name\":\"a\\u0000b\"}"), 422, "validation_failed", "name");
        assertProblem(api.post("/api/v1/projects", user, "{\"name\":\"x\",\"metadata\":{\"k\":\"a\\u0000b\"}}"), 422,
                "validation_failed", "metadata");
        assertProblem(api.post("/api/v1/projects", user, "{\"name\":\"\\ud800\"}"), 422, "validation_failed", "name");
    }

    @Test
    void aBrokenRuleIs422WithTheFieldNamed() {
        Session user = api.newUser("rules");
        assertProblem(api.post("/api/v1/projects", user, object("name", "x", "max_tokens", 0)), 422, "validation_failed",
                "max_tokens");
        assertProblem(api.post("/api/v1/projects", user, object("name", "x", "current_version", 0)), 422,
                "validation_failed", "current_version");
    }

    @Test
    void oddButPossibleRequestsAreClientErrorsToo() {
        Session user = api.newUser("odd");
        assertProblem(api.post("/api/v1/projects", user, "null"), 400, "malformed_json", null);
        assertProblem(api.patch("/api/v1/me", user, "null"), 400, "malformed_json", null);
        Response xml = api.send("GET", "/api/v1/me", user, null, Map.of("Accept", "application/xml"));
        assertThat(xml.status()).isEqualTo(406);
        Response ids = api.get("/api/v1/projects/" + "0".repeat(36), user);
        assertThat(ids.status()).isIn(400, 404);
    }

    @Test
    void errorAnswersAreNeverCached() {
        Session user = api.newUser("cache");
        assertThat(api.get("/api/v1/projects/not-a-uuid", user).header("Cache-Control")).contains("no-store");
        assertThat(api.get("/api/v1/me", null).header("Cache-Control")).contains("no-store");
    }

    @Test
    void listsHaveTheListShape() {
        Session user = api.newUser("shape");
        JsonNode list = api.get("/api/v1/projects", user).json();
        assertThat(list.propertyNames()).containsExactlyInAnyOrder("data", "has_more", "next_cursor");
        assertThat(list.get("data").isArray()).isTrue();
        assertThat(list.get("has_more").asBoolean()).isFalse();
        assertThat(list.get("next_cursor").isNull()).isTrue();
    }

    @OnSqlite
    static class OnSqliteTest extends ConventionsApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends ConventionsApiTests {
    }
}
