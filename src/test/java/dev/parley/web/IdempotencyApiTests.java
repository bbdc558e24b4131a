package dev.parley.web;

import static dev.parley.db.Tables.IDEMPOTENCY_KEYS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

abstract class IdempotencyApiTests extends ApiTest {

    @Autowired
    DSLContext db;

    private Response create(Session session, String key, String name) {
        return api.send("POST", "/api/v1/projects", session, Api.object("name", name), Map.of("Idempotency-Key", key));
    }

    @Test
    void aRetryWithTheSameKeyReturnsTheFirstAnswerAndCreatesNothing() {
        Session user = api.newUser("idem");
        String key = UUID.randomUUID().toString();
        Response first = create(user, key, "once");
        Response retry = create(user, key, "once");

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.text()).isEqualTo(first.text());
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(api.get("/api/v1/projects", user).json().get("data")).hasSize(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefused() {
        Session user = api.newUser("idem");
        String key = UUID.randomUUID().toString();
        create(user, key, "first");
        Response other = create(user, key, "second");

        assertThat(other.status()).isEqualTo(422);
        assertThat(other.code()).isEqualTo("idempotency_key_reused");
        assertThat(api.get("/api/v1/projects", user).json().get("data")).hasSize(1);
    }

    @Test
    void theSameObjectSerializedDifferentlyIsTheSameRequest() {
        Session user = api.newUser("idem");
        String key = UUID.randomUUID().toString();
        Response first = api.send("POST", "/api/v1/projects", user, "{\"name\":\"same\",\"description\":\"d\"}",
                Map.of("Idempotency-Key", key));
        Response retry = api.send("POST", "/api/v1/projects", user, "{ \"description\": \"d\",\n  \"name\": \"same\" }",
                Map.of("Idempotency-Key", key));

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(api.get("/api/v1/projects", user).json().get("data")).hasSize(1);
    }

    @Test
    void aVeryLongRequestTargetIsRecognisedToo() {
        Session user = api.newUser("idem");
        String key = UUID.randomUUID().toString();
        String path = "/api/v1/projects?note=" + "n".repeat(2_100);
        Response first = api.send("POST", path, user, Api.object("name", "long"), Map.of("Idempotency-Key", key));
        Response retry = api.send("POST", path, user, Api.object("name", "long"), Map.of("Idempotency-Key", key));

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(api.get("/api/v1/projects", user).json().get("data")).hasSize(1);
    }

    @Test
    void keysBelongToTheirUser() {
        Session alice = api.newUser("idem");
        Session bob = api.newUser("idem");
        String key = UUID.randomUUID().toString();

        assertThat(create(alice, key, "same").status()).isEqualTo(201);
        Response bobs = create(bob, key, "same");

        assertThat(bobs.status()).isEqualTo(201);
        assertThat(bobs.header("Idempotent-Replayed")).isNull();
        assertThat(api.get("/api/v1/projects", bob).json().get("data")).hasSize(1);
    }

    @Test
    void aFailedValidationIsReplayedToo() {
        Session user = api.newUser("idem");
        String key = UUID.randomUUID().toString();
        Response first = api.send("POST", "/api/v1/projects", user, Api.object("name", ""), Map.of("Idempotency-Key", key));
        Response retry = api.send("POST", "/api/v1/projects", user, Api.object("name", ""), Map.of("Idempotency-Key", key));

        assertThat(first.status()).isEqualTo(422);
        assertThat(retry.status()).isEqualTo(422);
        assertThat(retry.text()).isEqualTo(first.text());
    }

    @Test
    void anUnusableKeyIsABadRequest() {
        Session user = api.newUser("idem");
        Response tooLong = create(user, "k".repeat(256), "x");

        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("errors").get(0).get("field").asString()).isEqualTo("Idempotency-Key");
        assertThat(api.get("/api/v1/projects", user).json().get("data")).isEmpty();
    }

    @Test
    void aRetriedRefreshGetsTheFirstPairAndTheSessionLives() {
        Session user = api.newUser("idem");
        String key = UUID.randomUUID().toString();
        Response first = api.send("POST", "/api/v1/auth/refresh", null,
                Api.object("refresh_token", user.refreshToken()), Map.of("Idempotency-Key", key));
        Response retry = api.send("POST", "/api/v1/auth/refresh", null,
                Api.object("refresh_token", user.refreshToken()), Map.of("Idempotency-Key", key));

        assertThat(first.status()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.text()).isEqualTo(first.text());
        Session refreshed = new Session(user.userId(), user.username(), first.json().get("access_token").asString(),
                first.json().get("refresh_token").asString());
        assertThat(api.get("/api/v1/me", refreshed).status()).isEqualTo(200);
        // without the key a second use of the rotated token is still a reuse, and ends the family
        assertThat(api.post("/api/v1/auth/refresh", null, Api.object("refresh_token", user.refreshToken())).status())
                .isEqualTo(401);
        assertThat(api.get("/api/v1/me", refreshed).status()).isEqualTo(401);
    }

    @Test
    void aRetriedRegistrationOrLoginCreatesNothingNew() {
        String username = "idem" + UUID.randomUUID().toString().substring(0, 8);
        String key = UUID.randomUUID().toString();
        var account = Api.object("username", username, "password", "correct horse battery");
        Response registered = api.send("POST", "/api/v1/auth/register", null, account, Map.of("Idempotency-Key", key));
        Response again = api.send("POST", "/api/v1/auth/register", null, account, Map.of("Idempotency-Key", key));
        assertThat(registered.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.text()).isEqualTo(registered.text());
        // a new key is a new request: the name is taken now
        assertThat(api.send("POST", "/api/v1/auth/register", null, account,
                Map.of("Idempotency-Key", UUID.randomUUID().toString())).status()).isEqualTo(409);

        String loginKey = UUID.randomUUID().toString();
        Response login = api.send("POST", "/api/v1/auth/login", null, account, Map.of("Idempotency-Key", loginKey));
        Response loginAgain = api.send("POST", "/api/v1/auth/login", null, account, Map.of("Idempotency-Key", loginKey));
        assertThat(loginAgain.json().get("refresh_token").asString())
                .isEqualTo(login.json().get("refresh_token").asString());
        // the same key with another body is not this request: anonymous keys are per request
        Response wrong = api.send("POST", "/api/v1/auth/login", null,
                Api.object("username", username, "password", "not the password"), Map.of("Idempotency-Key", loginKey));
        assertThat(wrong.status()).isEqualTo(401);
    }

    @Test
    void keptAnswersHoldNoTokenInClear() {
        Session user = api.newUser("idem");
        Response changed = api.send("POST", "/api/v1/me/password", user,
                Api.object("current_password", "correct horse battery", "new_password", "another horse battery"),
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(changed.status()).isEqualTo(200);
        String access = changed.json().get("access_token").asString();
        String refresh = changed.json().get("refresh_token").asString();

        var kept = db.select(IDEMPOTENCY_KEYS.RESPONSE_BODY).from(IDEMPOTENCY_KEYS)
                .where(IDEMPOTENCY_KEYS.USER_ID.eq(user.userId())).fetch(IDEMPOTENCY_KEYS.RESPONSE_BODY);
        assertThat(kept).hasSize(1);
        assertThat(kept.getFirst()).doesNotContain(access).doesNotContain(refresh).doesNotContain("access_token");
    }

    @OnSqlite
    static class OnSqliteTest extends IdempotencyApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends IdempotencyApiTests {
    }
}
