package dev.parley.user;

import static dev.parley.support.Api.object;
import static org.assertj.core.api.Assertions.assertThat;

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
import tools.jackson.databind.JsonNode;

/** {@code /me} and the admin's user management. */
abstract class UserApiTests extends ApiTest {

    private static final String PASSWORD = "correct horse battery";

    private static void assertField(Response response, int status, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("errors").findValuesAsString("field")).contains(field);
    }

    // /me

    @Test
    void meIsTheCallerWithoutSecrets() {
        Session user = api.newUser("me");
        Response me = api.get("/api/v1/me", user);
        assertThat(me.status()).isEqualTo(200);
        JsonNode body = me.json();
        assertThat(body.get("id").asString()).isEqualTo(user.userId().toString());
        assertThat(body.get("username").asString()).isEqualTo(user.username());
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("id", "username", "email", "full_name", "role",
                "is_active", "is_verified", "preferences", "created_at", "updated_at", "last_login_at");
        assertThat(me.header("Cache-Control")).contains("no-store");
    }

    @Test
    void nullClearsAProfileFieldAndLeavingItOutKeepsIt() {
        Session user = api.newUser("me");
        api.patch("/api/v1/me", user, Api.object("email", "me@example.com", "full_name", "Me Myself"));
        JsonNode kept = api.patch("/api/v1/me", user, Api.object("full_name", null)).json();
        assertThat(kept.get("email").asString()).isEqualTo("me@example.com");
        assertThat(kept.get("full_name").isNull()).isTrue();
        assertThat(api.get("/api/v1/me", user).json().get("full_name").isNull()).isTrue();
        // an empty email is not an address
        assertThat(api.patch("/api/v1/me", user, Api.object("email", "")).status()).isEqualTo(422);
        assertThat(api.patch("/api/v1/me", user, Api.object("email", "")).json().get("errors").get(0).get("field")
                .asString()).isEqualTo("email");
        assertThat(api.get("/api/v1/me", user).json().get("email").asString()).isEqualTo("me@example.com");
    }

    @Test
    void meNeedsAToken() {
        Response anonymous = api.get("/api/v1/me", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.code()).isEqualTo("unauthorized");
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void patchingMeChangesOnlyTheFieldsGiven() {
        Session user = api.newUser("patch");
        Response first = api.patch("/api/v1/me", user, object("email", "grace@example.com", "full_name", "Grace Hopper",
                "preferences", Map.of("theme", "dark", "nested", Map.of("font_size", 14))));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().get("email").asString()).isEqualTo("grace@example.com");
        assertThat(first.json().get("preferences").get("nested").get("font_size").asInt()).isEqualTo(14);

        Response second = api.patch("/api/v1/me", user, object("full_name", "Rear Admiral Hopper"));
        assertThat(second.json().get("full_name").asString()).isEqualTo("Rear Admiral Hopper");
        assertThat(second.json().get("email").asString()).isEqualTo("grace@example.com");
        assertThat(second.json().get("preferences").get("theme").asString()).isEqualTo("dark");
        assertThat(api.get("/api/v1/me", user).json()).isEqualTo(second.json());
    }

    @Test
    void concurrentPatchesOfMeAreAllKept() throws Exception {
        Session user = api.newUser("concurrentme");
        for (int round = 0; round < 3; round++) {
            String tag = "r" + round;
            List<Object> bodies = List.of(object("email", tag + "@example.com"), object("full_name", "Name " + tag),
                    object("preferences", Map.of("round", tag)));
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(bodies.size())) {
                List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
                for (Object body : bodies) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return api.patch("/api/v1/me", user, body).status();
                    }));
                }
                start.countDown();
                for (var answer : answers) {
                    assertThat(answer.get()).isEqualTo(200);
                }
            }
            JsonNode me = api.get("/api/v1/me", user).json();
            assertThat(me.get("email").asString()).as(tag).isEqualTo(tag + "@example.com");
            assertThat(me.get("full_name").asString()).as(tag).isEqualTo("Name " + tag);
            assertThat(me.get("preferences").get("round").asString()).as(tag).isEqualTo(tag);
        }
    }

    @Test
    void anInvalidEmailIs422() {
        Session user = api.newUser("email");
        assertField(api.patch("/api/v1/me", user, object("email", "no at sign")), 422, "email");
        assertField(api.patch("/api/v1/me", user, object("email", "a@b.c" + "x".repeat(320))), 422, "email");
    }

    @Test
    void preferencesMustBeAnObject() {
        Session user = api.newUser("prefs");
        assertField(api.patch("/api/v1/me", user, object("preferences", List.of(1, 2))), 422, "preferences");
        assertField(api.patch("/api/v1/me", user, object("preferences", "dark")), 422, "preferences");
        assertField(api.patch("/api/v1/me", user, object("preferences", 3)), 422, "preferences");
        assertThat(api.get("/api/v1/me", user).json().get("preferences").isObject()).isTrue();
    }

    @Test
    void meRefusesFieldsItDoesNotOwn() {
        Session user = api.newUser("sneaky");
        Response role = api.patch("/api/v1/me", user, object("role", "admin"));
        assertField(role, 400, "role");
        assertThat(api.get("/api/v1/me", user).json().get("role").asString()).isEqualTo("user");
        assertField(api.patch("/api/v1/me", user, object("full_name", "x".repeat(201))), 422, "full_name");
    }

    // admin

    @Test
    void theAdminListIsPaginatedWithoutDuplicates() {
        Set<String> mine = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            mine.add(api.newUser("listed").userId().toString());
        }
        Set<String> seen = new HashSet<>();
        String after = null;
        int pages = 0;
        do {
            Response page = api.get("/api/v1/admin/users?limit=2" + (after == null ? "" : "&after=" + after), admin);
            assertThat(page.status()).isEqualTo(200);
            JsonNode body = page.json();
            assertThat(body.propertyNames()).containsExactlyInAnyOrder("data", "has_more", "next_cursor");
            assertThat(body.get("data").size()).isLessThanOrEqualTo(2);
            for (JsonNode user : body.get("data")) {
                assertThat(seen.add(user.get("id").asString())).as("listed twice").isTrue();
                assertThat(user.has("password_hash")).isFalse();
            }
            after = body.get("has_more").asBoolean() ? body.get("next_cursor").asString() : null;
            assertThat(body.get("next_cursor").isNull()).isEqualTo(after == null);
            pages++;
        } while (after != null && pages < 10_000);
        assertThat(seen).containsAll(mine);
        assertThat(pages).isGreaterThanOrEqualTo(2);
    }

    @Test
    void onlyAnAdminMayListOrChangeUsers() {
        Session user = api.newUser("nonadmin");
        Session other = api.newUser("target");
        Response list = api.get("/api/v1/admin/users", user);
        assertThat(list.status()).isEqualTo(403);
        assertThat(list.code()).isEqualTo("forbidden");
        Response patch = api.patch("/api/v1/admin/users/" + other.userId(), user, object("is_active", false));
        assertThat(patch.status()).isEqualTo(403);
        assertThat(api.get("/api/v1/me", other).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/admin/users", null).status()).isEqualTo(401);
    }

    @Test
    void deactivatingAUserStopsItsTokensAtOnce() {
        Session user = api.newUser("deact");
        Session second = api.login(user.username(), PASSWORD);
        Response deactivated = api.patch("/api/v1/admin/users/" + user.userId(), admin, object("is_active", false));
        assertThat(deactivated.status()).isEqualTo(200);
        assertThat(deactivated.json().get("is_active").asBoolean()).isFalse();

        Response me = api.get("/api/v1/me", user);
        assertThat(me.status()).isEqualTo(401);
        assertThat(me.code()).isEqualTo("invalid_token");
        assertThat(api.get("/api/v1/me", second).status()).isEqualTo(401);
        assertThat(api.post("/api/v1/auth/refresh", null, object("refresh_token", user.refreshToken())).status())
                .isEqualTo(401);
    }

    @Test
    void reactivatingAUserDoesNotBringBackItsOldSessions() {
        Session user = api.newUser("react");
        api.patch("/api/v1/admin/users/" + user.userId(), admin, object("is_active", false));
        Response reactivated = api.patch("/api/v1/admin/users/" + user.userId(), admin, object("is_active", true));
        assertThat(reactivated.json().get("is_active").asBoolean()).isTrue();

        assertThat(api.get("/api/v1/me", user).status()).isEqualTo(401);
        assertThat(api.post("/api/v1/auth/refresh", null, object("refresh_token", user.refreshToken())).status())
                .isEqualTo(401);
        assertThat(api.get("/api/v1/me", api.login(user.username(), PASSWORD)).status()).isEqualTo(200);
    }

    @Test
    void promotingAUserMakesItAnAdminAndDemotingUndoesIt() {
        Session user = api.newUser("promote");
        Response promoted = api.patch("/api/v1/admin/users/" + user.userId(), admin, object("role", "admin"));
        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.json().get("role").asString()).isEqualTo("admin");
        assertThat(api.get("/api/v1/admin/users", user).status()).isEqualTo(200);

        assertThat(api.patch("/api/v1/admin/users/" + user.userId(), admin, object("role", "user")).status())
                .isEqualTo(200);
        assertThat(api.get("/api/v1/admin/users", user).status()).isEqualTo(403);
    }

    @Test
    void anAdminCannotDemoteOrDeactivateItself() {
        Response demote = api.patch("/api/v1/admin/users/" + admin.userId(), admin, object("role", "user"));
        assertField(demote, 422, "role");
        Response deactivate = api.patch("/api/v1/admin/users/" + admin.userId(), admin, object("is_active", false));
        assertField(deactivate, 422, "is_active");
        JsonNode me = api.get("/api/v1/me", admin).json();
        assertThat(me.get("role").asString()).isEqualTo("admin");
        assertThat(me.get("is_active").asBoolean()).isTrue();
    }

    @Test
    void twoAdminsDemotingEachOtherAtOnceLeaveOneAdmin() throws Exception {
        for (int round = 0; round < 3; round++) {
            Session first = api.newUser("admin1");
            Session second = api.newUser("admin2");
            api.patch("/api/v1/admin/users/" + first.userId(), admin, object("role", "admin"));
            api.patch("/api/v1/admin/users/" + second.userId(), admin, object("role", "admin"));
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
                var a = pool.submit(() -> {
                    start.await();
                    return api.patch("/api/v1/admin/users/" + second.userId(), first, object("role", "user")).status();
                });
                var b = pool.submit(() -> {
                    start.await();
                    return api.patch("/api/v1/admin/users/" + first.userId(), second, object("role", "user")).status();
                });
                start.countDown();
                assertThat(List.of(a.get(), b.get())).as("round " + round).containsExactlyInAnyOrder(200, 403);
            }
            long admins = List.of(first, second).stream()
                    .filter(s -> api.get("/api/v1/me", api.login(s.username(), PASSWORD)).json().get("role")
                            .asString().equals("admin"))
                    .count();
            assertThat(admins).as("round " + round).isEqualTo(1);
        }
    }

    @Test
    void patchingAnUnknownUserIs404AndBadValuesAre400() {
        Response unknown = api.patch("/api/v1/admin/users/" + UUID.randomUUID(), admin, object("is_active", false));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("not_found");
        Session user = api.newUser("badrole");
        assertField(api.patch("/api/v1/admin/users/" + user.userId(), admin, object("role", "superuser")), 400, "role");
        assertField(api.patch("/api/v1/admin/users/" + user.userId(), admin, object("is_active", "no")), 400,
                "is_active");
        assertThat(api.patch("/api/v1/admin/users/not-a-uuid", admin, object("is_active", false)).status())
                .isEqualTo(400);
    }

    @OnSqlite
    static class OnSqliteTest extends UserApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends UserApiTests {
    }
}
