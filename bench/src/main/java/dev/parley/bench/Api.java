package dev.parley.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A thin client for Parley's REST API over one keep-alive {@link HttpClient} (HTTP/1.1, so
 * connections are reused from its pool the way a typical application client does).
 */
final class Api {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final String base;

    Api(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** A failed call: the status and the start of the body. */
    static final class ApiError extends RuntimeException {
        final int status;

        ApiError(String method, String path, int status, String body) {
            super(method + " " + path + ": " + status + " " + (body.length() > 300 ? body.substring(0, 300) : body));
            this.status = status;
        }
    }

    JsonNode get(String path, String token) {
        return send("GET", path, token, null, null);
    }

    JsonNode post(String path, String token, Object body) {
        return send("POST", path, token, body, null);
    }

    JsonNode post(String path, String token, Object body, String idempotencyKey) {
        return send("POST", path, token, body, idempotencyKey);
    }

    JsonNode send(String method, String path, String token, Object body, String idempotencyKey) {
        HttpRequest.Builder request = request(path, token);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        if (body != null) {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(text));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return exchange(method, path, request);
    }

    /** Uploads {@code bytes} as a multipart {@code file} with the given {@code purpose}. */
    JsonNode upload(String path, String token, String filename, byte[] bytes, String purpose) {
        String boundary = "bench-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n" + purpose + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = request(path, token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofByteArray(bytes), HttpRequest.BodyPublishers.ofByteArray(tail)));
        return exchange("POST", path, request);
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1" + path))
                .timeout(Duration.ofSeconds(120))
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private JsonNode exchange(String method, String path, HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RuntimeException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(method + " " + path + ": interrupted", e);
        }
        if (response.statusCode() >= 300) {
            throw new ApiError(method, path, response.statusCode(), response.body());
        }
        return response.body().isEmpty() ? null : JSON.readTree(response.body());
    }

    /** A GET outside {@code /api/v1} answered as text (e.g. {@code /metrics}). */
    String text(String path, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new ApiError("GET", path, response.statusCode(), response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new RuntimeException("GET " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException("GET " + path + ": interrupted", e);
        }
    }

    /** True once {@code /health} answers 200. */
    boolean healthy() {
        try {
            send("GET", "/health", null, null, null);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Registers a user and logs in; returns {user id, access token}. */
    String[] newUser(String username) {
        String password = "bench password " + username;
        JsonNode user = post("/auth/register", null, java.util.Map.of("username", username, "password", password));
        return new String[] {user.get("id").asString(), login(username)};
    }

    /** An access token for a user {@link #newUser} registered, in this run or an earlier one. */
    String login(String username) {
        JsonNode login = post("/auth/login", null,
                java.util.Map.of("username", username, "password", "bench password " + username));
        return login.get("access_token").asString();
    }

    static String key() {
        return UUID.randomUUID().toString();
    }
}
