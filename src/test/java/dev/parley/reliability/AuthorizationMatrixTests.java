package dev.parley.reliability;

import static dev.parley.support.Api.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiFunction;

import dev.parley.reliability.Fixture.Role;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every route of the served OpenAPI document, run as anonymous, stranger, viewer, editor,
 * owner and admin, against the rules declared here. A route without a rule fails the test:
 * a new route must say who may use it.
 */
abstract class AuthorizationMatrixTests extends ApiTest {

    /** Who may use a route: everyone, any signed-in user, a project role, or admins only. */
    enum Access { PUBLIC, USER, VIEWER, EDITOR, OWNER, ADMIN }

    record Request(String path, Object body) {
    }

    /**
     * A route's rule. {@code request} builds the concrete request for a role (making fresh
     * resources for destructive routes); {@code endsSession} routes revoke the caller's tokens,
     * so the caller logs in again afterwards.
     */
    record Rule(Access access, BiFunction<Fixture, Role, Request> request, boolean endsSession) {
    }

    private static Rule rule(Access access, BiFunction<Fixture, Role, Request> request) {
        return new Rule(access, request, false);
    }

    private static Request at(String path) {
        return new Request(path, null);
    }

    private static Request at(String path, Object body) {
        return new Request(path, body);
    }

    private static final String V1 = "/api/v1";

    /** The imports directory of the instance under test, for the import route's dry run. */
    private static volatile java.nio.file.Path importsDirectory;

    @org.springframework.beans.factory.annotation.Autowired
    void importsDirectory(dev.parley.config.ParleyProperties parley) {
        importsDirectory = parley.dataDir().resolve("imports");
    }

