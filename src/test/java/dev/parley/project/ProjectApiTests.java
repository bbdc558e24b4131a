package dev.parley.project;

import static dev.parley.support.Api.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

abstract class ProjectApiTests extends ApiTest {

    private String create(Session owner, Object body) {
        Response created = api.post("/api/v1/projects", owner, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private String create(Session owner, String name) {
        return create(owner, object("name", name));
    }

    private JsonNode project(Session caller, String id) {
        Response got = api.get("/api/v1/projects/" + id, caller);
        assertThat(got.status()).as(got.toString()).isEqualTo(200);
        return got.json();
    }

    private void addMember(Session owner, String projectId, Session member, String role) {
        Response put = api.put("/api/v1/projects/" + projectId + "/members/" + member.userId(), owner,
                object("role", role));
        assertThat(put.status()).as(put.toString()).isIn(200, 201);
    }

    private List<String> listIds(Session caller, String query) {
        Response list = api.get("/api/v1/projects" + query, caller);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        list.json().get("data").forEach(p -> ids.add(p.get("id").asString()));
        return ids;
    }

    private static void assertField(Response response, int status, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("errors").findValuesAsString("field")).contains(field);
    }

    @Test
    void aCreatedProjectIsVisibleToItsOwnerOnly() {
        Session owner = api.newUser("owner");
        Session stranger = api.newUser("stranger");
        Response created = api.post("/api/v1/projects", owner, Api.object("name", "CAD bracket"));
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(created.header("Location")).isEqualTo("/api/v1/projects/" + id);

        assertThat(api.get("/api/v1/projects/" + id, owner).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/projects/" + id, stranger).code()).isEqualTo("not_found");
    }

    @Test
    void nullClearsATextSettingAndLeavingItOutKeepsIt() {
        Session owner = api.newUser("owner");
        String id = api.post("/api/v1/projects", owner, Api.object("name", "p", "description", "d", "goals", "g",
                "custom_instructions", "be brief", "default_model", "gpt-4o")).json().get("id").asString();
        JsonNode patched = api.patch("/api/v1/projects/" + id, owner,
                Api.object("description", null, "custom_instructions", null, "default_model", null)).json();
        assertThat(patched.get("description").isNull()).isTrue();
        assertThat(patched.get("custom_instructions").isNull()).isTrue();
        assertThat(patched.get("default_model").isNull()).isTrue();
        assertThat(patched.get("goals").asString()).isEqualTo("g");
        assertThat(patched.get("name").asString()).isEqualTo("p");
        // clearing is a change of settings: an editor may not
        Session editor = api.newUser("editor");
        api.put("/api/v1/projects/" + id + "/members/" + editor.userId(), owner, Api.object("role", "editor"));
        assertThat(api.patch("/api/v1/projects/" + id, editor, Api.object("goals", null)).status()).isEqualTo(403);
        // a member that cannot be cleared is refused, not silently kept
        Response nameless = api.patch("/api/v1/projects/" + id, owner, Api.object("name", null));
        assertThat(nameless.status()).isEqualTo(422);
        assertThat(nameless.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
        assertThat(api.patch("/api/v1/projects/" + id, owner, Api.object("pinned", null)).status()).isEqualTo(422);
        assertThat(api.get("/api/v1/projects/" + id, owner).json().get("name").asString()).isEqualTo("p");
    }

    @Test
    void aNewProjectHasTheDocumentedShapeAndDefaults() {
        Session owner = api.newUser("shape");
        Response created = api.post("/api/v1/projects", owner, object("name", "  Bracket  "));
        JsonNode p = created.json();
        assertThat(p.propertyNames()).containsExactlyInAnyOrder("id", "name", "description", "goals",
                "custom_instructions", "default_model", "status", "current_version", "pinned", "archived", "is_default",
                "token_usage", "max_tokens", "metadata", "created_at", "updated_at");
        assertThat(UUID.fromString(p.get("id").asString()).version()).isEqualTo(7);
        assertThat(p.get("name").asString()).isEqualTo("Bracket");
        assertThat(p.get("status").asString()).isEqualTo("draft");
        assertThat(p.get("current_version").asInt()).isEqualTo(1);
        assertThat(p.get("pinned").asBoolean()).isFalse();
        assertThat(p.get("archived").asBoolean()).isFalse();
        assertThat(p.get("is_default").asBoolean()).isFalse();
        assertThat(p.get("token_usage").asLong()).isZero();
        assertThat(p.get("max_tokens").asLong()).isEqualTo(200_000);
        assertThat(p.get("metadata").isObject()).isTrue();
        assertThat(p.get("description").isNull()).isTrue();
        assertThat(p.get("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(project(owner, p.get("id").asString())).isEqualTo(p);
    }

    @Test
    void everyFieldCanBeSetAtCreation() {
        Session owner = api.newUser("full");
        Response created = api.post("/api/v1/projects", owner, object("name", "Full", "description", "d", "goals", "g",
                "custom_instructions", "be brief", "default_model", "gpt-4o", "status", "processing",
                "current_version", 3, "pinned", true, "is_default", true, "max_tokens", 5000,
                "metadata", Map.of("k", List.of(1, 2))));
        JsonNode p = created.json();
        assertThat(p.get("custom_instructions").asString()).isEqualTo("be brief");
        assertThat(p.get("status").asString()).isEqualTo("processing");
        assertThat(p.get("current_version").asInt()).isEqualTo(3);
        assertThat(p.get("pinned").asBoolean()).isTrue();
        assertThat(p.get("is_default").asBoolean()).isTrue();
        assertThat(p.get("max_tokens").asLong()).isEqualTo(5000);
        assertThat(p.get("metadata").get("k").get(1).asInt()).isEqualTo(2);
    }

    @Test
    void theCreatorIsTheOwnerMember() {
        Session owner = api.newUser("creator");
        String id = create(owner, "Members");
        JsonNode members = api.get("/api/v1/projects/" + id + "/members", owner).json();
        assertThat(members.get("data")).hasSize(1);
        JsonNode member = members.get("data").get(0);
        assertThat(member.get("user_id").asString()).isEqualTo(owner.userId().toString());
        assertThat(member.get("username").asString()).isEqualTo(owner.username());
        assertThat(member.get("role").asString()).isEqualTo("owner");
        assertThat(members.get("has_more").asBoolean()).isFalse();
    }

    @Test
    void theNameMustHaveOneToTwoHundredCharacters() {
        Session owner = api.newUser("names");
        assertField(api.post("/api/v1/projects", owner, object("name", "")), 422, "name");
        assertField(api.post("/api/v1/projects", owner, object("name", "   ")), 422, "name");
        assertField(api.post("/api/v1/projects", owner, object("name", "x".repeat(201))), 422, "name");
        assertField(api.post("/api/v1/projects", owner, object()), 422, "name");
        create(owner, "x".repeat(200));
        create(owner, "x");
        String id = create(owner, "renamed");
        assertField(api.patch("/api/v1/projects/" + id, owner, object("name", "")), 422, "name");
        assertField(api.patch("/api/v1/projects/" + id, owner, object("name", " ")), 422, "name");
        assertField(api.patch("/api/v1/projects/" + id, owner, object("name", "y".repeat(201))), 422, "name");
    }

    @Test
    void metadataMustBeAnObject() {
        Session owner = api.newUser("meta");
        assertField(api.post("/api/v1/projects", owner, object("name", "m", "metadata", List.of(1))), 422, "metadata");
        assertField(api.post("/api/v1/projects", owner, object("name", "m", "metadata", "text")), 422, "metadata");
        String id = create(owner, "m");
        assertField(api.patch("/api/v1/projects/" + id, owner, object("metadata", 5)), 422, "metadata");
        Response ok = api.patch("/api/v1/projects/" + id, owner, object("metadata", Map.of("cad", Map.of("units", "mm"))));
        assertThat(ok.json().get("metadata").get("cad").get("units").asString()).isEqualTo("mm");
    }

    @Test
    void patchChangesOnlyTheFieldsGivenAndMovesUpdatedAt() throws Exception {
        Session owner = api.newUser("patch");
        String id = create(owner, object("name", "Before", "description", "keep me"));
        JsonNode before = project(owner, id);
        Thread.sleep(5);
        Response patched = api.patch("/api/v1/projects/" + id, owner, object("name", "After", "goals", "ship it"));
        assertThat(patched.status()).isEqualTo(200);
        JsonNode after = patched.json();
        assertThat(after.get("name").asString()).isEqualTo("After");
        assertThat(after.get("goals").asString()).isEqualTo("ship it");
        assertThat(after.get("description").asString()).isEqualTo("keep me");
        assertThat(after.get("created_at")).isEqualTo(before.get("created_at"));
        assertThat(after.get("updated_at").asString()).isGreaterThan(before.get("updated_at").asString());
        assertThat(project(owner, id)).isEqualTo(after);
    }

    @Test
    void concurrentPatchesOfDifferentFieldsAreAllKept() throws Exception {
        Session owner = api.newUser("patches");
        List<String> fields = List.of("description", "goals", "custom_instructions", "default_model");
        for (int round = 0; round < 3; round++) {
            String id = create(owner, "concurrent");
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(fields.size())) {
                List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
                for (String field : fields) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return api.patch("/api/v1/projects/" + id, owner, object(field, "set " + field)).status();
                    }));
                }
                start.countDown();
                for (var answer : answers) {
                    assertThat(answer.get()).isEqualTo(200);
                }
            }
            JsonNode project = project(owner, id);
            for (String field : fields) {
                assertThat(project.get(field).asString()).as("round " + round + ": " + field).isEqualTo("set " + field);
            }
        }
    }

