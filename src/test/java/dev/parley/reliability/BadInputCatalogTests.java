package dev.parley.reliability;

import static dev.parley.support.Api.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.parley.reliability.AuthorizationMatrixTests.Access;
import dev.parley.reliability.AuthorizationMatrixTests.Request;
import dev.parley.reliability.AuthorizationMatrixTests.Rule;
import dev.parley.reliability.Fixture.Role;
import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bad input, generated from the served OpenAPI document plus a hand-kept list of known
 * nasties, sent to every route as a caller that may use it. Each mutation that breaks a rule
 * must be refused with a 4xx problem document; the ones that might be acceptable may
 * succeed; nothing may answer 5xx. Afterwards the database must still be consistent.
 */
abstract class BadInputCatalogTests extends ApiTest {

    @Autowired
    DSLContext db;

    /** One request of the catalog: {@code mustReject} ones have to be 4xx. */
    record Attempt(String label, String method, String path, Object body, Map<String, String> headers, boolean mustReject) {
    }

    private Fixture f;
    private JsonNode openApi;
    private final List<String> failures = new ArrayList<>();
    private int sent;
    private int serverErrors;

    @Test
    void everyBadInputIsAProblemDocumentAndTheDatabaseStaysConsistent() {
        f = new Fixture(api, admin);
        openApi = api.get("/api/v1/openapi.json", null).json();
        Map<String, Rule> rules = AuthorizationMatrixTests.rules();
        JsonNode paths = openApi.get("paths");
        for (String template : paths.propertyNames()) {
            if (!template.startsWith("/api/v1")) {
                continue;
            }
            for (String method : paths.get(template).propertyNames()) {
                String key = method.toUpperCase() + " " + template;
                Rule rule = rules.get(key);
                assertThat(rule).as("a rule for " + key).isNotNull();
                JsonNode operation = paths.get(template).get(method);
                if (rule.request() == null) {
                    uploads(template);
                    continue;
                }
                parameterMutations(key, template, operation, rule);
                JsonNode schema = operation.path("requestBody").path("content").path("application/json").path("schema");
                if (!schema.isMissingNode()) {
                    bodyMutations(key, template, resolve(schema), rule);
                    wholeBodyNasties(key, rule);
                }
            }
        }
        usageOverflow();
        hugeBodies();
        System.out.println("bad-input catalog: " + sent + " requests, " + serverErrors + " answered 5xx");
        assertThat(sent).isGreaterThanOrEqualTo(500);
        assertThat(failures).as(failures.size() + " bad answers").isEmpty();
        integrityCheck();
    }

    // ---------------------------------------------------------------- sending

    /** The caller of routes that end sessions; replaced whenever one of them succeeded. */
    private Session victim;

    private Session callerFor(Rule rule) {
        if (rule.endsSession()) {
            if (victim == null) {
                victim = api.newUser("victim");
            }
            return victim;
        }
        return switch (rule.access()) {
            case PUBLIC -> null;
            case ADMIN -> f.session(Role.ADMIN);
            default -> f.owner();
        };
    }

