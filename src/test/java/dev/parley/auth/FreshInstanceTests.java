package dev.parley.auth;

import static dev.parley.support.Api.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * An instance of its own with an empty database, so that "the first user" means something;
 * it also runs with a lower login limit and an allowed CORS origin, to show that both are
 * configuration.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"parley.test.context=fresh-instance", "parley.auth.login-max-failures=3",
        "parley.auth.allowed-origins=https://app.example"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class FreshInstanceTests {

    @LocalServerPort
    int port;

    Api api;

    @BeforeEach
    void connect() {
        api = new Api(port);
    }

    @Test
    @Order(1)
    void theFirstUserOfAnEmptyInstanceBecomesItsAdminAndTheNextOnesDoNot() {
        Response first = api.post("/api/v1/auth/register", null, object("username", "founder", "password", "founder pw 1"));
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("role").asString()).isEqualTo("admin");
        Response second = api.post("/api/v1/auth/register", null, object("username", "second", "password", "second pw 1"));
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.json().get("role").asString()).isEqualTo("user");

        Api.Session founder = api.login("founder", "founder pw 1");
        assertThat(api.get("/api/v1/admin/users", founder).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/admin/users", api.login("second", "second pw 1")).status()).isEqualTo(403);
    }

    @Test
    @Order(2)
    void theLoginLimitIsConfigurable() {
        api.post("/api/v1/auth/register", null, object("username", "limited", "password", "limited pw 1"));
        for (int i = 0; i < 3; i++) {
            assertThat(api.post("/api/v1/auth/login", null, object("username", "limited", "password", "nope " + i))
                    .status()).isEqualTo(401);
        }
        Response locked = api.post("/api/v1/auth/login", null, object("username", "limited", "password", "limited pw 1"));
        assertThat(locked.status()).isEqualTo(429);
    }

    @Test
    @Order(3)
    void aConfiguredOriginMayCallAndAnyOtherIsRefused() {
        Response allowed = api.send("OPTIONS", "/api/v1/projects", null, null, Map.of(
                "Origin", "https://app.example",
                "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization, content-type"));
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        assertThat(allowed.header("Access-Control-Allow-Methods")).contains("POST");

        Response refused = api.send("OPTIONS", "/api/v1/projects", null, null, Map.of(
                "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Access-Control-Allow-Origin")).isNull();
    }

    @OnSqlite
    static class OnSqliteTest extends FreshInstanceTests {
    }

    @OnPostgres
    static class OnPostgresTest extends FreshInstanceTests {
    }
}