    @Test
    void theListShowsPinnedFirstThenMostRecentlyUpdated() throws Exception {
        Session owner = api.newUser("order");
        String a = create(owner, "a");
        Thread.sleep(3);
        String b = create(owner, "b");
        Thread.sleep(3);
        String c = create(owner, object("name", "c", "pinned", true));
        Thread.sleep(3);
        String d = create(owner, "d");
        Thread.sleep(3);
        api.patch("/api/v1/projects/" + a, owner, object("description", "touched"));
        Thread.sleep(3);
        api.patch("/api/v1/projects/" + b, owner, object("pinned", true));
        assertThat(listIds(owner, "")).containsExactly(b, c, a, d);
    }

    @Test
    void pagesFollowEachOtherWithoutDuplicatesOrGaps() throws Exception {
        Session owner = api.newUser("pages");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(create(owner, object("name", "p" + i, "pinned", i % 3 == 0)));
        }
        List<String> all = listIds(owner, "?limit=100");
        assertThat(all).containsExactlyInAnyOrderElementsOf(created);

        List<String> walked = new ArrayList<>();
        String after = null;
        do {
            Response page = api.get("/api/v1/projects?limit=3" + (after == null ? "" : "&after=" + after), owner);
            JsonNode body = page.json();
            assertThat(body.get("data").size()).isLessThanOrEqualTo(3);
            body.get("data").forEach(p -> walked.add(p.get("id").asString()));
            after = body.get("has_more").asBoolean() ? body.get("next_cursor").asString() : null;
            if (after == null) {
                assertThat(body.get("next_cursor").isNull()).isTrue();
            }
            // a project that sorts before the cursor, made in the middle of paging, disturbs nothing
            if (walked.size() == 3) {
                create(owner, object("name", "late", "pinned", true));
            }
        } while (after != null);
        assertThat(walked).hasSameSizeAs(Set.copyOf(walked));
        assertThat(walked).containsExactlyElementsOf(all);
    }

    @Test
    void theListFiltersByArchivedAndPinned() {
        Session owner = api.newUser("filters");
        String plain = create(owner, "plain");
        String pinned = create(owner, object("name", "pinned", "pinned", true));
        String archived = create(owner, object("name", "archived", "archived", true));
        assertThat(listIds(owner, "?archived=true")).containsExactly(archived);
        assertThat(listIds(owner, "?archived=false")).containsExactlyInAnyOrder(plain, pinned);
        assertThat(listIds(owner, "?pinned=true")).containsExactly(pinned);
        assertThat(listIds(owner, "?pinned=false")).containsExactlyInAnyOrder(plain, archived);
        assertThat(listIds(owner, "?pinned=false&archived=false")).containsExactly(plain);
        assertThat(listIds(owner, "")).containsExactlyInAnyOrder(plain, pinned, archived);
        assertField(api.get("/api/v1/projects?archived=maybe", owner), 400, "archived");
    }

    @Test
    void theListHoldsOnlyProjectsTheCallerIsAMemberOf() {
        Session owner = api.newUser("mine");
        Session other = api.newUser("theirs");
        String mine = create(owner, "mine");
        String shared = create(other, "shared");
        create(other, "private");
        addMember(other, shared, owner, "viewer");
        assertThat(listIds(owner, "")).containsExactlyInAnyOrder(mine, shared);
    }

    @Test
    void archivingClearsPinnedAndDefault() {
        Session owner = api.newUser("archive");
        String id = create(owner, object("name", "flags", "pinned", true, "is_default", true));
        Response archived = api.patch("/api/v1/projects/" + id, owner, object("archived", true));
        assertThat(archived.status()).isEqualTo(200);
        assertThat(archived.json().get("archived").asBoolean()).isTrue();
        assertThat(archived.json().get("pinned").asBoolean()).isFalse();
        assertThat(archived.json().get("is_default").asBoolean()).isFalse();
    }

    @Test
    void askingForArchivedTogetherWithPinnedOrDefaultIs422() {
        Session owner = api.newUser("conflict");
        assertField(api.post("/api/v1/projects", owner, object("name", "x", "archived", true, "pinned", true)), 422,
                "pinned");
        assertField(api.post("/api/v1/projects", owner, object("name", "x", "archived", true, "is_default", true)), 422,
                "is_default");
        String id = create(owner, "x");
        assertField(api.patch("/api/v1/projects/" + id, owner, object("archived", true, "pinned", true)), 422, "pinned");
        assertField(api.patch("/api/v1/projects/" + id, owner, object("archived", true, "is_default", true)), 422,
                "is_default");
        assertThat(project(owner, id).get("archived").asBoolean()).isFalse();

        String archived = create(owner, object("name", "y", "archived", true));
        assertField(api.patch("/api/v1/projects/" + archived, owner, object("pinned", true)), 422, "pinned");
        assertField(api.patch("/api/v1/projects/" + archived, owner, object("is_default", true)), 422, "is_default");
        // unarchiving and pinning in one go is fine
        Response revived = api.patch("/api/v1/projects/" + archived, owner, object("archived", false, "pinned", true));
        assertThat(revived.status()).isEqualTo(200);
        assertThat(revived.json().get("pinned").asBoolean()).isTrue();
    }

    @Test
    void makingAProjectDefaultClearsTheUsersOtherDefault() {
        Session owner = api.newUser("default");
        Session other = api.newUser("otherdefault");
        String othersDefault = create(other, object("name", "theirs", "is_default", true));
        String first = create(owner, object("name", "first", "is_default", true));
        String second = create(owner, object("name", "second", "is_default", true));
        assertThat(project(owner, first).get("is_default").asBoolean()).isFalse();
        assertThat(project(owner, second).get("is_default").asBoolean()).isTrue();

        Response patched = api.patch("/api/v1/projects/" + first, owner, object("is_default", true));
        assertThat(patched.json().get("is_default").asBoolean()).isTrue();
        assertThat(project(owner, second).get("is_default").asBoolean()).isFalse();
        assertThat(project(other, othersDefault).get("is_default").asBoolean()).isTrue();
    }

    @Test
    void aViewerReadsButCannotChange() {
        Session owner = api.newUser("vowner");
        Session viewer = api.newUser("viewer");
        String id = create(owner, "viewed");
        addMember(owner, id, viewer, "viewer");
        assertThat(api.get("/api/v1/projects/" + id, viewer).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/projects/" + id + "/summary", viewer).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/projects/" + id + "/members", viewer).status()).isEqualTo(200);
        Response patch = api.patch("/api/v1/projects/" + id, viewer, object("status", "completed"));
        assertThat(patch.status()).isEqualTo(403);
        assertThat(patch.code()).isEqualTo("forbidden");
        assertThat(api.patch("/api/v1/projects/" + id, viewer, object("name", "mine")).status()).isEqualTo(403);
        assertThat(api.delete("/api/v1/projects/" + id, viewer).status()).isEqualTo(403);
        assertThat(project(owner, id).get("status").asString()).isEqualTo("draft");
    }

    @Test
    void anEditorMovesTheStatusButNotTheSettings() {
        Session owner = api.newUser("eowner");
        Session editor = api.newUser("editor");
        String id = create(owner, "edited");
        addMember(owner, id, editor, "editor");
        Response moved = api.patch("/api/v1/projects/" + id, editor, object("status", "processing", "current_version", 2));
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.json().get("status").asString()).isEqualTo("processing");
        assertThat(moved.json().get("current_version").asInt()).isEqualTo(2);

        for (Object body : List.of(object("name", "n"), object("custom_instructions", "x"), object("pinned", true),
                object("archived", true), object("is_default", true), object("max_tokens", 10),
                object("metadata", Map.of()), object("status", "completed", "description", "d"))) {
            Response refused = api.patch("/api/v1/projects/" + id, editor, body);
            assertThat(refused.status()).as(body.toString()).isEqualTo(403);
        }
        assertThat(api.delete("/api/v1/projects/" + id, editor).status()).isEqualTo(403);
        assertThat(api.put("/api/v1/projects/" + id + "/members/" + owner.userId(), editor, object("role", "viewer"))
                .status()).isEqualTo(403);
        assertThat(project(owner, id).get("status").asString()).isEqualTo("processing");
    }

    @Test
    void anOwnerChangesEverything() {
        Session owner = api.newUser("fowner");
        Session second = api.newUser("sowner");
        String id = create(owner, "owned");
        addMember(owner, id, second, "owner");
        Response patched = api.patch("/api/v1/projects/" + id, second, object("name", "renamed", "custom_instructions",
                "answer in French", "max_tokens", 1000, "pinned", true));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("max_tokens").asLong()).isEqualTo(1000);
        assertThat(api.delete("/api/v1/projects/" + id, second).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/projects/" + id, owner).status()).isEqualTo(404);
    }

    @Test
    void aStrangerGets404OnEveryProjectRoute() {
        Session owner = api.newUser("powner");
        Session stranger = api.newUser("pstranger");
        String id = create(owner, "secret");
        String base = "/api/v1/projects/" + id;
        List<Response> answers = List.of(
                api.get(base, stranger),
                api.patch(base, stranger, object("status", "completed")),
                api.delete(base, stranger),
                api.get(base + "/summary", stranger),
                api.get(base + "/members", stranger),
                api.put(base + "/members/" + stranger.userId(), stranger, object("role", "owner")),
                api.delete(base + "/members/" + owner.userId(), stranger),
                api.delete(base + "/members/" + stranger.userId(), stranger));
        for (Response answer : answers) {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
            assertThat(answer.code()).isEqualTo("not_found");
        }
        // the same answer as for a project that does not exist at all
        Response missing = api.get("/api/v1/projects/" + UUID.randomUUID(), stranger);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("detail")).isEqualTo(answers.getFirst().json().get("detail"));
        assertThat(project(owner, id).get("status").asString()).isEqualTo("draft");
        assertThat(api.get(base + "/members", owner).json().get("data")).hasSize(1);
    }

    @Test
    void anAdminActsAsAnOwnerEverywhere() {
        Session owner = api.newUser("aowner");
        Session newcomer = api.newUser("newcomer");
        String id = create(owner, "administered");
        String base = "/api/v1/projects/" + id;
        assertThat(api.get(base, admin).status()).isEqualTo(200);
        assertThat(api.patch(base, admin, object("name", "by admin")).status()).isEqualTo(200);
        assertThat(api.put(base + "/members/" + newcomer.userId(), admin, object("role", "editor")).status())
                .isEqualTo(201);
        assertThat(api.get(base + "/summary", admin).status()).isEqualTo(200);
        assertThat(api.delete(base, admin).status()).isEqualTo(204);
        assertThat(api.get(base, owner).status()).isEqualTo(404);
    }

    @Test
    void anonymousCallersGet401OnEveryProjectRoute() {
        Session owner = api.newUser("anon");
        String id = create(owner, "x");
        String base = "/api/v1/projects/" + id;
        for (Response answer : List.of(api.get("/api/v1/projects", null),
                api.post("/api/v1/projects", null, object("name", "x")), api.get(base, null),
                api.patch(base, null, object("name", "y")), api.delete(base, null), api.get(base + "/summary", null),
                api.get(base + "/members", null),
                api.put(base + "/members/" + owner.userId(), null, object("role", "viewer")),
                api.delete(base + "/members/" + owner.userId(), null))) {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
            assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        }
    }

    @Test
    void puttingAMemberAnswers201WhenAddedAnd200WhenChanged() {
        Session owner = api.newUser("mowner");
        Session member = api.newUser("member");
        String id = create(owner, "team");
        Response added = api.put("/api/v1/projects/" + id + "/members/" + member.userId(), owner, object("role", "viewer"));
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.header("Location")).isEqualTo("/api/v1/projects/" + id + "/members/" + member.userId());
        JsonNode body = added.json();
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("user_id", "username", "role", "created_at");
        assertThat(body.get("role").asString()).isEqualTo("viewer");
        assertThat(body.get("username").asString()).isEqualTo(member.username());

        Response changed = api.put("/api/v1/projects/" + id + "/members/" + member.userId(), owner,
                object("role", "editor"));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("role").asString()).isEqualTo("editor");
        assertThat(changed.json().get("created_at")).isEqualTo(body.get("created_at"));
        assertThat(api.get("/api/v1/projects/" + id + "/members", owner).json().get("data")).hasSize(2);
    }

    @Test
    void puttingAnUnknownUserIs404AndABadRoleIs400() {
        Session owner = api.newUser("unknownmember");
        String id = create(owner, "team");
        Response unknown = api.put("/api/v1/projects/" + id + "/members/" + UUID.randomUUID(), owner,
                object("role", "viewer"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("not_found");
        Session member = api.newUser("badrole");
        assertField(api.put("/api/v1/projects/" + id + "/members/" + member.userId(), owner, object("role", "admin")),
                400, "role");
        assertField(api.put("/api/v1/projects/" + id + "/members/" + member.userId(), owner, object()), 422, "role");
        assertThat(api.put("/api/v1/projects/" + id + "/members/nope", owner, object("role", "viewer")).status())
                .isEqualTo(400);
    }

    @Test
    void onlyOwnersManageMembers() {
        Session owner = api.newUser("oowner");
        Session viewer = api.newUser("oviewer");
        Session editor = api.newUser("oeditor");
        Session outsider = api.newUser("ooutsider");
        String id = create(owner, "team");
        addMember(owner, id, viewer, "viewer");
        addMember(owner, id, editor, "editor");
        for (Session member : List.of(viewer, editor)) {
            assertThat(api.put("/api/v1/projects/" + id + "/members/" + outsider.userId(), member,
                    object("role", "viewer")).status()).isEqualTo(403);
            assertThat(api.put("/api/v1/projects/" + id + "/members/" + member.userId(), member,
                    object("role", "owner")).status()).isEqualTo(403);
            assertThat(api.delete("/api/v1/projects/" + id + "/members/" + owner.userId(), member).status())
                    .isEqualTo(403);
        }
        assertThat(api.delete("/api/v1/projects/" + id + "/members/" + viewer.userId(), editor).status())
                .isEqualTo(403);
        assertThat(api.get("/api/v1/projects/" + id + "/members", owner).json().get("data")).hasSize(3);
    }

    @Test
    void anOwnerRemovesAnyoneAndAMemberMayLeave() {
        Session owner = api.newUser("rowner");
        Session viewer = api.newUser("rviewer");
        Session editor = api.newUser("reditor");
        String id = create(owner, "team");
        addMember(owner, id, viewer, "viewer");
        addMember(owner, id, editor, "editor");
        assertThat(api.delete("/api/v1/projects/" + id + "/members/" + viewer.userId(), owner).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/projects/" + id, viewer).status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/projects/" + id + "/members/" + editor.userId(), editor).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/projects/" + id, editor).status()).isEqualTo(404);
        Response gone = api.delete("/api/v1/projects/" + id + "/members/" + editor.userId(), owner);
        assertThat(gone.status()).isEqualTo(404);
    }

    @Test
    void theLastOwnerCanNeitherLeaveNorBeDemoted() {
        Session owner = api.newUser("lowner");
        Session other = api.newUser("lother");
        String id = create(owner, "kept");
        assertField(api.delete("/api/v1/projects/" + id + "/members/" + owner.userId(), owner), 422, "user_id");
        assertField(api.put("/api/v1/projects/" + id + "/members/" + owner.userId(), owner, object("role", "editor")),
                422, "role");
        assertField(api.delete("/api/v1/projects/" + id + "/members/" + owner.userId(), admin), 422, "user_id");

        // with a second owner, the first may step down
        addMember(owner, id, other, "owner");
        assertThat(api.put("/api/v1/projects/" + id + "/members/" + owner.userId(), owner, object("role", "editor"))
                .status()).isEqualTo(200);
        assertField(api.delete("/api/v1/projects/" + id + "/members/" + other.userId(), other), 422, "user_id");
        assertThat(api.patch("/api/v1/projects/" + id, owner, object("name", "nope")).status()).isEqualTo(403);
    }

    @Test
    void twoOwnersSteppingDownAtOnceStillLeaveOneOwner() throws Exception {
        Session first = api.newUser("race1");
        Session second = api.newUser("race2");
        for (int round = 0; round < 5; round++) {
            String id = create(first, "race");
            addMember(first, id, second, "owner");
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
                var a = pool.submit(() -> {
                    start.await();
                    return api.put("/api/v1/projects/" + id + "/members/" + first.userId(), first,
                            object("role", "editor")).status();
                });
                var b = pool.submit(() -> {
                    start.await();
                    return api.delete("/api/v1/projects/" + id + "/members/" + second.userId(), second).status();
                });
                start.countDown();
                assertThat(List.of(a.get(), b.get())).containsAnyOf(200, 204).containsAnyOf(422, 409);
            }
            long owners = 0;
            for (JsonNode member : api.get("/api/v1/projects/" + id + "/members", admin).json().get("data")) {
                owners += member.get("role").asString().equals("owner") ? 1 : 0;
            }
            assertThat(owners).as("owners left in round " + round).isEqualTo(1);
        }
    }

    @Test
    void membersArePaginated() {
        Session owner = api.newUser("many");
        String id = create(owner, "crowd");
        Set<String> expected = new HashSet<>(List.of(owner.userId().toString()));
        for (int i = 0; i < 4; i++) {
            Session member = api.newUser("crowd");
            addMember(owner, id, member, "viewer");
            expected.add(member.userId().toString());
        }
        List<String> seen = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = api.get("/api/v1/projects/" + id + "/members?limit=2"
                    + (after == null ? "" : "&after=" + after), owner).json();
            assertThat(page.get("data").size()).isLessThanOrEqualTo(2);
            page.get("data").forEach(m -> seen.add(m.get("user_id").asString()));
            after = page.get("has_more").asBoolean() ? page.get("next_cursor").asString() : null;
        } while (after != null);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void deletingAProjectRemovesItAndItsMembers() {
        Session owner = api.newUser("downer");
        Session member = api.newUser("dmember");
        String id = create(owner, "doomed");
        addMember(owner, id, member, "editor");
        Response deleted = api.delete("/api/v1/projects/" + id, owner);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.text()).isEmpty();
        assertThat(api.get("/api/v1/projects/" + id, owner).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/projects/" + id, member).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/projects/" + id + "/members", admin).status()).isEqualTo(404);
        assertThat(listIds(member, "")).doesNotContain(id);
        assertThat(api.delete("/api/v1/projects/" + id, owner).status()).isEqualTo(404);
    }

    @Test
    void theSummaryHasTheDocumentedShape() {
        Session owner = api.newUser("summary");
        String id = create(owner, object("name", "summed", "max_tokens", 1234));
        Response summary = api.get("/api/v1/projects/" + id + "/summary", owner);
        assertThat(summary.status()).isEqualTo(200);
        JsonNode body = summary.json();
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("project", "counts", "token_usage", "max_tokens",
                "within_budget", "latest_files");
        assertThat(body.get("project")).isEqualTo(project(owner, id));
        assertThat(body.get("counts").propertyNames()).containsExactlyInAnyOrder("conversations", "messages", "files",
                "artifacts", "logs", "tasks");
        body.get("counts").forEach(count -> assertThat(count.asLong()).isZero());
        assertThat(body.get("token_usage").asLong()).isZero();
        assertThat(body.get("max_tokens").asLong()).isEqualTo(1234);
        assertThat(body.get("within_budget").asBoolean()).isTrue();
        assertThat(body.get("latest_files").isObject()).isTrue();
    }

    @Autowired
    ProjectService projects;

    @Test
    void theSummarySaysWhenTheBudgetIsSpent() {
        Session owner = api.newUser("budget");
        String id = create(owner, object("name", "spent", "max_tokens", 100));
        projects.addTokenUsage(UUID.fromString(id), 60);
        JsonNode within = api.get("/api/v1/projects/" + id + "/summary", owner).json();
        assertThat(within.get("token_usage").asLong()).isEqualTo(60);
        assertThat(within.get("within_budget").asBoolean()).isTrue();
        assertThat(within.get("project").get("token_usage").asLong()).isEqualTo(60);

        projects.addTokenUsage(UUID.fromString(id), 40);
        assertThat(api.get("/api/v1/projects/" + id + "/summary", owner).json().get("within_budget").asBoolean())
                .isFalse();
        // raising the budget makes room again; the usage itself is not the client's to set
        api.patch("/api/v1/projects/" + id, owner, object("max_tokens", 1000));
        JsonNode raised = api.get("/api/v1/projects/" + id + "/summary", owner).json();
        assertThat(raised.get("within_budget").asBoolean()).isTrue();
        assertThat(raised.get("token_usage").asLong()).isEqualTo(100);
        assertThat(api.patch("/api/v1/projects/" + id, owner, object("token_usage", 0)).status()).isEqualTo(400);
    }

    @OnSqlite
    static class OnSqliteTest extends ProjectApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends ProjectApiTests {
    }
}