    /** An empty ChatGPT export in the imports directory, named relative to it. */
    private static String emptyChatGptExport() {
        if (importsDirectory == null) {
            return "matrix-conversations.json";
        }
        try {
            java.nio.file.Files.createDirectories(importsDirectory);
            java.nio.file.Files.writeString(importsDirectory.resolve("matrix-conversations.json"), "[]");
            return "matrix-conversations.json";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Map<String, Rule> rules() {
        Map<String, Rule> r = new LinkedHashMap<>();
        // auth and users
        r.put("POST /api/v1/auth/register", rule(Access.PUBLIC, (f, role) -> at(V1 + "/auth/register",
                object("username", "reg_" + UUID.randomUUID().toString().substring(0, 8), "password", Fixture.PASSWORD))));
        r.put("POST /api/v1/auth/login", rule(Access.PUBLIC, (f, role) -> at(V1 + "/auth/login",
                object("username", f.loginTarget.username(), "password", Fixture.PASSWORD))));
        r.put("POST /api/v1/auth/refresh", rule(Access.PUBLIC, (f, role) -> at(V1 + "/auth/refresh",
                object("refresh_token", f.api.login(f.extra.username(), Fixture.PASSWORD).refreshToken()))));
        r.put("POST /api/v1/auth/logout", new Rule(Access.USER, (f, role) -> at(V1 + "/auth/logout"), true));
        r.put("POST /api/v1/auth/logout-all", new Rule(Access.USER, (f, role) -> at(V1 + "/auth/logout-all"), true));
        r.put("POST /api/v1/me/password", new Rule(Access.USER, (f, role) -> {
            String next = Fixture.PASSWORD + " " + UUID.randomUUID().toString().substring(0, 4);
            Request request = at(V1 + "/me/password", object("current_password",
                    role == Role.ANONYMOUS || role == null ? Fixture.PASSWORD : f.passwords.get(role), "new_password", next));
            if (role != Role.ANONYMOUS) {
                f.passwords.put(role, next); // undone below if the change is refused
            }
            return request;
        }, true));
        r.put("GET /api/v1/me", rule(Access.USER, (f, role) -> at(V1 + "/me")));
        r.put("PATCH /api/v1/me", rule(Access.USER, (f, role) -> at(V1 + "/me", object("full_name", "Matrix"))));
        r.put("GET /api/v1/admin/users", rule(Access.ADMIN, (f, role) -> at(V1 + "/admin/users")));
        r.put("PATCH /api/v1/admin/users/{id}", rule(Access.ADMIN, (f, role) ->
                at(V1 + "/admin/users/" + f.extra.userId(), object("is_active", true))));
        r.put("GET /api/v1/health", rule(Access.PUBLIC, (f, role) -> at(V1 + "/health")));
        // projects
        r.put("POST /api/v1/projects", rule(Access.USER, (f, role) -> at(V1 + "/projects", object("name", "mine"))));
        r.put("GET /api/v1/projects", rule(Access.USER, (f, role) -> at(V1 + "/projects")));
        r.put("GET /api/v1/projects/{id}", rule(Access.VIEWER, (f, role) -> at(V1 + "/projects/" + f.project)));
        r.put("PATCH /api/v1/projects/{id}", rule(Access.OWNER, (f, role) ->
                at(V1 + "/projects/" + f.project, object("description", "set by " + role))));
        r.put("DELETE /api/v1/projects/{id}", rule(Access.OWNER, (f, role) -> at(V1 + "/projects/" + f.newProject())));
        r.put("GET /api/v1/projects/{id}/summary", rule(Access.VIEWER, (f, role) -> at(V1 + "/projects/" + f.project + "/summary")));
        r.put("GET /api/v1/projects/{id}/complete", rule(Access.VIEWER, (f, role) -> at(V1 + "/projects/" + f.project + "/complete")));
        r.put("GET /api/v1/projects/{id}/export", rule(Access.VIEWER, (f, role) -> at(V1 + "/projects/" + f.project + "/export")));
        r.put("POST /api/v1/admin/imports", rule(Access.ADMIN, (f, role) -> at(V1 + "/admin/imports",
                object("source", "chatgpt", "location", emptyChatGptExport(), "dry_run", true))));
        r.put("GET /api/v1/projects/{id}/members", rule(Access.VIEWER, (f, role) -> at(V1 + "/projects/" + f.project + "/members")));
        r.put("PUT /api/v1/projects/{id}/members/{userId}", rule(Access.OWNER, (f, role) ->
                at(V1 + "/projects/" + f.project + "/members/" + f.extra.userId(), object("role", "viewer"))));
        r.put("DELETE /api/v1/projects/{id}/members/{userId}", rule(Access.OWNER, (f, role) -> {
            Fixture.ok(f.api.put(V1 + "/projects/" + f.project + "/members/" + f.extra.userId(), f.owner(), object("role", "viewer")));
            return at(V1 + "/projects/" + f.project + "/members/" + f.extra.userId());
        }));
        // conversations and messages
        r.put("POST /api/v1/conversations", rule(Access.EDITOR, (f, role) ->
                at(V1 + "/conversations", object("project_id", f.project))));
        r.put("GET /api/v1/conversations", rule(Access.USER, (f, role) -> at(V1 + "/conversations")));
        r.put("GET /api/v1/projects/{projectId}/conversations", rule(Access.VIEWER, (f, role) ->
                at(V1 + "/projects/" + f.project + "/conversations")));
        r.put("GET /api/v1/conversations/{id}", rule(Access.VIEWER, (f, role) -> at(V1 + "/conversations/" + f.conversation)));
        r.put("PATCH /api/v1/conversations/{id}", rule(Access.EDITOR, (f, role) ->
                at(V1 + "/conversations/" + f.conversation, object("title", "renamed"))));
        r.put("DELETE /api/v1/conversations/{id}", rule(Access.EDITOR, (f, role) -> at(V1 + "/conversations/" + f.newConversation())));
        r.put("POST /api/v1/conversations/{id}/restore", rule(Access.EDITOR, (f, role) -> {
            String id = f.newConversation();
            Fixture.ok(f.api.delete(V1 + "/conversations/" + id, f.owner()));
            return at(V1 + "/conversations/" + id + "/restore");
        }));
        r.put("PUT /api/v1/conversations/{id}/leaf", rule(Access.EDITOR, (f, role) ->
                at(V1 + "/conversations/" + f.conversation + "/leaf", object("message_id", f.lastMessage))));
        r.put("GET /api/v1/conversations/{id}/context", rule(Access.VIEWER, (f, role) ->
                at(V1 + "/conversations/" + f.conversation + "/context")));
        r.put("POST /api/v1/conversations/{id}/messages", rule(Access.EDITOR, (f, role) ->
                at(V1 + "/conversations/" + f.conversation + "/messages", object("role", "user", "content", "hi",
                        "parent_id", f.lastMessage, "usage", object("prompt_tokens", 1, "completion_tokens", 2)))));
        r.put("POST /api/v1/conversations/{id}/messages/batch", rule(Access.EDITOR, (f, role) ->
                at(V1 + "/conversations/" + f.conversation + "/messages/batch", object("messages",
                        List.of(object("role", "user", "content", "q", "parent_id", f.lastMessage),
                                object("role", "assistant", "content", "a"))))));
        r.put("GET /api/v1/conversations/{id}/messages", rule(Access.VIEWER, (f, role) ->
                at(V1 + "/conversations/" + f.conversation + "/messages")));
        r.put("GET /api/v1/conversations/{id}/messages/{messageId}", rule(Access.VIEWER, (f, role) ->
                at(V1 + "/conversations/" + f.conversation + "/messages/" + f.firstMessage)));
        r.put("PATCH /api/v1/conversations/{id}/messages/{messageId}", rule(Access.EDITOR, (f, role) ->
                at(V1 + "/conversations/" + f.conversation + "/messages/" + f.firstMessage, object("content", "edited"))));
        r.put("DELETE /api/v1/conversations/{id}/messages/{messageId}", rule(Access.EDITOR, (f, role) -> {
            String conversation = f.newConversation();
            return at(V1 + "/conversations/" + conversation + "/messages/" + f.newMessage(conversation));
        }));
        r.put("GET /api/v1/projects/{projectId}/messages", rule(Access.VIEWER, (f, role) ->
                at(V1 + "/projects/" + f.project + "/messages")));
        // tasks
        r.put("POST /api/v1/tasks", rule(Access.EDITOR, (f, role) ->
                at(V1 + "/tasks", object("project_id", f.project, "title", "t"))));
        r.put("GET /api/v1/tasks", rule(Access.USER, (f, role) -> at(V1 + "/tasks")));
        r.put("GET /api/v1/tasks/{id}", rule(Access.VIEWER, (f, role) -> at(V1 + "/tasks/" + f.task)));
        r.put("PATCH /api/v1/tasks/{id}", rule(Access.EDITOR, (f, role) -> at(V1 + "/tasks/" + f.task, object("completed", true))));
        r.put("DELETE /api/v1/tasks/{id}", rule(Access.EDITOR, (f, role) -> at(V1 + "/tasks/"
                + Fixture.id(f.api.post(V1 + "/tasks", f.owner(), object("project_id", f.project, "title", "doomed"))))));
        // files and documents
        r.put("POST /api/v1/projects/{id}/files", rule(Access.EDITOR, null));
        r.put("POST /api/v1/files", rule(Access.USER, null));
        r.put("GET /api/v1/files", rule(Access.USER, (f, role) -> at(V1 + "/files")));
        r.put("GET /api/v1/projects/{id}/files", rule(Access.VIEWER, (f, role) -> at(V1 + "/projects/" + f.project + "/files")));
        r.put("GET /api/v1/projects/{id}/files/latest", rule(Access.VIEWER, (f, role) ->
                at(V1 + "/projects/" + f.project + "/files/latest?purpose=input")));
        r.put("GET /api/v1/files/{id}", rule(Access.VIEWER, (f, role) -> at(V1 + "/files/" + f.file)));
        r.put("DELETE /api/v1/files/{id}", rule(Access.EDITOR, (f, role) -> at(V1 + "/files/" + f.newProjectFile(f.project))));
        r.put("GET /api/v1/files/{id}/content", rule(Access.VIEWER, (f, role) -> at(V1 + "/files/" + f.file + "/content")));
        r.put("GET /api/v1/conversations/{id}/documents", rule(Access.VIEWER, (f, role) ->
                at(V1 + "/conversations/" + f.conversation + "/documents")));
        r.put("GET /api/v1/conversations/{id}/documents/{fileId}", rule(Access.VIEWER, (f, role) ->
                at(V1 + "/conversations/" + f.conversation + "/documents/" + f.file)));
        r.put("PUT /api/v1/conversations/{id}/documents/{fileId}", rule(Access.EDITOR, (f, role) ->
                at(V1 + "/conversations/" + f.conversation + "/documents/" + f.file)));
        r.put("DELETE /api/v1/conversations/{id}/documents/{fileId}", rule(Access.EDITOR, (f, role) -> {
            String fresh = f.newProjectFile(f.project);
            Fixture.ok(f.api.put(V1 + "/conversations/" + f.conversation + "/documents/" + fresh, f.owner(), null));
            return at(V1 + "/conversations/" + f.conversation + "/documents/" + fresh);
        }));
        // artifacts and logs
        r.put("POST /api/v1/projects/{projectId}/artifacts", rule(Access.EDITOR, (f, role) ->
                at(V1 + "/projects/" + f.project + "/artifacts", object("name", "b.md", "kind", "document", "content", "# b"))));
        r.put("GET /api/v1/projects/{projectId}/artifacts", rule(Access.VIEWER, (f, role) ->
                at(V1 + "/projects/" + f.project + "/artifacts")));
        r.put("GET /api/v1/projects/{projectId}/artifacts/{id}", rule(Access.VIEWER, (f, role) ->
                at(V1 + "/projects/" + f.project + "/artifacts/" + f.artifact)));
        r.put("PATCH /api/v1/projects/{projectId}/artifacts/{id}", rule(Access.EDITOR, (f, role) ->
                at(V1 + "/projects/" + f.project + "/artifacts/" + f.artifact, object("content", "print(" + role + ")"))));
        r.put("DELETE /api/v1/projects/{projectId}/artifacts/{id}", rule(Access.EDITOR, (f, role) ->
                at(V1 + "/projects/" + f.project + "/artifacts/" + f.newArtifact())));
        r.put("GET /api/v1/projects/{projectId}/artifacts/{id}/versions", rule(Access.VIEWER, (f, role) ->
                at(V1 + "/projects/" + f.project + "/artifacts/" + f.artifact + "/versions")));
        r.put("GET /api/v1/projects/{projectId}/artifacts/{id}/versions/{version}", rule(Access.VIEWER, (f, role) ->
                at(V1 + "/projects/" + f.project + "/artifacts/" + f.artifact + "/versions/1")));
        r.put("POST /api/v1/projects/{projectId}/logs", rule(Access.EDITOR, (f, role) ->
                at(V1 + "/projects/" + f.project + "/logs", object("level", "warning", "summary", "by " + role))));
        r.put("GET /api/v1/projects/{projectId}/logs", rule(Access.VIEWER, (f, role) ->
                at(V1 + "/projects/" + f.project + "/logs")));
        // knowledge base: owners change its settings, editors its files, viewers read and search
        r.put("PUT /api/v1/projects/{projectId}/knowledge-base", rule(Access.OWNER, (f, role) ->
                at(V1 + "/projects/" + f.project + "/knowledge-base", object("description", "by " + role))));
        r.put("GET /api/v1/projects/{projectId}/knowledge-base", rule(Access.VIEWER, (f, role) ->
                at(f.knowledgeBase())));
        r.put("GET /api/v1/projects/{projectId}/knowledge-base/files", rule(Access.VIEWER, (f, role) ->
                at(f.knowledgeBase() + "/files")));
        r.put("POST /api/v1/projects/{projectId}/knowledge-base/files", rule(Access.EDITOR, (f, role) ->
                at(f.knowledgeBase() + "/files", object("file_id", f.newProjectFile(f.project)))));
        r.put("DELETE /api/v1/projects/{projectId}/knowledge-base/files/{fileId}", rule(Access.EDITOR, (f, role) ->
                at(f.knowledgeBase() + "/files/" + f.newKnowledgeFile())));
        r.put("POST /api/v1/projects/{projectId}/knowledge-base/search", rule(Access.VIEWER, (f, role) ->
                at(f.knowledgeBase() + "/search", object("query", "matrix", "mode", "lexical"))));
        r.put("POST /api/v1/projects/{projectId}/knowledge-base/reindex", rule(Access.EDITOR, (f, role) ->
                at(f.knowledgeBase() + "/reindex")));
        return r;
    }

    /** The routes the served document lists under /api/v1, as "METHOD path". */
    private Set<String> servedRoutes() {
        JsonNode paths = api.get("/api/v1/openapi.json", null).json().get("paths");
        Set<String> routes = new TreeSet<>();
        for (String path : paths.propertyNames()) {
            if (!path.startsWith("/api/v1")) {
                continue;
            }
            for (String method : paths.get(path).propertyNames()) {
                if (Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(method)) {
                    routes.add(method.toUpperCase() + " " + path);
                }
            }
        }
        return routes;
    }

    @Test
    void everyServedRouteDeclaresItsAccessRule() {
        Set<String> served = servedRoutes();
        assertThat(served).as("the served OpenAPI document lists the routes").hasSizeGreaterThan(40);
        assertThat(rules().keySet()).as("routes of the OpenAPI document without a rule in this test")
                .containsAll(served);
        assertThat(served).as("rules for routes the OpenAPI document no longer lists").containsAll(rules().keySet());
    }

    static int expected(Access access, Role role) {
        int success = 200; // any 2xx
        if (role == Role.ANONYMOUS) {
            return access == Access.PUBLIC ? success : 401;
        }
        return switch (access) {
            case PUBLIC, USER -> success;
            case ADMIN -> role == Role.ADMIN ? success : 403;
            case VIEWER, EDITOR, OWNER -> {
                if (role == Role.ADMIN) {
                    yield success;
                }
                if (role == Role.STRANGER) {
                    yield 404;
                }
                int rank = role.ordinal() - Role.VIEWER.ordinal();
                int needed = access.ordinal() - Access.VIEWER.ordinal();
                yield rank >= needed ? success : 403;
            }
        };
    }

    @Test
    void everyRouteAnswersEachRoleAsItsRuleSays() {
        Fixture f = new Fixture(api, admin);
        List<String> failures = new ArrayList<>();
        int checked = 0;
        Set<String> served = servedRoutes();
        for (Map.Entry<String, Rule> entry : rules().entrySet()) {
            if (!served.contains(entry.getKey())) {
                continue;
            }
            String method = entry.getKey().substring(0, entry.getKey().indexOf(' '));
            Rule rule = entry.getValue();
            for (Role role : Role.values()) {
                Session session = role == Role.ANONYMOUS ? null : f.session(role);
                String previousPassword = f.passwords.get(role);
                Response response;
                if (rule.request() == null) { // multipart uploads
                    String path = entry.getKey().contains("{id}") ? V1 + "/projects/" + f.project + "/files" : V1 + "/files";
                    response = f.upload(path, session, "output");
                } else {
                    Request request = rule.request().apply(f, role);
                    response = api.send(method, request.path(), session, request.body(), Map.of());
                }
                checked++;
                int want = expected(rule.access(), role);
                boolean good = want == 200 ? response.status() / 100 == 2 : response.status() == want;
                if (!good) {
                    failures.add(entry.getKey() + " as " + role + ": expected " + (want == 200 ? "2xx" : want)
                            + ", got " + response);
                } else if (want != 200 && !String.valueOf(response.header("Content-Type")).startsWith("application/problem+json")) {
                    failures.add(entry.getKey() + " as " + role + ": " + want + " without a problem document");
                }
                if (role != Role.ANONYMOUS && rule.endsSession()) {
                    if (response.status() / 100 != 2 && previousPassword != null) {
                        f.passwords.put(role, previousPassword);
                    }
                    f.relogin(role);
                }
            }
        }
        System.out.println("authorization matrix: " + rules().size() + " routes x " + Role.values().length
                + " roles = " + checked + " checks");
        assertThat(failures).as("authorization failures").isEmpty();
        assertThat(checked).isEqualTo(served.size() * Role.values().length);
    }

    /**
     * A user's personal conversation and library file belong to that user alone: nobody else,
     * not even an admin, sees them.
     */
    @Test
    void personalConversationsAndLibraryFilesAreInvisibleToEveryoneElse() {
        Fixture f = new Fixture(api, admin);
        List<String> failures = new ArrayList<>();
        List<String[]> requests = List.of(
                new String[] {"GET", V1 + "/conversations/" + f.personal},
                new String[] {"PATCH", V1 + "/conversations/" + f.personal},
                new String[] {"DELETE", V1 + "/conversations/" + f.personal},
                new String[] {"GET", V1 + "/conversations/" + f.personal + "/messages"},
                new String[] {"POST", V1 + "/conversations/" + f.personal + "/messages"},
                new String[] {"GET", V1 + "/conversations/" + f.personal + "/context"},
                new String[] {"GET", V1 + "/conversations/" + f.personal + "/documents"},
                new String[] {"PUT", V1 + "/conversations/" + f.personal + "/documents/" + f.library},
                new String[] {"GET", V1 + "/files/" + f.library},
                new String[] {"GET", V1 + "/files/" + f.library + "/content"},
                new String[] {"DELETE", V1 + "/files/" + f.library});
        for (Role role : List.of(Role.STRANGER, Role.VIEWER, Role.EDITOR, Role.ADMIN)) {
            for (String[] request : requests) {
                Object body = switch (request[0]) {
                    case "PATCH" -> object("title", "taken");
                    case "POST" -> object("role", "user", "content", "intruder");
                    default -> null;
                };
                Response response = api.send(request[0], request[1], f.session(role), body, Map.of());
                if (response.status() != 404) {
                    failures.add(request[0] + " " + request[1] + " as " + role + ": " + response);
                }
            }
        }
        assertThat(failures).isEmpty();
        // and the owner still has them
        assertThat(api.get(V1 + "/conversations/" + f.personal + "/messages", f.owner()).json().get("data")).hasSize(1);
        assertThat(api.get(V1 + "/files/" + f.library, f.owner()).status()).isEqualTo(200);
    }

    @OnSqlite
    static class OnSqliteTest extends AuthorizationMatrixTests {
    }

    @OnPostgres
    static class OnPostgresTest extends AuthorizationMatrixTests {
    }
}
