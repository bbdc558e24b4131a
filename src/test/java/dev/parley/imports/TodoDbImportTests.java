package dev.parley.imports;

import static dev.parley.db.Tables.CONVERSATIONS;
import static dev.parley.db.Tables.IMPORT_ROWS;
import static dev.parley.db.Tables.MESSAGES;
import static dev.parley.db.Tables.TASKS;
import static dev.parley.db.Tables.USERS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.UUID;

import dev.parley.config.ParleyProperties;
import dev.parley.support.Api;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import dev.parley.support.Postgres;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The to-do assistant's database (seed 004), built on SQLite and on PostgreSQL. */
abstract class TodoDbImportTests extends ApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    DSLContext db;

    @Autowired
    ParleyProperties parley;

    /** The batch under test; ids like "1" repeat between the tests' sources. */
    private UUID batch;

    @Test
    void aSqliteTodoDatabaseComesInWhole() throws Exception {
        Path dir = parley.dataDir().resolve("imports");
        Files.createDirectories(dir);
        String name = "todo-" + UUID.randomUUID() + ".db";
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(name))) {
            check(fill(c, false), "jdbc:sqlite:" + name, true);
        }
    }

    @Test
    void aPostgresTodoDatabaseComesInWhole() throws Exception {
        String schema = Postgres.createSchema();
        try (Connection c = DriverManager.getConnection(Postgres.url(schema), Postgres.USER, Postgres.PASSWORD)) {
            check(fill(c, true), Postgres.url(schema) + "&user=" + Postgres.USER, false);
        } finally {
            Postgres.dropSchema(schema);
        }
    }

    record Legacy(String ghazal, Api.Session carol) {
    }

    /** Seed 004's tables; PostgreSQL's copy lacks the messages FK so it can hold an orphan, as SQLite does. */
    private Legacy fill(Connection c, boolean postgres) throws Exception {
        String id = postgres ? "serial primary key" : "integer primary key";
        String json = postgres ? "jsonb" : "text";
        try (Statement s = c.createStatement()) {
            s.execute("create table conversations (id " + id + ", user_id varchar(255) not null, "
                    + "created_at timestamp default current_timestamp, updated_at timestamp default current_timestamp)");
            s.execute("create table messages (id " + id + ", conversation_id integer not null, "
                    + "user_id varchar(255) not null, role varchar(20) not null, content text not null, tool_calls "
                    + json + ", created_at timestamp default current_timestamp"
                    + (postgres ? "" : ", foreign key (conversation_id) references conversations(id) on delete cascade")
                    + ")");
            s.execute("create table tasks (id " + id + ", user_id varchar(255) not null, title varchar(200) not null, "
                    + "description varchar(1000) default '', completed boolean default false, "
                    + "created_at timestamp default current_timestamp, updated_at timestamp default current_timestamp)");
        }
        Legacy l = new Legacy("ghazal." + UUID.randomUUID().toString().substring(0, 8) + "@example.com",
                api.newUser("carol"));
        String carol = l.carol().username();
        exec(c, "insert into conversations values (1, ?, '2025-01-17 09:00:00', '2025-01-17 09:05:00')", l.ghazal());
        exec(c, "insert into conversations values (2, ?, '2025-01-18 09:00:00', '2025-01-18 09:00:00')", carol);
        exec(c, "insert into conversations values (3, ?, '2025-01-19 09:00:00', '2025-01-19 09:00:00')", l.ghazal());
        String cast = postgres ? "cast(? as jsonb)" : "?";
        String m = "insert into messages values (?, ?, ?, ?, ?, " + cast + ", ?)";
        // inserted out of order: the reader orders by time
        exec(c, m, 2, 1, l.ghazal(), "assistant", "✅ Task added successfully! [1] ⬜ Buy groceries",
                "{\"function\": \"add_task\", \"arguments\": {\"title\": \"Buy groceries\"}}", "2025-01-17 09:00:02");
        exec(c, m, 1, 1, l.ghazal(), "user", "Add buy groceries to my list 🛒", null, "2025-01-17 09:00:01");
        exec(c, m, 3, 1, l.ghazal(), "tool", "{\"ok\":true}", "{\"tool_call_id\": \"call_1\"}", "2025-01-17 09:00:03");
        exec(c, m, 4, 1, l.ghazal(), "assistant", "",
                "[{\"id\": \"call_2\", \"type\": \"function\", \"function\": {\"name\": \"list_tasks\", \"arguments\": \"{}\"}}]",
                "2025-01-17 09:00:04");
        exec(c, m, 5, 2, carol, "user", postgres ? "hello world" : "hello\u0000world", null, "2025-01-18 09:00:01");
        exec(c, m, 6, 2, carol, "moderator", "Be nice.", null, "2025-01-18 09:00:02");
        exec(c, m, 7, 999, carol, "user", "orphan", null, "2025-01-18 09:00:03");
        exec(c, "insert into tasks values (1, ?, 'Buy groceries', '', false, '2025-01-17 09:00:02', '2025-01-17 09:00:02')",
                l.ghazal());
        exec(c, "insert into tasks values (2, ?, 'Ship 🚀', 'the release', true, '2025-01-18 10:00:00', '2025-01-19 10:00:00')",
                carol);
        exec(c, "insert into tasks values (3, ?, 'Call mom', null, false, '2025-01-19 10:00:00', '2025-01-19 10:00:00')",
                l.ghazal());
        return l;
    }

    private void check(Legacy l, String location, boolean nulInSource) throws Exception {
        String ghazalUsername = l.ghazal().replace('@', '_');
        int mappingsBefore = db.fetchCount(IMPORT_ROWS);
        JsonNode dry = api.post("/api/v1/admin/imports", admin, Api.object("source", "todo-db", "location",
                location, "dry_run", true)).json();
        assertThat(dry.get("status").asString()).as(dry.toString()).isEqualTo("dry_run");
        assertThat(dry.get("counts").get("message").get("created").asLong()).isEqualTo(6);
        assertThat(dry.get("counts").get("task").get("created").asLong()).isEqualTo(3);
        assertThat(db.fetchExists(USERS, USERS.USERNAME.eq(ghazalUsername))).as("dry run wrote a user").isFalse();
        assertThat(db.fetchCount(IMPORT_ROWS)).as("dry run wrote mappings").isEqualTo(mappingsBefore);

        JsonNode report = api.post("/api/v1/admin/imports", admin, Api.object("source", "todo-db", "location",
                location)).json();
        assertThat(report.get("status").asString()).as(report.toString()).isEqualTo("completed");
        batch = UUID.fromString(report.get("batch_id").asString());
        JsonNode problems = report.get("problems");
        assertThat(problems.get("orphan_message").get("count").asLong()).isEqualTo(1);
        assertThat(problems.get("unknown_role").get("count").asLong()).isEqualTo(1);
        assertThat(problems.has("unstorable_character")).isEqualTo(nulInSource);
        assertThat(report.get("counts").get("conversation").get("created").asLong()).isEqualTo(3);
        assertThat(report.get("counts").get("message").get("created").asLong()).isEqualTo(6);
        assertThat(report.get("counts").get("task").get("created").asLong()).isEqualTo(3);
        assertThat(report.get("counts").get("user").get("created").asLong()).isEqualTo(1);
        assertThat(report.get("counts").get("user").get("skipped").asLong()).isEqualTo(1);
        ImportInvariants.check(db);

        // users: the e-mail id becomes a new inactive user, the existing username maps to its user
        UUID ghazal = parleyId("user", l.ghazal());
        var ghazalRow = db.selectFrom(USERS).where(USERS.ID.eq(ghazal)).fetchSingle();
        assertThat(ghazalRow.getUsername()).isEqualTo(ghazalUsername);
        assertThat(ghazalRow.getEmail()).isEqualTo(l.ghazal());
        assertThat(ghazalRow.getIsActive()).isFalse();
        assertThat(parleyId("user", l.carol().username())).isEqualTo(l.carol().userId());

        UUID c1 = parleyId("conversation", "1");
        var conversation = db.selectFrom(CONVERSATIONS).where(CONVERSATIONS.ID.eq(c1)).fetchSingle();
        assertThat(conversation.getUserId()).isEqualTo(ghazal);
        assertThat(conversation.getTitle()).isEqualTo("Add buy groceries to my list 🛒");
        assertThat(conversation.getMessageCount()).isEqualTo(4);
        assertThat(conversation.getCreatedAt().toString()).isEqualTo("2025-01-17T09:00:00Z");
        var messages = db.selectFrom(MESSAGES).where(MESSAGES.CONVERSATION_ID.eq(c1)).orderBy(MESSAGES.SEQ).fetch();
        assertThat(messages.map(r -> r.getRole())).containsExactly("user", "assistant", "tool", "assistant");
        assertThat(messages.map(r -> r.getContent())).containsExactly("Add buy groceries to my list 🛒",
                "✅ Task added successfully! [1] ⬜ Buy groceries", "{\"ok\":true}", "");
        assertThat(messages.map(r -> r.getDepth())).containsExactly(1L, 2L, 3L, 4L);
        assertThat(messages.get(0).getToolCalls()).isNull();
        JsonNode added = JSON.readTree(messages.get(1).getToolCalls().data());
        assertThat(added.isArray()).isTrue();
        assertThat(added.get(0).get("type").asString()).isEqualTo("function");
        assertThat(added.get(0).get("id").asString()).isEqualTo("import:2");
        assertThat(added.get(0).get("function").get("name").asString()).isEqualTo("add_task");
        assertThat(JSON.readTree(added.get(0).get("function").get("arguments").asString()).get("title").asString())
                .isEqualTo("Buy groceries");
        assertThat(messages.get(1).getMetadata().data()).contains("source_tool_calls");
        assertThat(messages.get(2).getToolCallId()).isEqualTo("call_1");
        JsonNode listed = JSON.readTree(messages.get(3).getToolCalls().data());
        assertThat(listed.get(0).get("id").asString()).isEqualTo("call_2");
        assertThat(listed.get(0).get("function").get("name").asString()).isEqualTo("list_tasks");

        UUID c2 = parleyId("conversation", "2");
        var second = db.selectFrom(MESSAGES).where(MESSAGES.CONVERSATION_ID.eq(c2)).orderBy(MESSAGES.SEQ).fetch();
        assertThat(second.map(r -> r.getContent())).containsExactly(nulInSource ? "hello\uFFFDworld" : "hello world",
                "Be nice.");
        assertThat(second.get(1).getRole()).isEqualTo("assistant");
        assertThat(second.get(1).getMetadata().data()).contains("moderator");
        assertThat(db.fetchOne(CONVERSATIONS, CONVERSATIONS.ID.eq(c2)).getUserId()).isEqualTo(l.carol().userId());
        var empty = db.fetchOne(CONVERSATIONS, CONVERSATIONS.ID.eq(parleyId("conversation", "3")));
        assertThat(empty.getTitle()).isEqualTo("Conversation 3");
        assertThat(empty.getMessageCount()).isZero();

        var groceries = db.fetchOne(TASKS, TASKS.ID.eq(parleyId("task", "1")));
        assertThat(groceries.getUserId()).isEqualTo(ghazal);
        assertThat(groceries.getTitle()).isEqualTo("Buy groceries");
        assertThat(groceries.getDescription()).isNull();
        assertThat(groceries.getCompleted()).isFalse();
        assertThat(groceries.getConversationId()).as("linked by its add_task call").isEqualTo(c1);
        var ship = db.fetchOne(TASKS, TASKS.ID.eq(parleyId("task", "2")));
        assertThat(ship.getUserId()).isEqualTo(l.carol().userId());
        assertThat(ship.getTitle()).isEqualTo("Ship 🚀");
        assertThat(ship.getDescription()).isEqualTo("the release");
        assertThat(ship.getCompleted()).isTrue();
        assertThat(ship.getConversationId()).isNull();
        assertThat(ship.getUpdatedAt().toString()).isEqualTo("2025-01-19T10:00:00Z");

        JsonNode verify = api.post("/api/v1/admin/imports", admin, Api.object("source", "todo-db", "location",
                location, "verify_only", true)).json();
        assertThat(verify.get("status").asString()).as(verify.toString()).isEqualTo("verified");

        JsonNode rerun = api.post("/api/v1/admin/imports", admin, Api.object("source", "todo-db", "location",
                location)).json();
        assertThat(rerun.get("status").asString()).as(rerun.toString()).isEqualTo("completed");
        assertThat(rerun.get("counts").get("message").get("created").asLong()).isZero();
        assertThat(rerun.get("counts").get("conversation").get("created").asLong()).isZero();
        assertThat(rerun.get("counts").get("task").get("created").asLong()).isZero();
        assertThat(rerun.get("counts").get("user").get("created").asLong()).isZero();
        assertThat(db.fetchCount(TASKS, TASKS.USER_ID.eq(ghazal))).isEqualTo(2);

        JsonNode rolledBack = api.post("/api/v1/admin/imports", admin, Api.object("source", "todo-db",
                "location", location, "rollback", report.get("batch_id").asString())).json();
        assertThat(rolledBack.get("counts").get("task").get("removed").asLong()).isEqualTo(3);
        assertThat(rolledBack.get("counts").get("conversation").get("removed").asLong()).isEqualTo(3);
        assertThat(db.fetchExists(CONVERSATIONS, CONVERSATIONS.ID.eq(c1))).isFalse();
        assertThat(db.fetchExists(USERS, USERS.ID.eq(ghazal))).isFalse();
        assertThat(db.fetchExists(USERS, USERS.ID.eq(l.carol().userId()))).as("an existing user stays").isTrue();
        assertThat(db.fetchCount(TASKS, TASKS.USER_ID.eq(l.carol().userId()))).isZero();
        ImportInvariants.check(db);
    }

    private UUID parleyId(String kind, String sourceId) {
        return ImportInvariants.parleyId(db, batch, kind, sourceId);
    }

    static void exec(Connection c, String sql, Object... values) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                if (v instanceof Integer n) {
                    s.setInt(i + 1, n);
                } else if (v instanceof String t && t.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d")) {
                    s.setTimestamp(i + 1, java.sql.Timestamp.valueOf(t));
                } else {
                    s.setString(i + 1, (String) v);
                }
            }
            s.execute();
        }
    }

    @OnSqlite
    static class OnSqliteTest extends TodoDbImportTests {
    }

    @OnPostgres
    static class OnPostgresTest extends TodoDbImportTests {
    }
}
