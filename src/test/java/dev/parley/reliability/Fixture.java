package dev.parley.reliability;

import static dev.parley.support.Api.object;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;

/**
 * The resources the reliability tests act on: a project with a member in every role, a
 * conversation with messages in it, a task, a file, an artifact, a log, a document
 * attachment, a library file and a personal conversation. Helpers make fresh ones for
 * destructive requests.
 */
final class Fixture {

    static final String PASSWORD = "correct horse battery";

    enum Role { ANONYMOUS, STRANGER, VIEWER, EDITOR, OWNER, ADMIN }

    final Api api;
    final Map<Role, Session> sessions = new EnumMap<>(Role.class);
    final Map<Role, String> passwords = new EnumMap<>(Role.class);
    Session extra;
    /** The account the login route is tried on (bad-input runs may lock it out). */
    Session loginTarget;
    String project;
    String conversation;
    String firstMessage;
    String lastMessage;
    String task;
    String file;
    String artifact;
    String log;
    String library;
    String personal;

    Fixture(Api api, Session admin) {
        this.api = api;
        for (Role role : List.of(Role.STRANGER, Role.VIEWER, Role.EDITOR, Role.OWNER, Role.ADMIN)) {
            sessions.put(role, api.newUser(role.name().toLowerCase()));
            passwords.put(role, PASSWORD);
        }
        // a second admin of its own, so changing its password or logging it out harms no other test
        ok(api.patch("/api/v1/admin/users/" + session(Role.ADMIN).userId(), admin, object("role", "admin")));
        relogin(Role.ADMIN);
        extra = api.newUser("extra");
        loginTarget = api.newUser("login");
        project = newProject();
        conversation = id(api.post("/api/v1/conversations", owner(), object("project_id", project, "title", "matrix")));
        firstMessage = newMessage(conversation);
        lastMessage = id(api.post("/api/v1/conversations/" + conversation + "/messages", owner(),
                object("role", "assistant", "content", "hi", "usage", object("prompt_tokens", 3, "completion_tokens", 4))));
        task = id(api.post("/api/v1/tasks", owner(), object("project_id", project, "title", "matrix task")));
        file = newProjectFile(project);
        artifact = newArtifact();
        log = id(api.post("/api/v1/projects/" + project + "/logs", owner(), object("level", "info", "summary", "ran")));
        ok(api.put("/api/v1/conversations/" + conversation + "/documents/" + file, owner(), null));
        library = id(upload("/api/v1/files", owner(), "attachment"));
        personal = id(api.post("/api/v1/conversations", owner(), object("title", "mine")));
        newMessage(personal);
    }

    Session session(Role role) {
        return sessions.get(role);
    }

    Session owner() {
        return sessions.get(Role.OWNER);
    }

    void relogin(Role role) {
        sessions.put(role, api.login(sessions.get(role).username(), passwords.get(role)));
    }

    private String knowledgeBase;

    /** The path of the fixture project's knowledge base, made by its owner on first use. */
    String knowledgeBase() {
        if (knowledgeBase == null) {
            String path = "/api/v1/projects/" + project + "/knowledge-base";
            ok(api.put(path, owner(), object("name", "matrix")));
            knowledgeBase = path;
        }
        return knowledgeBase;
    }

    /** A fresh file of the fixture project, added to its knowledge base by the owner. */
    String newKnowledgeFile() {
        String fileId = newProjectFile(project);
        ok(api.post(knowledgeBase() + "/files", owner(), object("file_id", fileId)));
        return fileId;
    }

    /** A project owned by OWNER with VIEWER and EDITOR as members. */
    String newProject() {
        String id = id(api.post("/api/v1/projects", owner(), object("name", "matrix " + UUID.randomUUID())));
        ok(api.put("/api/v1/projects/" + id + "/members/" + session(Role.VIEWER).userId(), owner(), object("role", "viewer")));
        ok(api.put("/api/v1/projects/" + id + "/members/" + session(Role.EDITOR).userId(), owner(), object("role", "editor")));
        return id;
    }

    String newConversation() {
        return id(api.post("/api/v1/conversations", owner(), object("project_id", project, "title", "fresh")));
    }

    /** A message without usage (deleting it leaves the project's token usage exact). */
    String newMessage(String conversationId) {
        return id(api.post("/api/v1/conversations/" + conversationId + "/messages", owner(),
                object("role", "user", "content", "hello")));
    }

    String newArtifact() {
        return id(api.post("/api/v1/projects/" + project + "/artifacts", owner(),
                object("name", "a.py", "kind", "code", "content", "print(1)")));
    }

    String newProjectFile(String projectId) {
        return id(upload("/api/v1/projects/" + projectId + "/files", owner(), "input"));
    }

    Response upload(String path, Session session, String purpose) {
        String boundary = "----matrix" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n" + purpose
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nsome notes " + UUID.randomUUID() + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return api.send("POST", path, session, body.toByteArray(),
                Map.of("Content-Type", "multipart/form-data; boundary=" + boundary));
    }

    static String id(Response response) {
        ok(response);
        return response.json().get("id").asString();
    }

    static Response ok(Response response) {
        if (response.status() / 100 != 2) {
            throw new IllegalStateException("fixture request failed: " + response);
        }
        return response;
    }
}
