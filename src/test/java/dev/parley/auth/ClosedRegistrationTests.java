package dev.parley.auth;

import static dev.parley.support.Api.object;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/** An empty instance with registration closed: it still takes its first user, its admin, and nobody after. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"parley.test.context=closed-registration", "parley.auth.open-registration=false"})
abstract class ClosedRegistrationTests {

    @LocalServerPort
    int port;

    @Test
    void aClosedInstanceTakesItsFirstUserAndRefusesEveryOther() {
        Api api = new Api(port);
        Response first = api.post("/api/v1/auth/register", null, object("username", "owner", "password", "owner pw 12"));
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("role").asString()).isEqualTo("admin");

        Response second = api.post("/api/v1/auth/register", null, object("username", "visitor", "password", "visitor pw 1"));
        assertThat(second.status()).isEqualTo(403);
        assertThat(second.code()).isEqualTo("registration_closed");
        assertThat(second.header("Content-Type")).startsWith("application/problem+json");
        assertThat(api.post("/api/v1/auth/login", null, object("username", "visitor", "password", "visitor pw 1"))
                .status()).isEqualTo(401);
        // the existing account is unaffected
        assertThat(api.get("/api/v1/me", api.login("owner", "owner pw 12")).status()).isEqualTo(200);
    }

    @OnSqlite
    static class OnSqliteTest extends ClosedRegistrationTests {
    }

    @OnPostgres
    static class OnPostgresTest extends ClosedRegistrationTests {
    }
}