    private void send(Attempt attempt, Session session) {
        Response response = api.send(attempt.method(), attempt.path(), session, attempt.body(), attempt.headers());
        sent++;
        int status = response.status();
        if (session != null && session == victim && status / 100 == 2) {
            victim = null; // its tokens or password changed: the next request gets a fresh user
        }
        String type = String.valueOf(response.header("Content-Type"));
        String where = attempt.label() + " → " + status + " " + abbreviate(response.text());
        if (status >= 500) {
            serverErrors++;
            failures.add("5xx: " + where);
        } else if (attempt.mustReject() && (status < 400 || status >= 500)) {
            failures.add("accepted: " + where);
        } else if (status >= 400 && !type.startsWith("application/problem+json")) {
            failures.add("not a problem document (" + type + "): " + where);
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** The route's valid request, made fresh (destructive routes get new resources each time). */
    private Request baseline(Rule rule) {
        Request request = rule.request().apply(f, Role.OWNER);
        if (rule.endsSession() && request.body() != null) { // the fresh victim's password
            return new Request(request.path(), object("current_password", Fixture.PASSWORD,
                    "new_password", Fixture.PASSWORD + " renewed"));
        }
        return request;
    }

    // ---------------------------------------------------------------- parameters

    private static final List<String> BAD_UUIDS = List.of("not-a-uuid", "00000000-0000-0000-0000-000000000000",
            "12345", enc("' or 1=1 --"), "%00", "x".repeat(3000), enc("ⅰⅱⅲ"), "%C3%28", "7" + "0".repeat(40),
            enc(UUID.randomUUID() + " "));

    private static final List<String> BAD_INTEGERS = List.of("-1", "0", "abc", "1e400", "9223372036854775808",
            "1.5", "%00", "99999999999999999999999");

    private void parameterMutations(String key, String template, JsonNode operation, Rule rule) {
        String method = key.substring(0, key.indexOf(' '));
        for (JsonNode parameter : operation.path("parameters")) {
            String name = parameter.path("name").asString();
            String in = parameter.path("in").asString();
            JsonNode schema = resolve(parameter.path("schema"));
            List<String> values = new ArrayList<>();
            String type = schema.path("type").asString();
            if ("uuid".equals(schema.path("format").asString())) {
                values.addAll(BAD_UUIDS);
            } else if (type.equals("integer") || type.equals("number")) {
                values.addAll(BAD_INTEGERS);
            } else if (type.equals("boolean")) {
                values.addAll(List.of("maybe", "2", "%00", "truee"));
            } else if (schema.has("enum")) {
                values.addAll(List.of("bogus", "%00", "ASC_", "x".repeat(500)));
            } else if (name.equals("after")) {
                values.addAll(List.of("garbage", "!!!!", b64("[1,2,3]"), b64("{}"), b64("[\"x\",\"y\"]"),
                        b64("[\"2026-01-01T00:00:00Z\",\"not-a-uuid\",3]"), "A".repeat(2000), "%00", b64("\u0000")));
            } else if (name.equals("last")) {
                values.addAll(BAD_INTEGERS);
            } else {
                values.addAll(List.of("%00", "x".repeat(3000)));
            }
            for (String value : values) {
                Request valid = baseline(rule);
                String path;
                if (in.equals("path")) {
                    path = replaceSegment(template, valid.path(), name, value);
                    if (path == null) {
                        continue;
                    }
                } else if (in.equals("query")) {
                    path = withQuery(valid.path(), name, value);
                } else {
                    continue;
                }
                // a negative or zero number is only wrong where the document says so; a query
                // value of NUL alone is trimmed to "not given"; an unknown id filters to nothing
                boolean mustReject = !(value.equals("-1") || value.equals("0")) || schema.has("minimum")
                        && schema.get("minimum").asDouble() > Double.parseDouble(value);
                if (in.equals("query") && (value.equals("%00") && !type.equals("integer")
                        || value.startsWith("00000000") || value.endsWith("+"))) {
                    mustReject = false;
                }
                send(new Attempt(key + " " + in + " " + name + "=" + abbreviate(value), method, path, valid.body(),
                        Map.of(), mustReject), callerFor(rule));
            }
        }
    }

    private static String replaceSegment(String template, String concrete, String name, String value) {
        String bare = concrete.contains("?") ? concrete.substring(0, concrete.indexOf('?')) : concrete;
        String query = concrete.contains("?") ? concrete.substring(concrete.indexOf('?')) : "";
        String[] t = template.split("/");
        String[] c = bare.split("/");
        if (t.length != c.length) {
            return null;
        }
        for (int i = 0; i < t.length; i++) {
            if (t[i].equals("{" + name + "}")) {
                c[i] = value;
                return String.join("/", c) + query;
            }
        }
        return null;
    }

    /** The path with query parameter {@code name} set to {@code value} (replacing it if present). */
    private static String withQuery(String path, String name, String value) {
        if (path.contains("?")) {
            String bare = path.substring(0, path.indexOf('?'));
            List<String> kept = new ArrayList<>();
            for (String pair : path.substring(path.indexOf('?') + 1).split("&")) {
                if (!pair.startsWith(name + "=")) {
                    kept.add(pair);
                }
            }
            kept.add(name + "=" + value);
            return bare + "?" + String.join("&", kept);
        }
        return path + "?" + name + "=" + value;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- bodies

    private JsonNode resolve(JsonNode schema) {
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asString().substring("#/components/schemas/".length());
            return openApi.path("components").path("schemas").path(name);
        }
        return schema;
    }

    private void bodyMutations(String key, String template, JsonNode schema, Rule rule) {
        String method = key.substring(0, key.indexOf(' '));
        JsonNode properties = schema.path("properties");
        Set<String> required = new java.util.HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asString()));
        List<Map.Entry<String, Object>> mutations = new ArrayList<>(); // label → replacement (MISSING removes)
        for (String field : properties.propertyNames()) {
            JsonNode p = resolve(properties.get(field));
            boolean isRequired = required.contains(field);
            String type = p.path("type").asString();
            List<Object[]> cases = new ArrayList<>(); // {label, value, mustReject}
            if (isRequired) {
                cases.add(new Object[] {"missing", MISSING, true});
            }
            cases.add(new Object[] {"null", NULL, isRequired});
            switch (type) {
                case "string" -> {
                    if (p.has("enum")) {
                        cases.add(new Object[] {"unknown enum value", "bogus", true});
                        cases.add(new Object[] {"enum in upper case", p.get("enum").get(0).asString().toUpperCase() + "X", true});
                    }
                    if ("uuid".equals(p.path("format").asString())) {
                        cases.add(new Object[] {"malformed uuid", "not-a-uuid", true});
                        cases.add(new Object[] {"uuid with junk", UUID.randomUUID() + "x", true});
                        cases.add(new Object[] {"unknown uuid", UUID.randomUUID().toString(), false});
                        cases.add(new Object[] {"empty uuid", "", true});
                    }
                    if ("date-time".equals(p.path("format").asString())) {
                        cases.add(new Object[] {"malformed time", "yesterday", true});
                    }
                    cases.add(new Object[] {"number for string", 12345, true});
                    cases.add(new Object[] {"boolean for string", true, true});
                    cases.add(new Object[] {"array for string", List.of("a"), true});
                    cases.add(new Object[] {"object for string", Map.of("a", 1), true});
                    if (!"uuid".equals(p.path("format").asString())) {
                        cases.add(new Object[] {"empty string", "", p.path("minLength").asInt(0) > 0 || p.has("enum")});
                    }
                    if (p.has("maxLength")) {
                        int max = p.get("maxLength").asInt();
                        cases.add(new Object[] {"over maxLength " + max, "y".repeat(max + 1), true});
                    } else {
                        cases.add(new Object[] {"long string", "y".repeat(200_000), false});
                    }
                    cases.add(new Object[] {"NUL character", "a\u0000b", true});
                    cases.add(new Object[] {"lone high surrogate", RAW_SURROGATE_HIGH, true});
                    cases.add(new Object[] {"lone low surrogate", RAW_SURROGATE_LOW, true});
                    cases.add(new Object[] {"control characters", "a\u0001\u0007\u001b[31m\u007f\u009fb", false});
                    cases.add(new Object[] {"odd unicode", "\uFEFF\u202Eevil\u200B😀", false});
                }
                case "integer", "number" -> {
                    cases.add(new Object[] {"string for number", "12", true});
                    cases.add(new Object[] {"boolean for number", false, true});
                    cases.add(new Object[] {"fraction for integer", RAW + "1.5", type.equals("integer")});
                    cases.add(new Object[] {"1e400", RAW + "1e400", true});
                    cases.add(new Object[] {"2^63", RAW + "9223372036854775808", true});
                    cases.add(new Object[] {"2^64", RAW + "18446744073709551616", true});
                    cases.add(new Object[] {"long max", RAW + "9223372036854775807", p.has("maximum")});
                    cases.add(new Object[] {"negative", -1, p.has("minimum") && p.get("minimum").asDouble() >= 0});
                    cases.add(new Object[] {"long min", RAW + "-9223372036854775808", p.has("minimum")});
                    if (p.has("maximum")) {
                        cases.add(new Object[] {"above maximum", RAW + p.get("maximum").asString() + "1", true});
                    }
                }
                case "boolean" -> {
                    cases.add(new Object[] {"string for boolean", "true", true});
                    cases.add(new Object[] {"number for boolean", 1, true});
                }
                case "array" -> {
                    cases.add(new Object[] {"string for array", "x", true});
                    cases.add(new Object[] {"object for array", Map.of(), true});
                    cases.add(new Object[] {"array of nulls", java.util.Arrays.asList(null, null), true});
                    cases.add(new Object[] {"array of numbers", List.of(1, 2), true});
                }
                default -> { // objects, free-form or nested
                    cases.add(new Object[] {"string for object", "x", true});
                    cases.add(new Object[] {"array for object", List.of(1), true});
                    cases.add(new Object[] {"number for object", 7, true});
                    cases.add(new Object[] {"deeply nested object", RAW + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000), true});
                    cases.add(new Object[] {"object with NUL key", RAW + "{\"a\\u0000\":1}", true});
                }
            }
            for (Object[] c : cases) {
                Request valid = baseline(rule);
                ObjectNode body = valid.body() instanceof ObjectNode node ? node.deepCopy() : Api.JSON.createObjectNode();
                String raw = mutate(body, field, c[1]);
                send(new Attempt(key + " body." + field + ": " + c[0], method, valid.path(), raw, Map.of(),
                        (Boolean) c[2]), callerFor(rule));
                if (key.equals("PATCH /api/v1/conversations/{id}") && field.equals("project_id") && c[1] == NULL) {
                    // null took the conversation out of its project: it goes back, so that the
                    // project's token usage still adds up to its messages' at the end
                    assertThat(api.patch(valid.path(), f.owner(), Api.object("project_id", f.project)).status())
                            .isEqualTo(200);
                }
            }
        }
        // an unknown field
        Request valid = baseline(rule);
        ObjectNode body = valid.body() instanceof ObjectNode node ? node.deepCopy() : Api.JSON.createObjectNode();
        body.put("is_admin", true);
        send(new Attempt(key + " extra field", method, valid.path(), body, Map.of(), true), callerFor(rule));
    }

    private static final Object MISSING = new Object();
    private static final Object NULL = new Object();
    private static final String RAW = "\u0001RAW:";
    private static final String RAW_SURROGATE_HIGH = RAW + "\"ab\\ud800cd\"";
    private static final String RAW_SURROGATE_LOW = RAW + "\"\\udc00\"";

    /** The body with {@code field} replaced, as JSON text (raw fragments go in verbatim). */
    private static String mutate(ObjectNode body, String field, Object value) {
        if (value == MISSING) {
            body.remove(field);
            return Api.JSON.writeValueAsString(body);
        }
        if (value == NULL) {
            body.putNull(field);
            return Api.JSON.writeValueAsString(body);
        }
        if (value instanceof String s && s.startsWith(RAW)) {
            body.put(field, "__RAW__");
            return Api.JSON.writeValueAsString(body).replace("\"__RAW__\"", s.substring(RAW.length()));
        }
        body.set(field, Api.JSON.valueToTree(value));
        return Api.JSON.writeValueAsString(body);
    }

    private static final String DEEP_ARRAY = "[".repeat(10_000) + "]".repeat(10_000);

    /** Broken JSON documents and wrong content types for a route with a body. */
    private void wholeBodyNasties(String key, Rule rule) {
        String method = key.substring(0, key.indexOf(' '));
        Map<String, Object> bodies = new LinkedHashMap<>();
        bodies.put("empty body", "");
        bodies.put("truncated JSON", "{\"a\":");
        bodies.put("JSON null", "null");
        bodies.put("JSON array", "[]");
        bodies.put("JSON number", "123");
        bodies.put("JSON string", "\"x\"");
        bodies.put("trailing garbage", "{} x");
        bodies.put("two documents", "{}{}");
        bodies.put("single quotes", "{'a':1}");
        bodies.put("comment", "/* hi */ {}");
        bodies.put("10,000 nested arrays", DEEP_ARRAY);
        bodies.put("10,000 nested objects", "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000));
        bodies.put("invalid UTF-8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        for (Map.Entry<String, Object> entry : bodies.entrySet()) {
            Request valid = baseline(rule);
            send(new Attempt(key + " " + entry.getKey(), method, valid.path(), entry.getValue(), Map.of(), true),
                    callerFor(rule));
        }
        // duplicate keys: the first field of the valid body twice
        Request valid = baseline(rule);
        if (valid.body() instanceof ObjectNode node && !node.isEmpty()) {
            Iterator<String> names = node.propertyNames().iterator();
            String first = names.next();
            String text = Api.JSON.writeValueAsString(node);
            String duplicated = "{\"" + first + "\":" + Api.JSON.writeValueAsString(node.get(first)) + "," + text.substring(1);
            send(new Attempt(key + " duplicate key " + first, method, valid.path(), duplicated, Map.of(), true),
                    callerFor(rule));
        }
        // a byte-order mark before valid JSON and any application/*+json type are fine
        Request bom = baseline(rule);
        send(new Attempt(key + " BOM then JSON", method, bom.path(),
                "\uFEFF" + (bom.body() == null ? "{}" : Api.JSON.writeValueAsString(bom.body())), Map.of(), false),
                callerFor(rule));
        Request patch = baseline(rule);
        send(new Attempt(key + " as application/merge-patch+json", method, patch.path(),
                patch.body() == null ? "{}" : Api.JSON.writeValueAsString(patch.body()),
                Map.of("Content-Type", "application/merge-patch+json"), false), callerFor(rule));
        for (String contentType : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/json; charset=ebcdic", "image/png")) {
            Request request = baseline(rule);
            Object body = request.body() == null ? "{}" : Api.JSON.writeValueAsString(request.body());
            send(new Attempt(key + " as " + contentType, method, request.path(), body,
                    Map.of("Content-Type", contentType), true), callerFor(rule));
        }
    }

    // ---------------------------------------------------------------- hand-kept nasties

    private void uploads(String template) {
        String path = template.contains("{id}") ? "/api/v1/projects/" + f.project + "/files" : "/api/v1/files";
        String key = "POST " + template;
        String boundary = "----bad" + UUID.randomUUID().toString().replace("-", "");
        Map<String, String> multipart = Map.of("Content-Type", "multipart/form-data; boundary=" + boundary);
        List<Map.Entry<String, String>> forms = List.of(
                Map.entry("no parts", "--" + boundary + "--\r\n"),
                Map.entry("no file part", part(boundary, "purpose", "input") + "--" + boundary + "--\r\n"),
                Map.entry("no purpose", file(boundary) + "--" + boundary + "--\r\n"),
                Map.entry("unknown purpose", part(boundary, "purpose", "bogus") + file(boundary) + "--" + boundary + "--\r\n"),
                Map.entry("negative version", part(boundary, "purpose", "input") + part(boundary, "version", "-1")
                        + file(boundary) + "--" + boundary + "--\r\n"),
                Map.entry("huge version", part(boundary, "purpose", "input") + part(boundary, "version", "1e400")
                        + file(boundary) + "--" + boundary + "--\r\n"),
                Map.entry("metadata not JSON", part(boundary, "purpose", "input") + part(boundary, "metadata", "{oops")
                        + file(boundary) + "--" + boundary + "--\r\n"),
                Map.entry("metadata an array", part(boundary, "purpose", "input") + part(boundary, "metadata", "[1]")
                        + file(boundary) + "--" + boundary + "--\r\n"),
                Map.entry("metadata with NUL", part(boundary, "purpose", "input") + part(boundary, "metadata", "{\"a\":\"\\u0000\"}")
                        + file(boundary) + "--" + boundary + "--\r\n"),
                Map.entry("metadata nested deep", part(boundary, "purpose", "input")
                        + part(boundary, "metadata", "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000))
                        + file(boundary) + "--" + boundary + "--\r\n"),
                Map.entry("unterminated form", part(boundary, "purpose", "input") + "--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nabc"),
                Map.entry("garbage", "this is not multipart"));
        for (Map.Entry<String, String> form : forms) {
            // a library file's purpose defaults to attachment
            boolean mustReject = !(form.getKey().equals("no purpose") && path.equals("/api/v1/files"));
            send(new Attempt(key + " " + form.getKey(), "POST", path, form.getValue().getBytes(StandardCharsets.UTF_8),
                    multipart, mustReject), f.owner());
        }
        for (String contentType : List.of("application/json", "text/plain", "multipart/form-data")) {
            send(new Attempt(key + " as " + contentType, "POST", path, "{\"purpose\":\"input\"}",
                    Map.of("Content-Type", contentType), true), f.owner());
        }
    }

    private static String part(String boundary, String name, String value) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    private static String file(String boundary) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nabc\r\n";
    }

    /**
     * Usage numbers that overflow the project's counter when added: refused, or recorded
     * without a 500 (in a project of their own, so the integrity check stays exact).
     */
    private void usageOverflow() {
        String project = Fixture.id(api.post("/api/v1/projects", f.owner(), object("name", "overflow")));
        String conversation = Fixture.id(api.post("/api/v1/conversations", f.owner(), object("project_id", project)));
        for (String usage : List.of("{\"prompt_tokens\":9223372036854775807,\"completion_tokens\":9223372036854775807}",
                "{\"prompt_tokens\":9223372036854775807,\"completion_tokens\":1}",
                "{\"prompt_tokens\":9223372036854775807,\"completion_tokens\":0}",
                "{\"prompt_tokens\":-5,\"completion_tokens\":1}",
                "{\"prompt_tokens\":\"5\",\"completion_tokens\":1}",
                "{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}")) {
            send(new Attempt("usage " + usage, "POST", "/api/v1/conversations/" + conversation + "/messages",
                    "{\"role\":\"assistant\",\"content\":\"x\",\"usage\":" + usage + "}", Map.of(), false), f.owner());
        }
    }

    /** A 50 MiB JSON body, twice: to a route that takes big text and to a public one. */
    private void hugeBodies() {
        String big = "z".repeat(50 * 1024 * 1024);
        String message = "{\"role\":\"user\",\"content\":\"" + big + "\"}";
        sendOversized(new Attempt("50 MiB message", "POST", "/api/v1/conversations/" + f.conversation + "/messages",
                message, Map.of(), true), f.owner());
        sendOversized(new Attempt("50 MiB login", "POST", "/api/v1/auth/login",
                "{\"username\":\"" + big + "\",\"password\":\"x\"}", Map.of(), true), null);
    }

    /**
     * The server answers 413 as soon as it sees the declared length, reads on only up to
     * Tomcat's swallow limit and then closes the connection; the client may still be writing
     * the body, and the reset can reach it before the 413 does. Both are a refusal: what must
     * hold is that nothing failed on the server and it goes on answering.
     */
    private void sendOversized(Attempt attempt, Session session) {
        try {
            send(attempt, session);
        } catch (IllegalStateException e) {
            if (!(e.getCause() instanceof java.io.IOException)) {
                throw e;
            }
            sent++;
            Response health = api.get("/api/v1/health", null);
            if (health.status() != 200) {
                failures.add("the server stopped answering after " + attempt.label() + ": " + health.status());
            }
        }
    }

    // ---------------------------------------------------------------- integrity

    private void integrityCheck() {
        if (db.dialect().family() == SQLDialect.SQLITE) {
            assertThat(db.fetch("pragma foreign_key_check")).as("foreign keys").isEmpty();
        }
        assertThat(db.fetch("""
                select c.id, c.message_count, (select count(*) from messages m where m.conversation_id = c.id) as n
                from conversations c
                where c.message_count <> (select count(*) from messages m where m.conversation_id = c.id)""")
                .map(Record::intoMap)).as("conversations whose message_count is not their number of messages").isEmpty();
        assertThat(db.fetch("""
                select conversation_id, seq, count(*) from messages group by conversation_id, seq having count(*) > 1""")
                .map(Record::intoMap)).as("duplicate seq values").isEmpty();
        assertThat(db.fetch("""
                select c.id from conversations c
                where c.seq_counter < (select coalesce(max(m.seq), 0) from messages m where m.conversation_id = c.id)""")
                .map(Record::intoMap)).as("seq values beyond the conversation's counter").isEmpty();
        Record usage = db.fetchOne("""
                select p.token_usage as recorded,
                       (select coalesce(sum(coalesce(m.prompt_tokens, 0) + coalesce(m.completion_tokens, 0)), 0)
                        from messages m where m.project_id = p.id) as summed
                from projects p where p.id = ?""", projectKey(f.project));
        assertThat(((Number) usage.get("recorded")).longValue()).as("token usage of the test's project")
                .isEqualTo(((Number) usage.get("summed")).longValue()).isPositive();
    }

    private Object projectKey(String id) {
        return db.dialect().family() == SQLDialect.SQLITE ? id : UUID.fromString(id);
    }

    @OnSqlite
    static class OnSqliteTest extends BadInputCatalogTests {
    }

    @OnPostgres
    static class OnPostgresTest extends BadInputCatalogTests {
    }
}
