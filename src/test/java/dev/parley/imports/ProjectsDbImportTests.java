package dev.parley.imports;

import static dev.parley.db.Tables.CONVERSATIONS;
import static dev.parley.db.Tables.FILES;
import static dev.parley.db.Tables.IMPORT_ROWS;
import static dev.parley.db.Tables.MESSAGES;
import static dev.parley.db.Tables.USERS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
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

/** The projects assistant's pre-upgrade database (seeds 000/001), built on SQLite and on PostgreSQL. */
abstract class ProjectsDbImportTests extends ApiTest {

    @Autowired
    DSLContext db;

    @Autowired
    ParleyProperties parley;

    @Test
    void aLegacySqliteDatabaseComesInWhole() throws Exception {
        Path dir = parley.dataDir().resolve("imports");
        Files.createDirectories(dir);
        String name = "legacy-" + UUID.randomUUID() + ".db";
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(name))) {
            check(fill(c, "text"), "jdbc:sqlite:" + name);
        }
    }

    @Test
    void aLegacyPostgresDatabaseComesInWhole() throws Exception {
        String schema = Postgres.createSchema();
        try (Connection c = DriverManager.getConnection(Postgres.url(schema), Postgres.USER, Postgres.PASSWORD)) {
            check(fill(c, "uuid"), Postgres.url(schema) + "&user=" + Postgres.USER);
        } finally {
            Postgres.dropSchema(schema);
        }
    }

    record Legacy(String alice, String bob, String p1, String p2, String c1, String c2, String c3) {
    }

    private Legacy fill(Connection c, String uuid) throws Exception {
        String alice = "alice_" + UUID.randomUUID().toString().substring(0, 8);
        try (Statement s = c.createStatement()) {
            s.execute("create table users (id integer primary key, username varchar(100) not null, "
                    + "password_hash varchar(200), role varchar(10), created_at timestamp, is_active boolean)");
            s.execute("create table projects (id " + uuid + " primary key, name varchar(200) not null, goals text, "
                    + "created_at timestamp, pinned boolean, archived boolean, token_usage integer, user_id integer)");
            s.execute("create table chats (id " + uuid + " primary key, user_id integer not null, title varchar(200), "
                    + "model_id varchar(100), is_deleted boolean, created_at timestamp)");
            s.execute("create table chat_messages (id " + uuid + " primary key, chat_id " + uuid
                    + ", role varchar(20), content text, extra_data text, created_at timestamp)");
            s.execute("create table chat_projects (chat_id " + uuid + " not null, project_id " + uuid
                    + " not null, primary key (chat_id, project_id))");
            s.execute("create table project_files (id " + uuid + " primary key, project_id " + uuid
                    + ", filename varchar(255), file_path varchar(500), file_type varchar(20), file_size integer, "
                    + "created_at timestamp, content text)");
            s.execute("create table knowledge_bases (id " + uuid + " primary key, project_id " + uuid + ")");
        }
        Legacy l = new Legacy(alice, "bob smith@" + UUID.randomUUID().toString().substring(0, 6), u(), u(), u(), u(), u());
        exec(c, "insert into users values (1, ?, 'x', 'user', '2025-03-01 10:00:00', true)", l.alice());
        exec(c, "insert into users values (2, ?, 'x', 'user', '2025-03-01 11:00:00', true)", l.bob());
        exec(c, "insert into projects values (" + cast(uuid) + ", 'First 🚀', 'g', '2025-03-02 10:00:00', false, false, 0, 1)", l.p1());
        exec(c, "insert into projects values (" + cast(uuid) + ", 'Second', null, '2025-03-03 10:00:00', true, false, 0, 1)", l.p2());
        exec(c, "insert into chats values (" + cast(uuid) + ", 1, 'In two projects', 'gpt-4', false, '2025-03-04 10:00:00')", l.c1());
        exec(c, "insert into chats values (" + cast(uuid) + ", 2, 'No project', null, false, '2025-03-04 11:00:00')", l.c2());
        exec(c, "insert into chats values (" + cast(uuid) + ", 1, 'Deleted', null, true, '2025-03-04 12:00:00')", l.c3());
        // linked to the later project first: the earlier project still wins
        exec(c, "insert into chat_projects values (" + cast(uuid) + ", " + cast(uuid) + ")", l.c1(), l.p2());
        exec(c, "insert into chat_projects values (" + cast(uuid) + ", " + cast(uuid) + ")", l.c1(), l.p1());
        exec(c, "insert into chat_projects values (" + cast(uuid) + ", " + cast(uuid) + ")", l.c3(), l.p2());
        String m = "insert into chat_messages values (" + cast(uuid) + ", " + cast(uuid) + ", ?, ?, ?, ?)";
        exec(c, m, u(), l.c1(), "user", "Hi 👋🏽 café", "{\"tokens\":3}", "2025-03-04 10:00:01");
        exec(c, m, u(), l.c1(), "assistant", "Hello!\nHow can I help?", null, "2025-03-04 10:00:02");
        exec(c, m, u(), l.c1(), "function", "{\"result\":1}", "not json", "2025-03-04 10:00:03");
        exec(c, m, u(), l.c2(), "user", "", null, "2025-03-04 11:00:01");
        exec(c, m, u(), l.c2(), "assistant", "tab\there", null, "2025-03-04 11:00:02");
        exec(c, m, u(), l.c3(), "system", "You are terse.", null, "2025-03-04 12:00:01");
        exec(c, m, u(), u(), "user", "orphan", null, "2025-03-04 13:00:00");
        exec(c, "insert into project_files values (" + cast(uuid) + ", " + cast(uuid)
                + ", 'notes.txt', '/srv/notes.txt', 'txt', 5, '2025-03-05 10:00:00', 'hello')", u(), l.p1());
        exec(c, "insert into project_files values (" + cast(uuid) + ", " + cast(uuid)
                + ", 'spec.pdf', '/srv/spec.pdf', 'pdf', 2048, '2025-03-05 11:00:00', null)", u(), l.p2());
        exec(c, "insert into knowledge_bases values (" + cast(uuid) + ", " + cast(uuid) + ")", u(), l.p1());
        return l;
    }

    private void check(Legacy l, String location) {
        JsonNode dry = api.post("/api/v1/admin/imports", admin, Api.object("source", "projects-db", "location",
                location, "dry_run", true)).json();
        assertThat(dry.get("status").asString()).as(dry.toString()).isEqualTo("dry_run");
        assertThat(dry.get("counts").get("message").get("created").asLong()).isEqualTo(6);

        JsonNode report = api.post("/api/v1/admin/imports", admin, Api.object("source", "projects-db", "location",
                location)).json();
        assertThat(report.get("status").asString()).as(report.toString()).isEqualTo("completed");
        JsonNode problems = report.get("problems");
        assertThat(problems.get("chat_in_several_projects").get("count").asLong()).isEqualTo(1);
        assertThat(problems.get("orphan_message").get("count").asLong()).isEqualTo(1);
        assertThat(problems.get("unknown_role").get("count").asLong()).isEqualTo(1);
        assertThat(problems.get("file_without_bytes").get("count").asLong()).isEqualTo(1);
        assertThat(problems.get("knowledge_base_not_imported").get("count").asLong()).isEqualTo(1);
        assertThat(report.get("counts").get("conversation").get("created").asLong()).isEqualTo(3);
        assertThat(report.get("counts").get("file").get("created").asLong()).isEqualTo(2);
        ImportInvariants.check(db);

        UUID p1 = parleyId("project", l.p1());
        UUID c1 = parleyId("conversation", l.c1());
        var conversation = db.selectFrom(CONVERSATIONS).where(CONVERSATIONS.ID.eq(c1)).fetchSingle();
        assertThat(conversation.getProjectId()).isEqualTo(p1);
        assertThat(conversation.getMetadata().data()).contains(l.p2());
        assertThat(conversation.getMessageCount()).isEqualTo(3);
        assertThat(conversation.getCreatedAt().toString()).isEqualTo("2025-03-04T10:00:00Z");
        List<String> contents = db.select(MESSAGES.CONTENT).from(MESSAGES).where(MESSAGES.CONVERSATION_ID.eq(c1))
                .orderBy(MESSAGES.SEQ).fetch(MESSAGES.CONTENT);
        assertThat(contents).containsExactly("Hi 👋🏽 café", "Hello!\nHow can I help?", "{\"result\":1}");
        assertThat(db.select(MESSAGES.DEPTH).from(MESSAGES).where(MESSAGES.CONVERSATION_ID.eq(c1)).orderBy(MESSAGES.SEQ)
                .fetch(MESSAGES.DEPTH)).containsExactly(1L, 2L, 3L);
        assertThat(db.fetchOne(CONVERSATIONS, CONVERSATIONS.ID.eq(parleyId("conversation", l.c3()))).getDeletedAt())
                .isNotNull();
        // users: the new ones are inactive, the odd username made valid
        var bob = db.selectFrom(USERS).where(USERS.ID.eq(parleyId("user", "2"))).fetchSingle();
        assertThat(bob.getIsActive()).isFalse();
        assertThat(bob.getUsername()).matches("[A-Za-z0-9_.-]+");
        var external = db.selectFrom(FILES).where(FILES.ID.eq(parleyIdOfFile("spec.pdf"))).fetchSingle();
        assertThat(external.getExternalLocation()).isEqualTo("/srv/spec.pdf");

        JsonNode rerun = api.post("/api/v1/admin/imports", admin, Api.object("source", "projects-db", "location",
                location)).json();
        assertThat(rerun.get("counts").get("message").get("created").asLong()).isZero();
        assertThat(rerun.get("status").asString()).isEqualTo("completed");

        JsonNode rolledBack = api.post("/api/v1/admin/imports", admin, Api.object("source", "projects-db",
                "location", location, "rollback", report.get("batch_id").asString())).json();
        assertThat(rolledBack.get("counts").get("project").get("removed").asLong()).isEqualTo(2);
        assertThat(db.fetchExists(CONVERSATIONS, CONVERSATIONS.ID.eq(c1))).isFalse();
        assertThat(db.fetchExists(USERS, USERS.ID.eq(bob.getId()))).isFalse();
        ImportInvariants.check(db);
    }

    private UUID parleyId(String kind, String sourceId) {
        return db.select(IMPORT_ROWS.PARLEY_ID).from(IMPORT_ROWS)
                .where(IMPORT_ROWS.ENTITY_KIND.eq(kind).and(IMPORT_ROWS.SOURCE_ID.eq(sourceId)))
                .orderBy(IMPORT_ROWS.BATCH_ID.desc()).limit(1).fetchSingle(IMPORT_ROWS.PARLEY_ID);
    }

    private UUID parleyIdOfFile(String filename) {
        return db.select(FILES.ID).from(FILES).join(IMPORT_ROWS).on(IMPORT_ROWS.PARLEY_ID.eq(FILES.ID))
                .where(FILES.FILENAME.eq(filename)).orderBy(FILES.CREATED_AT.desc()).limit(1).fetchSingle(FILES.ID);
    }

    private static String u() {
        return UUID.randomUUID().toString();
    }

    private static String cast(String uuid) {
        return uuid.equals("uuid") ? "cast(? as uuid)" : "?";
    }

    private static void exec(Connection c, String sql, Object... values) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                String v = (String) values[i];
                if (v != null && v.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d")) {
                    s.setTimestamp(i + 1, java.sql.Timestamp.valueOf(v));
                } else {
                    s.setString(i + 1, v);
                }
            }
            s.execute();
        }
    }

    @OnSqlite
    static class OnSqliteTest extends ProjectsDbImportTests {
    }

    @OnPostgres
    static class OnPostgresTest extends ProjectsDbImportTests {
    }
}
