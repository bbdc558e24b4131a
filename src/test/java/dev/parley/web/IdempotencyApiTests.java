package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.junit.jupiter.api.Test;

abstract class IdempotencyApiTests extends ApiTest {

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

    @OnSqlite
    static class OnSqliteTest extends IdempotencyApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends IdempotencyApiTests {
    }
}
