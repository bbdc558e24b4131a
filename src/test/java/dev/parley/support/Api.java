package dev.parley.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real HTTP client for API tests: JSON in, {@link Response} out. Requests carry the
 * session's bearer token when one is given.
 */
public final class Api {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final Duration timeout;

    public Api(int port) {
        this(port, Duration.ofSeconds(60));
    }

    /** A client that gives up on an answer after {@code timeout} (an exception, not a status). */
    public Api(int port, Duration timeout) {
        this.base = "http://127.0.0.1:" + port;
        this.timeout = timeout;
    }

    public record Response(int status, Map<String, String> headers, String text) {

        public JsonNode json() {
            return text == null || text.isEmpty() ? JSON.nullNode() : JSON.readTree(text);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        /** The problem's {@code code}, for asserting on errors. */
        public String code() {
            return json().path("code").asString();
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    /** A logged-in user: its id and tokens. */
    public record Session(UUID userId, String username, String accessToken, String refreshToken) {
    }

    public Response get(String path, Session session) {
        return send("GET", path, session, null, Map.of());
    }

    public Response delete(String path, Session session) {
        return send("DELETE", path, session, null, Map.of());
    }

    public Response post(String path, Session session, Object body) {
        return send("POST", path, session, body, Map.of());
    }

    public Response put(String path, Session session, Object body) {
        return send("PUT", path, session, body, Map.of());
    }

    public Response patch(String path, Session session, Object body) {
        return send("PATCH", path, session, body, Map.of());
    }

    /**
     * Sends a request. A String body goes as it is (to test malformed JSON); anything else is
     * serialized to JSON.
     */
    public Response send(String method, String path, Session session, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (session != null) {
            request.header("Authorization", "Bearer " + session.accessToken());
        }
        boolean hasContentType = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("content-type"));
        if (body != null && !hasContentType) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : body instanceof byte[] bytes ? HttpRequest.BodyPublishers.ofByteArray(bytes)
                : HttpRequest.BodyPublishers.ofString(body instanceof String text ? text : JSON.writeValueAsString(body));
        request.method(method, publisher);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> responseHeaders = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) ->
                    responseHeaders.put(name.toLowerCase(java.util.Locale.ROOT), String.join(", ", values)));
            return new Response(response.statusCode(), responseHeaders, response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET of raw bytes (a file's content): the status and the body as it came. */
    public record Bytes(int status, byte[] body) {
    }

    public Bytes getBytes(String path, Session session) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET();
        if (session != null) {
            request.header("Authorization", "Bearer " + session.accessToken());
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Bytes(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode object(Object... keysAndValues) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.set((String) keysAndValues[i], JSON.valueToTree(keysAndValues[i + 1]));
        }
        return node;
    }

    /** Registers a user with a unique name built from {@code prefix} and logs it in. */
    public Session newUser(String prefix) {
        String username = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        return register(username, "correct horse battery");
    }

    public Session register(String username, String password) {
        Response registered = post("/api/v1/auth/register", null, object("username", username, "password", password));
        if (registered.status() != 201) {
            throw new IllegalStateException("register " + username + ": " + registered);
        }
        return login(username, password);
    }

    public Session login(String username, String password) {
        Response login = post("/api/v1/auth/login", null, object("username", username, "password", password));
        if (login.status() != 200) {
            throw new IllegalStateException("login " + username + ": " + login);
        }
        JsonNode tokens = login.json();
        Session partial = new Session(null, username, tokens.get("access_token").asString(),
                tokens.get("refresh_token").asString());
        UUID id = UUID.fromString(get("/api/v1/me", partial).json().get("id").asString());
        return new Session(id, username, partial.accessToken(), partial.refreshToken());
    }
}
