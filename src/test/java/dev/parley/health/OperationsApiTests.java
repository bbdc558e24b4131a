package dev.parley.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Health, the API description and its docs page, and metrics. */
abstract class OperationsApiTests extends ApiTest {

    @Test
    void healthIsUpWithoutAToken() {
        Response health = api.get("/api/v1/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.header("Content-Type")).startsWith("application/json");
        JsonNode body = health.json();
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("status", "database", "blob_store", "index");
        assertThat(body.get("status").asString()).isEqualTo("up");
        assertThat(body.get("database").asString()).isEqualTo("up");
        assertThat(body.get("blob_store").asString()).isEqualTo("up");
        assertThat(body.get("index").asString()).isEqualTo("up");
        assertThat(health.header("Cache-Control")).contains("no-store");
    }

    @Test
    void theOpenApiDocumentIsServedWithoutATokenAndListsTheProjectRoutes() {
        Response openapi = api.get("/api/v1/openapi.json", null);
        assertThat(openapi.status()).isEqualTo(200);
        assertThat(openapi.header("Content-Type")).startsWith("application/json");
        JsonNode doc = openapi.json();
        assertThat(doc.get("openapi").asString()).startsWith("3.");
        JsonNode paths = doc.get("paths");
        assertThat(paths.has("/api/v1/projects")).isTrue();
        assertThat(paths.has("/api/v1/projects/{id}")).isTrue();
        assertThat(paths.has("/api/v1/projects/{id}/members/{userId}") || paths.has("/api/v1/projects/{id}/members/{user_id}"))
                .isTrue();
        assertThat(paths.get("/api/v1/projects").has("post")).isTrue();
        assertThat(paths.has("/api/v1/auth/login")).isTrue();
        assertThat(paths.has("/api/v1/health")).isTrue();
    }

    @Test
    void theDocsPageIsServedWithoutAToken() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/docs")).build();
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        assertThat(response.statusCode()).as(response.uri() + " " + response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(response.body()).containsIgnoringCase("swagger");
    }

    @Test
    void metricsAreForAdminsOnly() {
        Response anonymous = api.get("/metrics", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("Content-Type")).startsWith("application/problem+json");
        Session user = api.newUser("metrics");
        Response forbidden = api.get("/metrics", user);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.code()).isEqualTo("forbidden");

        Response metrics = api.get("/metrics", admin);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain");
        assertThat(metrics.text()).contains("# TYPE").contains("jvm_memory_used_bytes").contains("http_server_requests");
    }

    @OnSqlite
    static class OnSqliteTest extends OperationsApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends OperationsApiTests {
    }
}
