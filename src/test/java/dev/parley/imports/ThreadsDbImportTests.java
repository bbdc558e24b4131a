package dev.parley.imports;

import static dev.parley.db.Tables.CONVERSATIONS;
import static dev.parley.db.Tables.CONVERSATION_DOCUMENTS;
import static dev.parley.db.Tables.FILES;
import static dev.parley.db.Tables.IMPORT_ROWS;
import static dev.parley.db.Tables.MESSAGES;
import static dev.parley.db.Tables.USERS;
import static dev.parley.imports.TodoDbImportTests.exec;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

import dev.parley.config.ParleyProperties;
import dev.parley.storage.BlobStore;
import dev.parley.support.Api;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import dev.parley.support.Postgres;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The threads assistant's database (seed 003, with its old conversation tables), on SQLite and on PostgreSQL. */
abstract class ThreadsDbImportTests extends ApiTest {

    @Autowired
    DSLContext db;

    @Autowired
    ParleyProperties parley;

    @Autowired
    BlobStore blobs;

    private UUID batch;

    @Test
    void aSqliteThreadsDatabaseComesInWhole() throws Exception {
        Path dir = parley.dataDir().resolve("imports");
        Files.createDirectories(dir);
        String name = "threads-" + UUID.randomUUID() + ".db";
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(name))) {
            check(fill(c, false), "jdbc:sqlite:" + name, true);
        }
    }

    @Test
    void aPostgresThreadsDatabaseComesInWhole() throws Exception {
        String schema = Postgres.createSchema();
        try (Connection c = DriverManager.getConnection(Postgres.url(schema), Postgres.USER, Postgres.PASSWORD)) {
            check(fill(c, true), Postgres.url(schema) + "&user=" + Postgres.USER, false);
        } finally {
            Postgres.dropSchema(schema);
        }
    }

    record Legacy(String alice, Api.Session dora) {
    }

    /** Seed 003's tables as SQLAlchemy made them (enum roles by name, JSON metadata), without enforced FKs. */
    private Legacy fill(Connection c, boolean postgres) throws Exception {
        String json = postgres ? "json" : "text";
        try (Statement s = c.createStatement()) {
            s.execute("create table users (id integer primary key, username varchar(100) unique, email varchar(255), "
                    + "fullname varchar(255), hashed_password varchar(255), created_at timestamp)");
            s.execute("create table threads (id integer primary key, title varchar(255), user_id integer, metadata "
                    + json + ", created_at timestamp, updated_at timestamp)");
            s.execute("create table chat_messages (id integer primary key, content text, role varchar(9), "
                    + "thread_id integer, metadata " + json + ", created_at timestamp)");
            s.execute("create table documents (id integer primary key, title varchar(255), content text, "
                    + "file_path varchar(500), file_type varchar(50), metadata " + json
                    + ", user_id integer, created_at timestamp)");
            s.execute("create table thread_documents (thread_id integer, document_id integer)");
            s.execute("create table conversations (id integer primary key, user_id integer, title varchar(255), "
                    + "created_at timestamp)");
            s.execute("create table messages (id integer primary key, conversation_id integer, role varchar(20), "
                    + "content text, created_at timestamp)");
        }
        Legacy l = new Legacy("alice_" + UUID.randomUUID().toString().substring(0, 8), api.newUser("dora"));
        String cast = postgres ? "cast(? as json)" : "?";
        exec(c, "insert into users values (1, ?, 'alice@example.com', 'Alice Ä', 'x', '2025-02-01 10:00:00')", l.alice());
        exec(c, "insert into users values (2, ?, null, null, 'x', '2025-02-01 11:00:00')", l.dora().username());
        String t = "insert into threads values (?, ?, ?, " + cast + ", ?, ?)";
        exec(c, t, 1, "Trip 🗺️", 1, "{\"model\": \"gpt-4o\"}", "2025-02-02 10:00:00", "2025-02-02 10:05:00");
        exec(c, t, 2, "Notes", 2, null, "2025-02-03 10:00:00", "2025-02-03 10:00:00");
        exec(c, t, 3, "Nobody's", 99, null, "2025-02-03 11:00:00", "2025-02-03 11:00:00");
        String m = "insert into chat_messages values (?, ?, ?, ?, " + cast + ", ?)";
        exec(c, m, 1, "Plan a trip ✈️ 👩🏽‍💻", "USER", 1, null, "2025-02-02 10:00:01");
        exec(c, m, 2, "Sure!\nWhere to?", "ASSISTANT", 1, "{\"prompt_tokens\": 5, \"completion_tokens\": 7}",
                "2025-02-02 10:00:02");
        exec(c, m, 3, "(applause)", "narrator", 1, null, "2025-02-02 10:00:03");
        exec(c, m, 4, postgres ? "a b" : "a\u0000b", "user", 2, null, "2025-02-03 10:00:01");
        exec(c, m, 5, "orphan", "user", 42, null, "2025-02-03 10:00:02");
        String d = "insert into documents values (?, ?, ?, ?, ?, " + cast + ", ?, ?)";
        exec(c, d, 1, "guide.md", "# Guide\nnaïve ☕", "/srv/docs/guide.md", "md", null, 1, "2025-02-02 09:00:00");
        exec(c, d, 2, null, null, "/srv/docs/scan.pdf", "pdf", "{\"file_size\": 2048}", 2, "2025-02-03 09:00:00");
        exec(c, "insert into thread_documents values (?, ?)", 1, 1);
        exec(c, "insert into thread_documents values (?, ?)", 2, 2);
        exec(c, "insert into thread_documents values (?, ?)", 1, 77);
        // conversation 1 is thread 1 before it was migrated (and continued); conversation 2 never was
        exec(c, "insert into conversations values (1, 1, 'Trip', '2025-02-01 12:00:00')");
        exec(c, "insert into conversations values (2, 2, 'Old chat', '2025-02-01 13:00:00')");
        String o = "insert into messages values (?, ?, ?, ?, ?)";
        exec(c, o, 1, 1, "user", "Plan a trip ✈️ 👩🏽‍💻", "2025-02-01 12:00:01");
        exec(c, o, 2, 1, "assistant", "Sure!\nWhere to?", "2025-02-01 12:00:02");
        exec(c, o, 3, 2, "user", "legacy question", "2025-02-01 13:00:01");
        return l;
    }

    private void check(Legacy l, String location, boolean nulInSource) throws Exception {
        int mappingsBefore = db.fetchCount(IMPORT_ROWS);
        JsonNode dry = api.post("/api/v1/admin/imports", admin, Api.object("source", "threads-db", "location",
                location, "dry_run", true)).json();
        assertThat(dry.get("status").asString()).as(dry.toString()).isEqualTo("dry_run");
        assertThat(dry.get("counts").get("conversation").get("created").asLong()).isEqualTo(3);
        assertThat(dry.get("counts").get("message").get("created").asLong()).isEqualTo(5);
        assertThat(dry.get("counts").get("file").get("created").asLong()).isEqualTo(2);
        assertThat(dry.get("counts").get("document").get("created").asLong()).isEqualTo(2);
        assertThat(db.fetchCount(IMPORT_ROWS)).as("dry run wrote mappings").isEqualTo(mappingsBefore);
        assertThat(db.fetchExists(USERS, USERS.USERNAME.eq(l.alice()))).as("dry run wrote a user").isFalse();

        JsonNode report = api.post("/api/v1/admin/imports", admin, Api.object("source", "threads-db", "location",
                location)).json();
        assertThat(report.get("status").asString()).as(report.toString()).isEqualTo("completed");
        batch = UUID.fromString(report.get("batch_id").asString());
        JsonNode problems = report.get("problems");
        assertThat(problems.get("orphan_message").get("count").asLong()).isEqualTo(1);
        assertThat(problems.get("orphan_thread").get("count").asLong()).isEqualTo(1);
        assertThat(problems.get("unknown_role").get("count").asLong()).isEqualTo(1);
        assertThat(problems.get("duplicate_old_conversation").get("count").asLong()).isEqualTo(1);
        assertThat(problems.get("duplicate_old_conversation").get("examples").get(0).asString())
                .isEqualTo("conversation:1 = thread:1");
        assertThat(problems.get("dangling_document").get("count").asLong()).isEqualTo(1);
        assertThat(problems.get("file_without_bytes").get("count").asLong()).isEqualTo(1);
        assertThat(problems.has("unstorable_character")).isEqualTo(nulInSource);
        assertThat(report.get("counts").get("conversation").get("created").asLong()).isEqualTo(3);
        assertThat(report.get("counts").get("message").get("created").asLong()).isEqualTo(5);
        assertThat(report.get("counts").get("user").get("created").asLong()).isEqualTo(1);
        assertThat(report.get("counts").get("user").get("skipped").asLong()).isEqualTo(1);
        ImportInvariants.check(db);

        UUID alice = parleyId("user", "1");
        var aliceRow = db.selectFrom(USERS).where(USERS.ID.eq(alice)).fetchSingle();
        assertThat(aliceRow.getUsername()).isEqualTo(l.alice());
        assertThat(aliceRow.getEmail()).isEqualTo("alice@example.com");
        assertThat(aliceRow.getFullName()).isEqualTo("Alice Ä");
        assertThat(aliceRow.getIsActive()).isFalse();
        assertThat(parleyId("user", "2")).isEqualTo(l.dora().userId());

        UUID t1 = parleyId("conversation", "thread:1");
        var thread = db.selectFrom(CONVERSATIONS).where(CONVERSATIONS.ID.eq(t1)).fetchSingle();
        assertThat(thread.getTitle()).isEqualTo("Trip 🗺️");
        assertThat(thread.getUserId()).isEqualTo(alice);
        assertThat(thread.getMetadata().data()).contains("gpt-4o");
        assertThat(thread.getCreatedAt().toString()).isEqualTo("2025-02-02T10:00:00Z");
        var messages = db.selectFrom(MESSAGES).where(MESSAGES.CONVERSATION_ID.eq(t1)).orderBy(MESSAGES.SEQ).fetch();
        assertThat(messages.map(r -> r.getContent())).containsExactly("Plan a trip ✈️ 👩🏽‍💻", "Sure!\nWhere to?",
                "(applause)");
        assertThat(messages.map(r -> r.getRole())).containsExactly("user", "assistant", "assistant");
        assertThat(messages.map(r -> r.getDepth())).containsExactly(1L, 2L, 3L);
        assertThat(messages.get(1).getPromptTokens()).isEqualTo(5L);
        assertThat(messages.get(1).getCompletionTokens()).isEqualTo(7L);
        assertThat(messages.get(2).getMetadata().data()).contains("narrator");

        UUID t2 = parleyId("conversation", "thread:2");
        assertThat(db.select(MESSAGES.CONTENT).from(MESSAGES).where(MESSAGES.CONVERSATION_ID.eq(t2))
                .fetch(MESSAGES.CONTENT)).containsExactly(nulInSource ? "a\uFFFDb" : "a b");
        UUID old = parleyId("conversation", "conversation:2");
        var oldRow = db.fetchOne(CONVERSATIONS, CONVERSATIONS.ID.eq(old));
        assertThat(oldRow.getTitle()).isEqualTo("Old chat");
        assertThat(oldRow.getUserId()).isEqualTo(l.dora().userId());
        assertThat(db.select(MESSAGES.CONTENT).from(MESSAGES).where(MESSAGES.CONVERSATION_ID.eq(old))
                .fetch(MESSAGES.CONTENT)).containsExactly("legacy question");
        assertThat(db.fetchExists(IMPORT_ROWS, IMPORT_ROWS.BATCH_ID.eq(batch)
                .and(IMPORT_ROWS.SOURCE_ID.eq("conversation:1")))).as("the migrated copy stays out").isFalse();

        var guide = db.fetchOne(FILES, FILES.ID.eq(parleyId("file", "document:1")));
        assertThat(guide.getFilename()).isEqualTo("guide.md");
        assertThat(guide.getMediaType()).isEqualTo("text/markdown");
        assertThat(guide.getPurpose()).isEqualTo("attachment");
        assertThat(guide.getProjectId()).isNull();
        assertThat(guide.getUserId()).isEqualTo(alice);
        byte[] expected = "# Guide\nnaïve ☕".getBytes(StandardCharsets.UTF_8);
        assertThat(guide.getSizeBytes()).isEqualTo(expected.length);
        try (InputStream in = blobs.open(guide.getSha256()).getInputStream()) {
            assertThat(in.readAllBytes()).isEqualTo(expected);
        }
        var scan = db.fetchOne(FILES, FILES.ID.eq(parleyId("file", "document:2")));
        assertThat(scan.getFilename()).isEqualTo("scan.pdf");
        assertThat(scan.getExternalLocation()).isEqualTo("/srv/docs/scan.pdf");
        assertThat(scan.getSizeBytes()).isEqualTo(2048L);
        assertThat(db.select(CONVERSATION_DOCUMENTS.FILE_ID).from(CONVERSATION_DOCUMENTS)
                .where(CONVERSATION_DOCUMENTS.CONVERSATION_ID.eq(t1)).fetch(CONVERSATION_DOCUMENTS.FILE_ID))
                .containsExactly(guide.getId());
        assertThat(db.select(CONVERSATION_DOCUMENTS.FILE_ID).from(CONVERSATION_DOCUMENTS)
                .where(CONVERSATION_DOCUMENTS.CONVERSATION_ID.eq(t2)).fetch(CONVERSATION_DOCUMENTS.FILE_ID))
                .containsExactly(scan.getId());

        JsonNode verify = api.post("/api/v1/admin/imports", admin, Api.object("source", "threads-db", "location",
                location, "verify_only", true)).json();
        assertThat(verify.get("status").asString()).as(verify.toString()).isEqualTo("verified");

        JsonNode rerun = api.post("/api/v1/admin/imports", admin, Api.object("source", "threads-db", "location",
                location)).json();
        assertThat(rerun.get("status").asString()).as(rerun.toString()).isEqualTo("completed");
        for (String kind : new String[] {"conversation", "message", "file", "document", "user"}) {
            assertThat(rerun.get("counts").get(kind).get("created").asLong()).as(kind).isZero();
        }

        JsonNode rolledBack = api.post("/api/v1/admin/imports", admin, Api.object("source", "threads-db",
                "location", location, "rollback", batch.toString())).json();
        assertThat(rolledBack.get("counts").get("conversation").get("removed").asLong()).isEqualTo(3);
        assertThat(rolledBack.get("counts").get("file").get("removed").asLong()).isEqualTo(2);
        assertThat(db.fetchExists(CONVERSATIONS, CONVERSATIONS.ID.eq(t1))).isFalse();
        assertThat(db.fetchExists(FILES, FILES.ID.eq(guide.getId()))).isFalse();
        assertThat(db.fetchExists(USERS, USERS.ID.eq(alice))).isFalse();
        assertThat(db.fetchExists(USERS, USERS.ID.eq(l.dora().userId()))).as("an existing user stays").isTrue();
        ImportInvariants.check(db);
    }

    private UUID parleyId(String kind, String sourceId) {
        return ImportInvariants.parleyId(db, batch, kind, sourceId);
    }

    @OnSqlite
    static class OnSqliteTest extends ThreadsDbImportTests {
    }

    @OnPostgres
    static class OnPostgresTest extends ThreadsDbImportTests {
    }
}
