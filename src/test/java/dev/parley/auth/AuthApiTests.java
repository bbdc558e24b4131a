package dev.parley.auth;

import static dev.parley.support.Api.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Registration, login, throttling and the life of sessions: refresh, logout, logout-all, password change. */
abstract class AuthApiTests extends ApiTest {

    private static final String PASSWORD = "correct horse battery";

    private static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Session bearer(String accessToken) {
        return new Session(null, null, accessToken, null);
    }

    private Response register(Object body) {
        return api.post("/api/v1/auth/register", null, body);
    }

    private Response login(String username, String password) {
        return api.post("/api/v1/auth/login", null, object("username", username, "password", password));
    }

    private Response refresh(String refreshToken) {
        return api.post("/api/v1/auth/refresh", null, object("refresh_token", refreshToken));
    }

    private int me(String accessToken) {
        return api.get("/api/v1/me", bearer(accessToken)).status();
    }

    private static void assertField(Response response, int status, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("errors").findValuesAsString("field")).contains(field);
    }

    // registration

    @Test
    void registeringAnswers201WithTheUserAndNeverItsPasswordHash() {
        String username = unique("reg");
        Response created = register(object("username", username, "password", PASSWORD, "email", "ada@example.com",
                "full_name", "Ada Lovelace"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Content-Type")).startsWith("application/json");
        JsonNode user = created.json();
        assertThat(user.propertyNames()).containsExactlyInAnyOrder("id", "username", "email", "full_name", "role",
                "is_active", "is_verified", "preferences", "created_at", "updated_at", "last_login_at");
        assertThat(UUID.fromString(user.get("id").asString()).version()).isEqualTo(7);
        assertThat(user.get("username").asString()).isEqualTo(username);
        assertThat(user.get("email").asString()).isEqualTo("ada@example.com");
        assertThat(user.get("full_name").asString()).isEqualTo("Ada Lovelace");
        assertThat(user.get("role").asString()).isEqualTo("user");
        assertThat(user.get("is_active").asBoolean()).isTrue();
        assertThat(user.get("is_verified").asBoolean()).isFalse();
        assertThat(user.get("preferences").isObject()).isTrue();
        assertThat(user.get("preferences").size()).isZero();
        assertThat(user.get("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(user.get("last_login_at").isNull()).isTrue();
        assertThat(created.text()).doesNotContain("password").doesNotContain("argon").doesNotContain("token_version");
        assertThat(created.header("Location")).isNotBlank();
    }

    @Test
    void aUserRegisteredIntoAnInstanceThatHasUsersIsAPlainUser() {
        Session user = api.newUser("plain");
        assertThat(api.get("/api/v1/me", user).json().get("role").asString()).isEqualTo("user");
        assertThat(api.get("/api/v1/me", admin).json().get("role").asString()).isEqualTo("admin");
    }

    @Test
    void usernamesOfThreeAndOfOneHundredAllowedCharactersAreAccepted() {
        String three = UUID.randomUUID().toString().substring(0, 3);
        String hundred = ("A-b_c.9" + UUID.randomUUID().toString().replace("-", "")).repeat(3).substring(0, 100);
        assertThat(register(object("username", three, "password", PASSWORD)).status()).isEqualTo(201);
        assertThat(register(object("username", hundred, "password", PASSWORD)).status()).isEqualTo(201);
    }

    @Test
    void usernamesThatBreakTheRulesAre422NamingTheUsername() {
        for (String bad : new String[] {"ab", "x".repeat(101), "with space", "semi;colon", "émile_" + UUID.randomUUID(),
                "slash/name", ""}) {
            assertField(register(object("username", bad, "password", PASSWORD)), 422, "username");
        }
        assertField(register(object("password", PASSWORD)), 422, "username");
    }

    @Test
    void usernamesAreUniqueRegardlessOfCase() {
        String username = unique("Case");
        assertThat(register(object("username", username, "password", PASSWORD)).status()).isEqualTo(201);
        Response again = register(object("username", username.toLowerCase(), "password", PASSWORD));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("username_taken");
        assertThat(register(object("username", username.toUpperCase(), "password", PASSWORD)).status()).isEqualTo(409);
    }

    @Test
    void aPasswordShorterThanEightCharactersIs422() {
        assertField(register(object("username", unique("pw"), "password", "1234567")), 422, "password");
        assertField(register(object("username", unique("pw"))), 422, "password");
        assertThat(register(object("username", unique("pw"), "password", "12345678")).status()).isEqualTo(201);
    }

    @Test
    void anInvalidEmailAtRegistrationIs422() {
        assertField(register(object("username", unique("mail"), "password", PASSWORD, "email", "not-an-email")), 422,
                "email");
    }

    // login

    @Test
    void loginAnswersATokenPairInTheOAuthShape() {
        String username = unique("login");
        register(object("username", username, "password", PASSWORD));
        Response login = login(username, PASSWORD);
        assertThat(login.status()).isEqualTo(200);
        JsonNode tokens = login.json();
        assertThat(tokens.propertyNames()).containsExactlyInAnyOrder("access_token", "refresh_token", "token_type",
                "expires_in");
        assertThat(tokens.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(tokens.get("expires_in").asLong()).isEqualTo(900);
        assertThat(tokens.get("access_token").asString().split("\\.")).hasSize(3);
        assertThat(tokens.get("refresh_token").asString()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(me(tokens.get("access_token").asString())).isEqualTo(200);
        assertThat(login.header("Cache-Control")).contains("no-store");
    }

    @Test
    void loginRecordsTheTimeOfTheLastLogin() {
        Session user = api.newUser("last");
        assertThat(api.get("/api/v1/me", user).json().get("last_login_at").isNull()).isFalse();
    }

    @Test
    void anUnknownUserAndAWrongPasswordGetTheVerySameAnswer() {
        Session user = api.newUser("same");
        Response unknown = login(unique("nobody"), PASSWORD);
        Response wrong = login(user.username(), "wrong password!");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.code()).isEqualTo("invalid_credentials");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.text()).isEqualTo(unknown.text());
        assertThat(wrong.header("Content-Type")).isEqualTo(unknown.header("Content-Type"));
    }

    @Test
    void aDeactivatedUserCannotLogIn() {
        Session user = api.newUser("inactive");
        assertThat(api.patch("/api/v1/admin/users/" + user.userId(), admin, object("is_active", false)).status())
                .isEqualTo(200);
        Response login = login(user.username(), PASSWORD);
        assertThat(login.status()).isEqualTo(403);
        assertThat(login.code()).isEqualTo("account_inactive");
    }

    @Test
    void fiveFailedLoginsLockTheUsernameEvenAgainstTheRightPassword() {
        Session user = api.newUser("locked");
        for (int i = 0; i < 5; i++) {
            assertThat(login(user.username(), "wrong password " + i).status()).isEqualTo(401);
        }
        Response locked = login(user.username(), PASSWORD);
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.code()).isEqualTo("too_many_requests");
        assertThat(locked.header("Content-Type")).startsWith("application/problem+json");
        assertThat(locked.header("Retry-After")).matches("\\d+");
        // the lock is on the name, whatever its case
        assertThat(login(user.username().toUpperCase(), PASSWORD).status()).isEqualTo(429);
        // another account is not affected
        Session other = api.newUser("unlocked");
        assertThat(login(other.username(), PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void failedLoginsSentInParallelAreAllCounted() throws Exception {
        Session user = api.newUser("parallel");
        int attempts = 8;
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(attempts)) {
            java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                String guess = "guess number " + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return login(user.username(), guess).status();
                }));
            }
            start.countDown();
            for (var answer : answers) {
                assertThat(answer.get()).isIn(401, 429);
            }
        }
        assertThat(login(user.username(), PASSWORD).status()).isEqualTo(429);
    }

    @Test
    void aSuccessfulLoginResetsTheCountOfFailures() {
        Session user = api.newUser("reset");
        for (int i = 0; i < 4; i++) {
            assertThat(login(user.username(), "wrong password " + i).status()).isEqualTo(401);
        }
        assertThat(login(user.username(), PASSWORD).status()).isEqualTo(200);
        for (int i = 0; i < 4; i++) {
            assertThat(login(user.username(), "wrong password " + i).status()).isEqualTo(401);
        }
        assertThat(login(user.username(), PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void aLoginNameThatCannotExistIsStillJustAWrongPair() {
        // "İ" lower-cases to two characters: the throttle key must not outgrow the column
        Response response = login("\u0130".repeat(100), PASSWORD);
        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("invalid_credentials");
        assertThat(login("ünïcödé", PASSWORD).status()).isEqualTo(401);
    }

    @Test
    void concurrentRegistrationsOfOneNameMakeExactlyOneUser() throws Exception {
        String username = unique("race");
        int threads = 6;
        java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return register(object("username", username, "password", PASSWORD)).status();
                }));
            }
            start.countDown();
            java.util.List<Integer> statuses = new java.util.ArrayList<>();
            for (var answer : answers) {
                statuses.add(answer.get());
            }
            assertThat(statuses).containsOnly(201, 409);
            assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
        }
    }

    @Test
    void loginBodiesAreValidated() {
        assertField(api.post("/api/v1/auth/login", null, object("password", PASSWORD)), 422, "username");
        assertField(api.post("/api/v1/auth/login", null, object("username", "someone")), 422, "password");
    }

    // refresh

    @Test
    void refreshingGivesANewPairAndRetiresTheOldRefreshToken() {
        Session user = api.newUser("refresh");
        Response refreshed = refresh(user.refreshToken());
        assertThat(refreshed.status()).isEqualTo(200);
        JsonNode pair = refreshed.json();
        assertThat(pair.get("token_type").asString()).isEqualTo("Bearer");
        String newAccess = pair.get("access_token").asString();
        String newRefresh = pair.get("refresh_token").asString();
        assertThat(newAccess).isNotEqualTo(user.accessToken());
        assertThat(newRefresh).isNotEqualTo(user.refreshToken());
        assertThat(me(newAccess)).isEqualTo(200);

        Response old = refresh(user.refreshToken());
        assertThat(old.status()).isEqualTo(401);
        assertThat(old.code()).isEqualTo("invalid_token");
    }

    @Test
    void reusingARotatedRefreshTokenEndsTheWholeSessionButNoOther() {
        Session user = api.newUser("reuse");
        Session otherSession = api.login(user.username(), PASSWORD);
        JsonNode second = refresh(user.refreshToken()).json();
        JsonNode third = refresh(second.get("refresh_token").asString()).json();
        String newestAccess = third.get("access_token").asString();
        String newestRefresh = third.get("refresh_token").asString();
        assertThat(me(newestAccess)).isEqualTo(200);

        // the first refresh token comes back: someone holds a stolen copy
        assertThat(refresh(user.refreshToken()).status()).isEqualTo(401);

        assertThat(refresh(newestRefresh).status()).isEqualTo(401);
        assertThat(me(newestAccess)).isEqualTo(401);
        assertThat(me(second.get("access_token").asString())).isEqualTo(401);
        assertThat(me(user.accessToken())).isEqualTo(401);
        // a separate login of the same user is its own family and lives on
        assertThat(me(otherSession.accessToken())).isEqualTo(200);
        assertThat(refresh(otherSession.refreshToken()).status()).isEqualTo(200);
    }

    @Test
    void anUnknownRefreshTokenIs401AndAMissingOneIs422() {
        Response unknown = refresh("not-a-token-we-gave-out");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.code()).isEqualTo("invalid_token");
        assertField(api.post("/api/v1/auth/refresh", null, object()), 422, "refresh_token");
    }

    @Test
    void anAccessTokenIsNotARefreshToken() {
        Session user = api.newUser("swap");
        assertThat(refresh(user.accessToken()).status()).isEqualTo(401);
    }

    // logout

    @Test
    void logoutEndsTheSessionOfThePresentedTokenOnly() {
        Session user = api.newUser("logout");
        Session otherSession = api.login(user.username(), PASSWORD);
        Response logout = api.post("/api/v1/auth/logout", user, null);
        assertThat(logout.status()).isEqualTo(204);
        assertThat(logout.text()).isEmpty();

        assertThat(me(user.accessToken())).isEqualTo(401);
        assertThat(refresh(user.refreshToken()).status()).isEqualTo(401);
        assertThat(me(otherSession.accessToken())).isEqualTo(200);
    }

    @Test
    void logoutAlsoEndsAccessTokensIssuedEarlierInTheSameSession() {
        Session user = api.newUser("logout2");
        JsonNode refreshed = refresh(user.refreshToken()).json();
        Session current = bearer(refreshed.get("access_token").asString());
        assertThat(api.post("/api/v1/auth/logout", current, null).status()).isEqualTo(204);
        assertThat(me(current.accessToken())).isEqualTo(401);
        assertThat(refresh(refreshed.get("refresh_token").asString()).status()).isEqualTo(401);
    }

    @Test
    void logoutWithoutATokenIs401() {
        Response anonymous = api.post("/api/v1/auth/logout", null, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.code()).isEqualTo("unauthorized");
    }

    @Test
    void logoutAllEndsEverySessionOfTheUser() {
        Session user = api.newUser("all");
        Session second = api.login(user.username(), PASSWORD);
        Session bystander = api.newUser("bystander");
        assertThat(api.post("/api/v1/auth/logout-all", user, null).status()).isEqualTo(204);

        assertThat(me(user.accessToken())).isEqualTo(401);
        assertThat(me(second.accessToken())).isEqualTo(401);
        assertThat(refresh(user.refreshToken()).status()).isEqualTo(401);
        assertThat(refresh(second.refreshToken()).status()).isEqualTo(401);
        assertThat(me(bystander.accessToken())).isEqualTo(200);
        // the account itself still works
        assertThat(me(api.login(user.username(), PASSWORD).accessToken())).isEqualTo(200);
    }

    // password change

    @Test
    void aWrongCurrentPasswordIs422NamingIt() {
        Session user = api.newUser("pwwrong");
        Response wrong = api.post("/api/v1/me/password", user,
                object("current_password", "not my password", "new_password", "a brand new password"));
        assertField(wrong, 422, "current_password");
        assertThat(me(user.accessToken())).isEqualTo(200);
        assertThat(login(user.username(), PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void aNewPasswordShorterThanEightCharactersIs422() {
        Session user = api.newUser("pwshort");
        assertField(api.post("/api/v1/me/password", user,
                object("current_password", PASSWORD, "new_password", "short")), 422, "new_password");
    }

    @Test
    void changingThePasswordEndsEveryOtherSessionAndKeepsTheCallers() {
        Session user = api.newUser("pwchange");
        Session other = api.login(user.username(), PASSWORD);
        Session third = api.login(user.username(), PASSWORD);
        Response changed = api.post("/api/v1/me/password", user,
                object("current_password", PASSWORD, "new_password", "a brand new password"));
        assertThat(changed.status()).isEqualTo(200);
        JsonNode pair = changed.json();
        assertThat(pair.get("token_type").asString()).isEqualTo("Bearer");

        assertThat(me(other.accessToken())).isEqualTo(401);
        assertThat(refresh(other.refreshToken()).status()).isEqualTo(401);
        assertThat(me(third.accessToken())).isEqualTo(401);

        // the session that changed it goes on: its access token works, the fresh pair too
        assertThat(me(user.accessToken())).isEqualTo(200);
        assertThat(me(pair.get("access_token").asString())).isEqualTo(200);
        Response rotated = refresh(pair.get("refresh_token").asString());
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(me(rotated.json().get("access_token").asString())).isEqualTo(200);
        // its old refresh token was spent by the change: presenting it is a reuse and ends the session
        assertThat(refresh(user.refreshToken()).status()).isEqualTo(401);
        assertThat(me(rotated.json().get("access_token").asString())).isEqualTo(401);
        assertThat(me(user.accessToken())).isEqualTo(401);
        assertThat(login(user.username(), PASSWORD).status()).isEqualTo(401);
        assertThat(login(user.username(), "a brand new password").status()).isEqualTo(200);
    }

    @Test
    void changingThePasswordNeedsAToken() {
        assertThat(api.post("/api/v1/me/password", null,
                object("current_password", PASSWORD, "new_password", "a brand new password")).status()).isEqualTo(401);
    }

    @OnSqlite
    static class OnSqliteTest extends AuthApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends AuthApiTests {
    }
}
