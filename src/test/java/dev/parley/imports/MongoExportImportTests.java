package dev.parley.imports;

import static dev.parley.db.Tables.CONVERSATIONS;
import static dev.parley.db.Tables.FILES;
import static dev.parley.db.Tables.IMPORT_ROWS;
import static dev.parley.db.Tables.MESSAGES;
import static dev.parley.db.Tables.PROCESSING_LOGS;
import static dev.parley.db.Tables.PROJECTS;
import static dev.parley.db.Tables.USERS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import dev.parley.config.ParleyProperties;
import dev.parley.support.Api;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 002's MongoDB as {@code mongoexport} leaves it: users, projects as a pretty JSON array
 * in relaxed mode, messages one canonical document per line (with a broken line and a repeated
 * _id), the legacy flat chat_messages as .jsonl, files as a canonical array, logs per line.
 */
abstract class MongoExportImportTests extends ApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** What a record without bytes of its own points at: the blob of no bytes. */
    private static final String NO_BYTES = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Autowired
    DSLContext db;

    @Autowired
    ParleyProperties parley;

    @Autowired
    ImportService imports;

    @TempDir
    Path temp;

    /** The batch under test; source ids such as "project-123" repeat between the tests' exports. */
    private UUID batch;

    @Test
    void anExportComesInWholeThroughTheCommandsCodePath() throws Exception {
        Export e = export(temp.resolve("dump"));
        String dir = e.dir().toString();
        int mappingsBefore = db.fetchCount(IMPORT_ROWS);
        int projectsBefore = db.fetchCount(PROJECTS);

        ImportReport dry = run("mongo-export", dir, "--dry-run");
        assertThat(dry.status()).isEqualTo("dry_run");
        assertThat(dry.counts().get("message").created()).isEqualTo(12);
        assertThat(dry.counts().get("project").created()).as(dry.problems().toString()).isEqualTo(6);
        assertThat(dry.counts().get("file").created()).isEqualTo(7);
        assertThat(dry.problems().get("bad_json").count()).isEqualTo(1);
        assertThat(dry.problems().get("bad_json").examples().getFirst()).contains("messages.json").contains("line 5");
        assertThat(db.fetchCount(IMPORT_ROWS)).as("dry run wrote mappings").isEqualTo(mappingsBefore);
        assertThat(db.fetchCount(PROJECTS)).as("dry run wrote projects").isEqualTo(projectsBefore);
        assertThat(db.fetchExists(USERS, USERS.USERNAME.eq(e.maria()))).as("dry run wrote a user").isFalse();

        ImportReport report = run("mongo-export", dir);
        assertThat(report.status()).as(report.toString()).isEqualTo("completed");
        assertThat(report.verify().ok()).isTrue();
        batch = report.batchId();
        Map<String, Long> problems = new java.util.TreeMap<>();
        report.problems().forEach((kind, p) -> problems.put(kind, p.count()));
        assertThat(problems).isEqualTo(new java.util.TreeMap<>(Map.of("bad_json", 1L, "duplicate_id", 2L,
                "unknown_role", 1L, "dangling_project", 3L, "message_without_project", 3L, "unknown_user", 1L,
                "duplicate_file", 1L)));
        Function<String, ImportReport.Count> count = kind -> report.counts().get(kind);
        assertThat(count.apply("user").created()).isEqualTo(2);
        assertThat(count.apply("user").skipped()).isEqualTo(1);
        assertThat(count.apply("project").created()).isEqualTo(6);
        assertThat(count.apply("conversation").created()).isEqualTo(6);
        assertThat(count.apply("message").created()).isEqualTo(12);
        assertThat(count.apply("file").created()).isEqualTo(7);
        assertThat(count.apply("log").created()).isEqualTo(2);
        checkRows(e);

        ImportReport verified = run("mongo-export", dir, "--verify");
        assertThat(verified.status()).isEqualTo("verified");

        ImportReport rerun = run("mongo-export", dir);
        assertThat(rerun.status()).isEqualTo("completed");
        for (String kind : List.of("user", "project", "conversation", "message", "file", "log")) {
            assertThat(rerun.counts().get(kind).created()).as(kind).isZero();
        }
        assertThat(rerun.counts().get("message").skipped()).isEqualTo(12);

        UUID maria = parleyId("user", "user-456");
        UUID gearbox = parleyId("project", "project-123");
        ImportReport rolledBack = run("mongo-export", dir, "--rollback", batch.toString());
        assertThat(rolledBack.status()).isEqualTo("rolled_back");
        assertThat(rolledBack.counts().get("message").removed()).isEqualTo(12);
        assertThat(rolledBack.counts().get("file").removed()).isEqualTo(7);
        assertThat(rolledBack.counts().get("log").removed()).isEqualTo(2);
        assertThat(rolledBack.counts().get("project").removed()).isEqualTo(6);
        assertThat(rolledBack.counts().get("user").removed()).isEqualTo(2);
        assertThat(db.fetchExists(PROJECTS, PROJECTS.ID.eq(gearbox))).isFalse();
        assertThat(db.fetchExists(USERS, USERS.ID.eq(maria))).isFalse();
        assertThat(db.fetchExists(USERS, USERS.ID.eq(e.carol().userId()))).as("an existing user stays").isTrue();
        assertThat(db.fetchCount(PROJECTS, PROJECTS.USER_ID.eq(e.carol().userId()))).isZero();
        assertThat(db.fetchCount(IMPORT_ROWS)).isEqualTo(mappingsBefore);
        assertThat(db.fetchCount(PROJECTS)).isEqualTo(projectsBefore);
        ImportInvariants.check(db);
    }

    @Test
    void anExportComesInWholeThroughTheAdminRoute() throws Exception {
        String name = "mongo-" + UUID.randomUUID();
        Export e = export(parley.dataDir().resolve("imports").resolve(name));
        JsonNode dry = api.post("/api/v1/admin/imports", admin, Api.object("source", "mongo-export", "location", name,
                "dry_run", true)).json();
        assertThat(dry.get("status").asString()).as(dry.toString()).isEqualTo("dry_run");
        assertThat(dry.get("counts").get("message").get("created").asLong()).isEqualTo(12);
        assertThat(db.fetchExists(USERS, USERS.USERNAME.eq(e.maria()))).as("dry run wrote a user").isFalse();

        JsonNode report = api.post("/api/v1/admin/imports", admin, Api.object("source", "mongo-export", "location",
                name)).json();
        assertThat(report.get("status").asString()).as(report.toString()).isEqualTo("completed");
        assertThat(report.get("verify").get("ok").asBoolean()).isTrue();
        assertThat(report.get("problems").get("dangling_project").get("count").asLong()).isEqualTo(3);
        batch = UUID.fromString(report.get("batch_id").asString());
        checkRows(e);

        JsonNode verify = api.post("/api/v1/admin/imports", admin, Api.object("source", "mongo-export", "location",
                name, "verify_only", true)).json();
        assertThat(verify.get("status").asString()).as(verify.toString()).isEqualTo("verified");
        JsonNode rerun = api.post("/api/v1/admin/imports", admin, Api.object("source", "mongo-export", "location",
                name)).json();
        assertThat(rerun.get("counts").get("message").get("created").asLong()).isZero();
        assertThat(rerun.get("counts").get("file").get("created").asLong()).isZero();

        UUID gearbox = parleyId("project", "project-123");
        JsonNode rolledBack = api.post("/api/v1/admin/imports", admin, Api.object("source", "mongo-export",
                "location", name, "rollback", batch.toString())).json();
        assertThat(rolledBack.get("status").asString()).isEqualTo("rolled_back");
        assertThat(rolledBack.get("counts").get("message").get("removed").asLong()).isEqualTo(12);
        assertThat(db.fetchExists(PROJECTS, PROJECTS.ID.eq(gearbox))).isFalse();
        assertThat(api.get("/api/v1/me", e.carol()).status()).isEqualTo(200);
        ImportInvariants.check(db);
    }

    @Test
    void aDirectoryWithoutCollectionsIsAProblemNamingTheLocation() throws Exception {
        String name = "mongo-empty-" + UUID.randomUUID();
        Files.createDirectories(parley.dataDir().resolve("imports").resolve(name));
        var answer = api.post("/api/v1/admin/imports", admin, Api.object("source", "mongo-export", "location", name));
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.json().get("errors").get(0).get("field").asString()).isEqualTo("location");
    }

    /** Every row the export must have produced, each field that came from the source. */
    private void checkRows(Export e) throws Exception {
        ImportInvariants.check(db);
        UUID maria = parleyId("user", "user-456");
        var mariaRow = db.fetchOne(USERS, USERS.ID.eq(maria));
        assertThat(mariaRow.getUsername()).isEqualTo(e.maria());
        assertThat(mariaRow.getEmail()).isEqualTo(e.maria() + "@example.com");
        assertThat(mariaRow.getFullName()).isEqualTo("María José Núñez");
        assertThat(mariaRow.getIsActive()).isFalse();
        assertThat(mariaRow.getCreatedAt().toString()).isEqualTo("2024-10-04T00:00:00Z");
        assertThat(parleyId("user", "user-789")).as("an existing username is that user").isEqualTo(e.carol().userId());
        UUID legacy = parleyId("user", e.legacy());
        assertThat(db.fetchOne(USERS, USERS.ID.eq(legacy)).getUsername()).isEqualTo(e.legacy());

        // the project document: columns, and the rest of it in metadata.mongo
        UUID gearbox = parleyId("project", "project-123");
        var p = db.fetchOne(PROJECTS, PROJECTS.ID.eq(gearbox));
        assertThat(p.getName()).isEqualTo("Gearbox Assembly ⚙️");
        assertThat(p.getUserId()).isEqualTo(maria);
        assertThat(p.getStatus()).isEqualTo("completed");
        assertThat(p.getCurrentVersion()).isEqualTo(3);
        assertThat(p.getDefaultModel()).isEqualTo("Gemini");
        assertThat(p.getDescription()).isEqualTo("Parametric gearbox CAD model");
        assertThat(p.getIsDefault()).isFalse();
        assertThat(p.getCreatedAt().toString()).isEqualTo("2025-10-11T12:24:35Z");
        assertThat(p.getUpdatedAt().toString()).isEqualTo("2025-10-11T12:26:10.500Z");
        JsonNode mongo = JSON.readTree(p.getMetadata().data()).get("mongo");
        assertThat(mongo.get("_id").asString()).isEqualTo("670919a3e4b0a1b2c3d4e501");
        assertThat(mongo.get("project_id").asString()).isEqualTo("project-123");
        assertThat(mongo.get("ai_model_used").asString()).isEqualTo("Gemini");
        assertThat(mongo.get("latest_s3_input").asString()).isEqualTo("s3://bucket/input/project_gearbox/project_gearbox_v3.py");
        assertThat(mongo.get("latest_s3_output").get(1).asString()).isEqualTo("s3://bucket/output/project_gearbox/MyHeadlessModel.STEP");
        assertThat(mongo.get("metadata").get("confidence").asDouble()).isEqualTo(0.93);
        assertThat(mongo.get("metadata").get("generation_time").asDouble()).isEqualTo(2.45);
        assertThat(mongo.get("metadata").get("parameters").get("teeth").asInt()).isEqualTo(24);
        assertThat(mongo.get("metadata").get("parameters").get("module").decimalValue())
                .isEqualByComparingTo("1.25");
        UUID bracket = parleyId("project", "project-200");
        var b = db.fetchOne(PROJECTS, PROJECTS.ID.eq(bracket));
        assertThat(b.getUserId()).isEqualTo(e.carol().userId());
        assertThat(b.getStatus()).isEqualTo("draft");
        assertThat(b.getCurrentVersion()).isEqualTo(1);

        // one conversation per project and user, in time order: the system prompt came first
        var gear = db.fetchOne(CONVERSATIONS, CONVERSATIONS.ID.eq(parleyId("conversation",
                "conversation:project-123|user-456")));
        assertThat(gear.getProjectId()).isEqualTo(gearbox);
        assertThat(gear.getUserId()).isEqualTo(maria);
        assertThat(gear.getTitle()).isEqualTo("Gearbox Assembly ⚙️");
        assertThat(gear.getModelId()).isEqualTo("Gemini");
        assertThat(gear.getMessageCount()).isEqualTo(4);
        var messages = db.selectFrom(MESSAGES).where(MESSAGES.CONVERSATION_ID.eq(gear.getId())).orderBy(MESSAGES.SEQ).fetch();
        assertThat(messages.map(r -> r.getRole())).containsExactly("system", "user", "assistant", "assistant");
        assertThat(messages.map(r -> r.getContent())).containsExactly("You are CadScribe.",
                "Design a gearbox with 24 teeth — 齿轮 🚗 \"quoted\"\nsecond line",
                "Generated CAD model: project_gearbox_v3.py", "Looks fine to me.");
        assertThat(messages.map(r -> r.getCreatedAt().toString())).containsExactly("2025-10-11T12:20:00Z",
                "2025-10-11T12:24:00Z", "2025-10-11T12:24:35.250Z", "2025-10-11T12:25:00Z");
        assertThat(messages.map(r -> r.getDepth())).containsExactly(1L, 2L, 3L, 4L);
        assertThat(messages.get(2).getParentId()).isEqualTo(messages.get(1).getId());
        assertThat(messages.map(r -> r.getUserId())).containsOnly(maria);
        assertThat(messages.map(r -> r.getProjectId())).containsOnly(gearbox);
        JsonNode answer = JSON.readTree(messages.get(2).getMetadata().data());
        assertThat(answer.get("model").asString()).isEqualTo("Gemini");
        assertThat(answer.get("source_model").asString()).isEqualTo("Gemini");
        assertThat(answer.get("confidence").asDouble()).isEqualTo(0.95);
        assertThat(answer.get("version").asInt()).isEqualTo(3);
        assertThat(answer.get("s3_url").asString()).isEqualTo("s3://bucket/input/project_gearbox/project_gearbox_v3.py");
        assertThat(answer.get("mongo").get("collection").asString()).isEqualTo("messages");
        assertThat(JSON.readTree(messages.get(3).getMetadata().data()).get("source_role").asString()).isEqualTo("critic");
        assertThat(parleyId("message", "670919a3e4b0a1b2c3d4e602")).isEqualTo(messages.get(2).getId());

        // a message naming a project the export lacks goes to its user's default project
        UUID carolDefault = parleyId("project", "default:user-789");
        var cd = db.fetchOne(PROJECTS, PROJECTS.ID.eq(carolDefault));
        assertThat(cd.getName()).isEqualTo("Default project");
        assertThat(cd.getUserId()).isEqualTo(e.carol().userId());
        var lost = db.selectFrom(MESSAGES).where(MESSAGES.PROJECT_ID.eq(carolDefault)).fetch();
        assertThat(lost.map(r -> r.getContent())).containsExactly("Where did my project go?");
        assertThat(JSON.readTree(lost.getFirst().getMetadata().data()).get("mongo").get("project_id").asString())
                .isEqualTo("project-404");
        var bracketMessages = db.selectFrom(MESSAGES).where(MESSAGES.PROJECT_ID.eq(bracket)).orderBy(MESSAGES.SEQ).fetch();
        assertThat(bracketMessages.map(r -> r.getContent())).containsExactly("A bracket with 4 holes",
                "Here is the bracket. שלום");

        // legacy chat_messages: no project → the user's default project, one conversation per session
        UUID mariaDefault = parleyId("project", "default:user-456");
        var md = db.fetchOne(PROJECTS, PROJECTS.ID.eq(mariaDefault));
        assertThat(md.getUserId()).isEqualTo(maria);
        assertThat(md.getIsDefault()).isTrue();
        var session = db.fetchOne(CONVERSATIONS, CONVERSATIONS.ID.eq(parleyId("conversation",
                "conversation:default:user-456|user-456|sess-1")));
        assertThat(session.getProjectId()).isEqualTo(mariaDefault);
        assertThat(session.getTitle()).isEqualTo("Default project · sess-1");
        var old = db.selectFrom(MESSAGES).where(MESSAGES.CONVERSATION_ID.eq(session.getId())).orderBy(MESSAGES.SEQ).fetch();
        assertThat(old.map(r -> r.getContent())).containsExactly("Hello from the old app", "Hi! Old reply, with 🧩");
        assertThat(old.map(r -> r.getCreatedAt().toString())).containsExactly("2025-09-01T10:00:00Z",
                "2025-09-01T10:00:05Z");
        var legacyMessages = db.selectFrom(MESSAGES).where(MESSAGES.USER_ID.eq(legacy)).fetch();
        assertThat(legacyMessages.map(r -> r.getContent())).containsExactly("Orphan legacy message");
        // a legacy project id with no project document: the project is made from its messages
        var fromMessages = db.fetchOne(PROJECTS, PROJECTS.ID.eq(parleyId("project", "project-old")));
        assertThat(fromMessages.getName()).isEqualTo("project-old");
        assertThat(fromMessages.getUserId()).isEqualTo(maria);
        assertThat(fromMessages.getDefaultModel()).isEqualTo("GPT-4");
        assertThat(fromMessages.getCurrentVersion()).isEqualTo(2);
        assertThat(fromMessages.getCreatedAt().toString()).isEqualTo("2024-08-30T03:53:20Z");
        assertThat(db.selectFrom(MESSAGES).where(MESSAGES.PROJECT_ID.eq(fromMessages.getId())).orderBy(MESSAGES.SEQ)
                .fetch(MESSAGES.CONTENT)).as("a messages document naming a project made from legacy messages is not dangling")
                .containsExactly("Written in the new layout, to a project only the old one names", "Old project question");
        // the migrated copy of a message (same _id in messages and chat_messages) is there once
        assertThat(db.fetchCount(MESSAGES, MESSAGES.CONTENT.eq("A bracket with 4 holes")
                .and(MESSAGES.USER_ID.eq(e.carol().userId())))).isEqualTo(1);

        // S3 references: file records without bytes, one per project and path
        var files = db.selectFrom(FILES).where(FILES.PROJECT_ID.eq(gearbox)).orderBy(FILES.PURPOSE, FILES.VERSION).fetch();
        assertThat(files.map(f -> f.getExternalLocation())).containsExactly(
                "s3://bucket/input/project_gearbox/project_gearbox_v2.py",
                "s3://bucket/input/project_gearbox/project_gearbox_v3.py",
                "s3://bucket/logs/project_gearbox/project_gearbox_info_20251011_122435.log",
                "s3://bucket/output/project_gearbox/MyHeadlessModel.STL");
        assertThat(files.map(f -> f.getFilename())).containsExactly("project_gearbox.py", "project_gearbox.py",
                "project_gearbox_info_20251011_122435.log", "MyHeadlessModel.STL");
        assertThat(files.map(f -> f.getVersion())).containsExactly(2, 3, 3, 3);
        assertThat(files.map(f -> f.getPurpose())).containsExactly("input", "input", "log", "output");
        assertThat(files.map(f -> f.getMediaType())).containsExactly("text/x-python", "text/x-python", "text/plain",
                "model/stl");
        assertThat(files.map(f -> f.getSha256())).containsOnly(NO_BYTES);
        var v3 = files.get(1);
        assertThat(v3.getSizeBytes()).isEqualTo(2048);
        assertThat(v3.getUserId()).isEqualTo(maria);
        assertThat(v3.getCreatedAt().toString()).isEqualTo("2025-10-11T12:24:35Z");
        JsonNode v3meta = JSON.readTree(v3.getMetadata().data());
        assertThat(v3meta.get("generated_by").asString()).isEqualTo("cadscribe-ai");
        assertThat(v3meta.get("mongo").get("_id").asString()).isEqualTo("670919a3e4b0a1b2c3d4e701");
        var bracketFiles = db.selectFrom(FILES).where(FILES.PROJECT_ID.eq(bracket)).fetch();
        assertThat(bracketFiles.map(f -> f.getExternalLocation())).as("the message's reference is the files document")
                .containsExactly("s3://bucket/output/bracket/bracket_v1.step");
        assertThat(bracketFiles.getFirst().getMediaType()).isEqualTo("model/step");
        var sketch = db.selectFrom(FILES).where(FILES.PROJECT_ID.eq(mariaDefault)).fetchSingle();
        assertThat(sketch.getExternalLocation()).isEqualTo("s3://bucket/input/old/sketch.py");
        assertThat(sketch.getFilename()).isEqualTo("sketch.py");
        assertThat(sketch.getPurpose()).isEqualTo("input");
        assertThat(sketch.getSizeBytes()).isZero();
        var stray = db.selectFrom(FILES).where(FILES.PROJECT_ID.eq(carolDefault)).fetchSingle();
        assertThat(stray.getExternalLocation()).isEqualTo("s3://bucket/processed/lost/part.json");
        assertThat(stray.getUserId()).isEqualTo(e.carol().userId());

        // logs: processing logs of the project, the S3 log a file record they point at
        var logs = db.selectFrom(PROCESSING_LOGS).where(PROCESSING_LOGS.PROJECT_ID.eq(gearbox))
                .orderBy(PROCESSING_LOGS.CREATED_AT).fetch();
        assertThat(logs.map(l -> l.getSummary())).containsExactly("Model generated successfully.",
                "Worker crashed: SyntaxError ✗");
        assertThat(logs.map(l -> l.getLogLevel())).containsExactly("info", "error");
        assertThat(logs.map(l -> l.getVersion())).containsExactly(3, 2);
        assertThat(logs.map(l -> l.getUserId())).containsOnly(maria);
        assertThat(logs.get(0).getFileId()).isEqualTo(files.get(2).getId());
        assertThat(logs.get(1).getFileId()).isNull();
        assertThat(logs.get(0).getCreatedAt().toString()).isEqualTo("2025-10-11T12:25:30Z");
        JsonNode logMeta = JSON.readTree(logs.get(0).getMetadata().data());
        assertThat(logMeta.get("worker_id").asString()).isEqualTo("worker-001");
        assertThat(logMeta.get("processing_time").asDouble()).isEqualTo(45.2);
    }

    record Export(Path dir, String maria, String legacy, Api.Session carol) {
    }

    /** The export directory, written the way mongoexport writes each collection. */
    private Export export(Path dir) throws Exception {
        Files.createDirectories(dir);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String maria = "maria." + suffix;
        String legacy = "legacy-" + suffix;
        Api.Session carol = api.newUser("carol");
        write(dir.resolve("users.json"), """
                {"_id":{"$oid":"670919a3e4b0a1b2c3d4e401"},"user_id":"user-456","username":"%s","email":"%s@example.com","full_name":"María José Núñez","created_at":{"$date":{"$numberLong":"1728000000000"}}}
                {"_id":{"$oid":"670919a3e4b0a1b2c3d4e402"},"user_id":"user-789","username":"%s"}
                """.formatted(maria, maria, carol.username()));
        // relaxed mode, --jsonArray --pretty
        write(dir.resolve("projects.json"), """
                [
                  {
                    "_id": {"$oid": "670919a3e4b0a1b2c3d4e501"},
                    "project_id": "project-123",
                    "project_name": "Gearbox Assembly ⚙️",
                    "created_by": "user-456",
                    "created_at": {"$date": "2025-10-11T12:24:35Z"},
                    "updated_at": {"$date": "2025-10-11T12:26:10.500Z"},
                    "current_version": 3,
                    "ai_model_used": "Gemini",
                    "status": "completed",
                    "latest_s3_input": "s3://bucket/input/project_gearbox/project_gearbox_v3.py",
                    "latest_s3_output": ["s3://bucket/output/project_gearbox/MyHeadlessModel.STL",
                                         "s3://bucket/output/project_gearbox/MyHeadlessModel.STEP"],
                    "metadata": {"description": "Parametric gearbox CAD model", "confidence": 0.93,
                                 "generation_time": {"$numberDouble": "2.45"},
                                 "parameters": {"teeth": {"$numberInt": "24"}, "module": {"$numberDecimal": "1.25"}}}
                  },
                  {
                    "_id": {"$oid": "670919a3e4b0a1b2c3d4e502"},
                    "project_id": "project-200",
                    "project_name": "Bracket",
                    "created_by": "user-789",
                    "created_at": {"$date": "2025-10-12T08:00:00+02:00"},
                    "current_version": {"$numberLong": "1"},
                    "status": "draft"
                  }
                ]
                """);
        // canonical mode, one document per line; line 5 is cut short, line 6 repeats line 3's _id
        write(dir.resolve("messages.json"), String.join("\n",
                msg("601", "project-123", "user-456", "user",
                        "Design a gearbox with 24 teeth — 齿轮 🚗 \\\"quoted\\\"\\nsecond line", "1760185440000", "{}"),
                msg("600", "project-123", "user-456", "system", "You are CadScribe.", "1760185200000", "{}"),
                msg("602", "project-123", "user-456", "assistant", "Generated CAD model: project_gearbox_v3.py",
                        "1760185475250", """
                        {"source_model":"Gemini","confidence":{"$numberDouble":"0.95"},"response_time":{"$numberDouble":"2.45"},\
                        "s3_url":"s3://bucket/input/project_gearbox/project_gearbox_v3.py","version":{"$numberInt":"3"}}"""),
                msg("603", "project-123", "user-456", "critic", "Looks fine to me.", "1760185500000", "{}"),
                "{\"_id\":{\"$oid\":\"670919a3e4b0a1b2c3d4e604\"},\"project_id\":\"project-123\",\"content\":\"cut",
                msg("602", "project-123", "user-456", "assistant", "a second copy", "1760185475250", "{}"),
                msg("605", "project-404", "user-789", "user", "Where did my project go?", "1760200000000", "{}"),
                msg("606", "project-200", "user-789", "user", "A bracket with 4 holes", "1760255000000", "{}"),
                msg("607", "project-200", "user-789", "assistant", "Here is the bracket. שלום", "1760255010000", """
                        {"source_model":"Gemini","s3_url":"s3://bucket/output/bracket/bracket_v1.step","version":1}"""),
                msg("608", "project-old", "user-456", "user", "Written in the new layout, to a project only the "
                        + "old one names", "1724990000000", "{}"),
                ""));
        // the legacy flat collection, relaxed mode, as .jsonl; 606 is the copy the migration left behind
        write(dir.resolve("chat_messages.jsonl"), """
                {"_id":{"$oid":"670919a3e4b0a1b2c3d4e801"},"user_id":"user-456","session_id":"sess-1","role":"user","content":"Hello from the old app","timestamp":{"$date":"2025-09-01T10:00:00Z"}}
                {"_id":{"$oid":"670919a3e4b0a1b2c3d4e802"},"user_id":"user-456","session_id":"sess-1","role":"assistant","content":"Hi! Old reply, with 🧩","timestamp":{"$date":"2025-09-01T10:00:05.000Z"},"metadata":{"s3_url":"s3://bucket/input/old/sketch.py"}}
                {"_id":{"$oid":"670919a3e4b0a1b2c3d4e803"},"user_id":"%s","role":"user","content":"Orphan legacy message","timestamp":{"$date":"2025-09-02T10:00:00Z"}}

                {"_id":{"$oid":"670919a3e4b0a1b2c3d4e606"},"project_id":"project-200","user_id":"user-789","role":"user","content":"A bracket with 4 holes","timestamp":{"$date":"2025-10-12T07:43:20Z"}}
                {"_id":{"$oid":"670919a3e4b0a1b2c3d4e804"},"project_id":"project-old","user_id":"user-456","role":"user","content":"Old project question","timestamp":{"$date":1725000000000},"metadata":{"version":2,"source_model":"GPT-4"}}
                """.formatted(legacy));
        // canonical, --jsonArray; the last one repeats an S3 path of the project, one names a missing project
        write(dir.resolve("files.json"), "[" + String.join(",\n",
                file("701", "project-123", 3, "input", "s3://bucket/input/project_gearbox/project_gearbox_v3.py",
                        "1760185475000", "project_gearbox.py", "user-456", "2048", "text/x-python"),
                file("702", "project-123", 2, "input", "s3://bucket/input/project_gearbox/project_gearbox_v2.py",
                        "1760185000000", "project_gearbox.py", "user-456", "1980", "text/x-python"),
                file("703", "project-123", 3, "output", "s3://bucket/output/project_gearbox/MyHeadlessModel.STL",
                        "1760185530000", "MyHeadlessModel.STL", "user-456", "52000", "model/stl"),
                file("704", "project-200", 1, "output", "s3://bucket/output/bracket/bracket_v1.step",
                        "1760255010000", "bracket_v1.step", "user-789", "9000", "model/step"),
                file("705", "project-999", 1, "processed", "s3://bucket/processed/lost/part.json",
                        "1760255020000", "part.json", "user-789", "10", "application/json"),
                file("706", "project-123", 3, "output", "s3://bucket/output/project_gearbox/MyHeadlessModel.STL",
                        "1760185540000", "MyHeadlessModel.STL", "user-456", "52000", "model/stl")) + "]\n");
        write(dir.resolve("logs.json"), """
                {"_id":{"$oid":"670919a3e4b0a1b2c3d4e901"},"project_id":"project-123","version":3,"s3_log_path":"s3://bucket/logs/project_gearbox/project_gearbox_info_20251011_122435.log","log_summary":"Model generated successfully.","timestamp":{"$date":"2025-10-11T12:25:30Z"},"metadata":{"processing_time":45.2,"worker_id":"worker-001","exit_code":0}}
                {"_id":{"$oid":"670919a3e4b0a1b2c3d4e902"},"project_id":"project-123","version":{"$numberInt":"2"},"log_summary":"Worker crashed: SyntaxError ✗","timestamp":{"$date":"2025-10-11T12:30:00Z"},"metadata":{"exit_code":{"$numberInt":"1"}}}
                {"_id":{"$oid":"670919a3e4b0a1b2c3d4e903"},"project_id":"project-777","version":1,"log_summary":"nobody's","timestamp":{"$date":"2025-10-11T12:31:00Z"}}
                """);
        return new Export(dir, maria, legacy, carol);
    }

    private static String msg(String id, String project, String user, String role, String content, String millis,
                              String metadata) {
        return ("{\"_id\":{\"$oid\":\"670919a3e4b0a1b2c3d4e%s\"},\"project_id\":\"%s\",\"user_id\":\"%s\",\"role\":\"%s\","
                + "\"content\":\"%s\",\"timestamp\":{\"$date\":{\"$numberLong\":\"%s\"}},\"metadata\":%s,"
                + "\"created_at\":{\"$date\":{\"$numberLong\":\"%s\"}}}")
                .formatted(id, project, user, role, content, millis, metadata, millis);
    }

    private static String file(String id, String project, int version, String type, String path, String millis,
                               String name, String uploader, String size, String mediaType) {
        return ("{\"_id\":{\"$oid\":\"670919a3e4b0a1b2c3d4e%s\"},\"project_id\":\"%s\",\"version\":{\"$numberInt\":\"%d\"},"
                + "\"file_type\":\"%s\",\"s3_path\":\"%s\",\"timestamp\":{\"$date\":{\"$numberLong\":\"%s\"}},"
                + "\"metadata\":{\"file_name\":\"%s\",\"ai_model\":\"Gemini\",\"uploaded_by\":\"%s\","
                + "\"generated_by\":\"cadscribe-ai\",\"file_size\":{\"$numberLong\":\"%s\"},\"content_type\":\"%s\"}}")
                .formatted(id, project, version, type, path, millis, name, uploader, size, mediaType);
    }

    private static void write(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private ImportReport run(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "import";
        System.arraycopy(args, 0, command, 1, args.length);
        return imports.run(ImportCommand.parse(command).options(), ImportProgress.NONE);
    }

    private UUID parleyId(String kind, String sourceId) {
        return ImportInvariants.parleyId(db, batch, kind, sourceId);
    }

    @OnSqlite
    static class OnSqliteTest extends MongoExportImportTests {
    }

    @OnPostgres
    static class OnPostgresTest extends MongoExportImportTests {
    }
}
