package dev.parley.knowledge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.KnowledgeBaseStatus;
import tools.jackson.databind.JsonNode;

/** What the knowledge-base tests do over HTTP again and again. */
final class KnowledgeClient {

    private final Api api;

    KnowledgeClient(Api api) {
        this.api = api;
    }

    String project(Session owner) {
        Response created = api.post("/api/v1/projects", owner, Api.object("name", "kb " + UUID.randomUUID()));
        if (created.status() != 201) {
            throw new IllegalStateException(created.toString());
        }
        return created.json().get("id").asString();
    }

    JsonNode createKnowledgeBase(Session owner, String project) {
        Response put = api.put(base(project), owner, Api.object("name", "Docs"));
        if (put.status() != 201) {
            throw new IllegalStateException(put.toString());
        }
        return put.json();
    }

    static String base(String project) {
        return "/api/v1/projects/" + project + "/knowledge-base";
    }

    /** Uploads to the project (purpose knowledge) and answers the file id. */
    String upload(Session session, String project, String filename, String type, byte[] bytes) {
        String boundary = "----kb" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nknowledge\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                    + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(bytes);
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Response uploaded = api.send("POST", "/api/v1/projects/" + project + "/files", session, body.toByteArray(),
                Map.of("Content-Type", "multipart/form-data; boundary=" + boundary));
        if (uploaded.status() != 201) {
            throw new IllegalStateException(uploaded.toString());
        }
        return uploaded.json().get("id").asString();
    }

    /** Uploads and adds to the knowledge base. */
    String add(Session session, String project, String filename, String type, byte[] bytes) {
        String id = upload(session, project, filename, type, bytes);
        Response added = api.post(base(project) + "/files", session, Api.object("file_id", id));
        if (added.status() != 202) {
            throw new IllegalStateException(added.toString());
        }
        return id;
    }

    /** Waits until no file waits or is being indexed; answers the knowledge base then. */
    JsonNode settled(Session session, String project) {
        return settled(session, project, Duration.ofMinutes(3));
    }

    JsonNode settled(Session session, String project, Duration patience) {
        return KnowledgeBaseStatus.settled(api, session, project, patience);
    }

    Response search(Session session, String project, Object... fields) {
        return api.post(base(project) + "/search", session, Api.object(fields));
    }
}
