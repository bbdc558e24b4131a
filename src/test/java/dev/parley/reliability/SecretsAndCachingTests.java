package dev.parley.reliability;

import static dev.parley.support.Api.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What must never leak: passwords and tokens into the log, authenticated answers into a
 * cache, and the docs page out of its Content-Security-Policy.
 *
 * <p>The test resources keep request lines at {@code warn}; these tests raise
 * {@code dev.parley.requests} to {@code info} while they run (through the logging system
 * rather than {@code @TestPropertySource}, so the shared application contexts are reused and
 * the level is put back afterwards for the other test classes).
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class SecretsAndCachingTests extends ApiTest {

    private static final String REQUEST_LOGGER = "dev.parley.requests";

    @BeforeEach
    void logRequests() {
        LoggingSystem.get(getClass().getClassLoader()).setLogLevel(REQUEST_LOGGER, LogLevel.INFO);
    }

    @AfterEach
    void quietAgain() {
        LoggingSystem.get(getClass().getClassLoader()).setLogLevel(REQUEST_LOGGER, LogLevel.WARN);
    }

    @Test
    void noPasswordOrTokenAppearsInAnyLogLine(CapturedOutput output) {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String username = "secretive_" + tag;
        String password = "Pa55-first-" + tag + "-horse";
        String newPassword = "Pa55-second-" + tag + "-staple";
        String wrongPassword = "Pa55-wrong-" + tag + "-battery";
        List<String> secrets = new ArrayList<>(List.of(password, newPassword, wrongPassword));

        Session session = api.register(username, password);
        secrets.add(session.accessToken());
        secrets.add(session.refreshToken());
        assertThat(api.post("/api/v1/auth/login", null, object("username", username, "password", wrongPassword)).status())
                .isEqualTo(401);
        Response refreshed = api.post("/api/v1/auth/refresh", null, object("refresh_token", session.refreshToken()));
        assertThat(refreshed.status()).isEqualTo(200);
        String access = refreshed.json().get("access_token").asString();
        String refresh = refreshed.json().get("refresh_token").asString();
        secrets.add(access);
        secrets.add(refresh);
        Session current = new Session(session.userId(), username, access, refresh);
        Response changed = api.post("/api/v1/me/password", current,
                object("current_password", password, "new_password", newPassword));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        if (changed.json().has("access_token")) {
            secrets.add(changed.json().get("access_token").asString());
            secrets.add(changed.json().get("refresh_token").asString());
        }
        // reusing the rotated refresh token revokes the family: a logged security event
        assertThat(api.post("/api/v1/auth/refresh", null, object("refresh_token", session.refreshToken())).status())
                .isEqualTo(401);
        Session after = api.login(username, newPassword);
        secrets.add(after.accessToken());
        secrets.add(after.refreshToken());
        // a token in the query string (a client mistake) is not logged either
        api.get("/api/v1/me?access_token=" + after.accessToken(), after);
        api.post("/api/v1/auth/logout", after, null);

        String log = output.getAll();
        // the request lines were really written, so the absence below means something
        assertThat(log).contains("/api/v1/auth/login").contains("/api/v1/me/password").contains("/api/v1/auth/refresh");
        for (String secret : secrets) {
            assertThat(log).as("the log must not contain a password or token").doesNotContain(secret);
            if (secret.startsWith("ey")) { // a JWT: neither its payload nor its signature alone
                String[] parts = secret.split("\\.");
                assertThat(log).doesNotContain(parts[1]).doesNotContain(parts[2]);
            }
        }
    }

    @Test
    void authenticatedAnswersAreNeverCached() {
        Session user = api.newUser("nocache");
        String project = Fixture.id(api.post("/api/v1/projects", user, object("name", "cache")));
        String conversation = Fixture.id(api.post("/api/v1/conversations", user, object("project_id", project)));
        api.post("/api/v1/conversations/" + conversation + "/messages", user, object("role", "user", "content", "hi"));
        List<Response> answers = List.of(
                api.post("/api/v1/auth/login", null, object("username", user.username(), "password", "correct horse battery")),
                api.post("/api/v1/auth/refresh", null, object("refresh_token", user.refreshToken())),
                api.get("/api/v1/me", user),
                api.patch("/api/v1/me", user, object("full_name", "Cache")),
                api.get("/api/v1/projects", user),
                api.get("/api/v1/projects/" + project, user),
                api.get("/api/v1/projects/" + project + "/summary", user),
                api.get("/api/v1/projects/" + project + "/complete", user),
                api.get("/api/v1/conversations", user),
                api.get("/api/v1/conversations/" + conversation + "/messages", user),
                api.get("/api/v1/conversations/" + conversation + "/context", user),
                api.post("/api/v1/tasks", user, object("title", "cache")),
                api.get("/api/v1/tasks", user),
                api.get("/api/v1/files", user),
                api.get("/api/v1/projects/" + project + "/artifacts", user),
                api.get("/api/v1/projects/" + project + "/logs", user),
                api.get("/api/v1/projects/" + UUID.randomUUID(), user));
        for (Response answer : answers) {
            assertThat(answer.status()).as(answer.toString()).isLessThan(500);
            assertThat(answer.header("Cache-Control")).as(answer.toString()).contains("no-store");
        }
    }

    @Test
    void theDocsPageIsServedUnderARestrictiveContentSecurityPolicy() {
        Response docs = api.get("/api/v1/docs", null);
        int hops = 0;
        while (docs.status() / 100 == 3 && hops++ < 5) {
            String location = docs.header("Location");
            String path = location.startsWith("http") ? location.substring(location.indexOf('/', "http://".length())) : location;
            docs = api.get(path, null);
        }
        assertThat(docs.status()).as(docs.toString()).isEqualTo(200);
        assertThat(docs.header("Content-Type")).startsWith("text/html");
        String csp = docs.header("Content-Security-Policy");
        assertThat(csp).as("Content-Security-Policy of the docs page").isNotNull()
                .contains("default-src 'self'")
                .contains("frame-ancestors 'none'")
                .contains("base-uri 'none'")
                .doesNotContain("unsafe-eval")
                .doesNotContain("*");
        // scripts only from the server itself: no inline or remote script source
        assertThat(directive(csp, "script-src")).doesNotContain("unsafe-inline").doesNotContain("http");
        assertThat(docs.header("X-Frame-Options")).isEqualTo("DENY");
        // the page's own script and the document it loads are served under the same rules
        Response openApi = api.get("/api/v1/openapi.json", null);
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.header("Content-Security-Policy")).isEqualTo(csp);
    }

    private static String directive(String csp, String name) {
        for (String part : csp.split(";")) {
            if (part.trim().startsWith(name + " ")) {
                return part.trim();
            }
        }
        return ""; // falls back to default-src 'self'
    }

    @OnSqlite
    static class OnSqliteTest extends SecretsAndCachingTests {
    }

    @OnPostgres
    static class OnPostgresTest extends SecretsAndCachingTests {
    }
}
