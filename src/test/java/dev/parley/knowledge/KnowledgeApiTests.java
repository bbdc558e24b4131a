package dev.parley.knowledge;

import static dev.parley.db.Tables.KNOWLEDGE_FILES;
import static dev.parley.db.Tables.KNOWLEDGE_JOBS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.parley.config.ParleyProperties;
import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import dev.parley.web.Ids;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

abstract class KnowledgeApiTests extends ApiTest {

    @Autowired
    DSLContext dsl;
    @Autowired
    ParleyProperties parley;

    private KnowledgeClient kb;

    @BeforeEach
    void client() {
        kb = new KnowledgeClient(api);
    }

    private static List<String> hitFiles(Response search) {
        assertThat(search.status()).as(search.toString()).isEqualTo(200);
        List<String> files = new ArrayList<>();
        search.json().get("results").forEach(r -> files.add(r.get("file_id").asString()));
        return files;
    }

    // ---- the knowledge base itself

    @Test
    void aProjectWithoutAKnowledgeBaseAnswers404WithItsOwnCode() {
        Session alice = api.newUser("alice");
        String project = kb.project(alice);
        Response missing = api.get(KnowledgeClient.base(project), alice);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.code()).isEqualTo("knowledge_base_not_found");
    }

    @Test
    void putCreatesTheKnowledgeBaseWithDefaultsThenChangesIt() {
        Session alice = api.newUser("alice");
        String project = kb.project(alice);
        Response created = api.put(KnowledgeClient.base(project), alice, Api.object("description", "manuals"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo(KnowledgeClient.base(project));
        JsonNode body = created.json();
        assertThat(body.get("project_id").asString()).isEqualTo(project);
        assertThat(body.get("name").asString()).isEqualTo("Knowledge base");
        assertThat(body.get("description").asString()).isEqualTo("manuals");
        assertThat(body.get("embedding_model").asString()).isEqualTo("all-minilm-l6-v2");
        assertThat(body.get("chunk_size").asInt()).isEqualTo(400);
        assertThat(body.get("chunk_overlap").asInt()).isEqualTo(50);
        assertThat(body.get("is_active").asBoolean()).isTrue();
        assertThat(body.get("status").asString()).isEqualTo("empty");
        assertThat(body.get("files_total").asInt()).isZero();
        assertThat(body.get("chunks").asLong()).isZero();
        assertThat(body.get("last_indexed_at").isNull()).isTrue();

        Response changed = api.put(KnowledgeClient.base(project), alice,
                Api.object("name", "Manuals", "chunk_size", 200, "chunk_overlap", 20, "is_active", false));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("id")).isEqualTo(body.get("id"));
        assertThat(changed.json().get("name").asString()).isEqualTo("Manuals");
        assertThat(changed.json().get("description").asString()).isEqualTo("manuals");
        assertThat(changed.json().get("chunk_size").asInt()).isEqualTo(200);
        assertThat(changed.json().get("is_active").asBoolean()).isFalse();
        assertThat(api.get(KnowledgeClient.base(project), alice).json()).isEqualTo(changed.json());
    }

    @Test
    void settingsThatCannotWorkAreRefusedNamingTheField() {
        Session alice = api.newUser("alice");
        String project = kb.project(alice);
        Response overlap = api.put(KnowledgeClient.base(project), alice, Api.object("chunk_size", 100, "chunk_overlap", 100));
        assertThat(overlap.status()).isEqualTo(422);
        assertThat(overlap.json().get("errors").get(0).get("field").asString()).isEqualTo("chunk_overlap");
        Response model = api.put(KnowledgeClient.base(project), alice, Api.object("embedding_model", "text-embedding-3-small"));
        assertThat(model.status()).isEqualTo(422);
        assertThat(model.json().get("errors").get(0).get("field").asString()).isEqualTo("embedding_model");
        Response tiny = api.put(KnowledgeClient.base(project), alice, Api.object("chunk_size", 10));
        assertThat(tiny.status()).isIn(400, 422);
        assertThat(api.get(KnowledgeClient.base(project), alice).status()).isEqualTo(404);
    }

    // ---- extraction of every file type, search modes, filters

    @Test
    void everyFileTypeIsExtractedChunkedAndFound() {
        Session alice = api.newUser("alice");
        String project = kb.project(alice);
        kb.createKnowledgeBase(alice, project);
        Map<String, String> markerToFile = new LinkedHashMap<>();
        markerToFile.put("quillfeather", kb.add(alice, project, "notes.txt", "text/plain",
                Fixtures.utf8("Plain notes.\n\nThe quillfeather valve must be closed before winter.")));
        markerToFile.put("brambleworth", kb.add(alice, project, "guide.md", "text/markdown",
                Fixtures.utf8("# Guide\n\nIntro text.\n\n## Setup\n\nInstall the brambleworth module first.")));
        markerToFile.put("glimmerstone", kb.add(alice, project, "page.html", "text/html",
                Fixtures.utf8("<html><head><title>t</title><script>var hidden=1;</script></head>"
                        + "<body><h1>Page</h1><p>The glimmerstone lamp is bright.</p></body></html>")));
        markerToFile.put("thornquist", kb.add(alice, project, "report.pdf", "application/pdf",
                Fixtures.pdf(List.of("Annual report.", "The thornquist turbine doubled its output."))));
        markerToFile.put("marrowdale", kb.add(alice, project, "memo.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                Fixtures.docx(List.of("Memo to staff.", "The marrowdale office opens on Monday."))));
        markerToFile.put("fennimore", kb.add(alice, project, "letter.odt", "application/vnd.oasis.opendocument.text",
                Fixtures.odt(List.of("Dear reader,", "the fennimore bridge is closed for repairs."))));
        markerToFile.put("oxhollow", kb.add(alice, project, "parts.csv", "text/csv",
                Fixtures.utf8("part,count\noxhollow bolt,12\nwasher,40\n")));
        markerToFile.put("pinwhistle", kb.add(alice, project, "config.json", "application/json",
                Fixtures.utf8("{\"service\": \"pinwhistle\", \"replicas\": 3}")));
        markerToFile.put("cobbleridge", kb.add(alice, project, "Main.java", "text/x-java-source",
                Fixtures.utf8("/** Computes the cobbleridge checksum. */\nclass Main {\n  int sum(int a, int b) { return a + b; }\n}\n")));

        JsonNode settled = kb.settled(alice, project);
        assertThat(settled.get("status").asString()).as(settled.toString()).isEqualTo("ready");
        assertThat(settled.get("files_total").asInt()).isEqualTo(9);
        assertThat(settled.get("files_indexed").asInt()).isEqualTo(9);
        assertThat(settled.get("files_failed").asInt()).isZero();
        assertThat(settled.get("chunks").asLong()).isGreaterThanOrEqualTo(9);
        assertThat(settled.get("last_indexed_at").isNull()).isFalse();

        JsonNode listing = api.get(KnowledgeClient.base(project) + "/files?limit=100", alice).json();
        assertThat(listing.get("data")).hasSize(9);
        listing.get("data").forEach(f -> {
            assertThat(f.get("state").asString()).isEqualTo("indexed");
            assertThat(f.get("chunks").asInt()).isPositive();
            assertThat(f.get("error").isNull()).isTrue();
        });

        markerToFile.forEach((marker, file) -> {
            Response found = kb.search(alice, project, "query", marker, "mode", "lexical");
            assertThat(hitFiles(found)).as(marker).containsExactly(file);
            JsonNode hit = found.json().get("results").get(0);
            assertThat(hit.get("text").asString().toLowerCase()).contains(marker);
            assertThat(hit.get("ordinal").asInt()).isGreaterThanOrEqualTo(0);
            assertThat(hit.get("score").asDouble()).isPositive();
            assertThat(hit.get("filename").asString()).isNotBlank();
        });
        // the script of the page is not its text
        assertThat(hitFiles(kb.search(alice, project, "query", "hidden", "mode", "lexical"))).isEmpty();
    }

    @Test
    void aFileOfManyChunksIsIndexedWhole() {
        Session alice = api.newUser("alice");
        String project = kb.project(alice);
        assertThat(api.put(KnowledgeClient.base(project), alice, Api.object("chunk_size", 50, "chunk_overlap", 0))
                .status()).isEqualTo(201);
        // ~400 chunks: their rows (each with a 1,536-byte embedding) were once one statement,
        // inlined by jOOQ past SQLite's 999 bind values into more than SQLite takes
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            text.append("Paragraph ").append(i).append(" of the long manual: the gauge reads steady, ")
                    .append("the valve stays shut, and the operator writes the figure in the log book.\n\n");
        }
        text.append("The last page mentions the saffronvale pump.");
        String file = kb.add(alice, project, "manual.txt", "text/plain", Fixtures.utf8(text.toString()));

        JsonNode settled = kb.settled(alice, project);
        assertThat(settled.get("status").asString()).as(settled.toString()).isEqualTo("ready");
        assertThat(settled.get("chunks").asLong()).isGreaterThan(300);
        assertThat(hitFiles(kb.search(alice, project, "query", "saffronvale", "mode", "lexical"))).containsExactly(file);
    }

    @Test
    void eachModeFindsTheRelevantFileAndFileIdsNarrowTheSearch() {
        Session alice = api.newUser("alice");
        String project = kb.project(alice);
        kb.createKnowledgeBase(alice, project);
        String cats = kb.add(alice, project, "cats.md", "text/markdown", Fixtures.utf8(
                "# Cats\n\nCats are small domesticated carnivores. A kitten drinks milk and sleeps most of the day."));
        String rockets = kb.add(alice, project, "rockets.md", "text/markdown", Fixtures.utf8(
                "# Rockets\n\nA rocket engine burns liquid fuel with oxygen to produce thrust for spaceflight."));
        String bread = kb.add(alice, project, "bread.md", "text/markdown", Fixtures.utf8(
                "# Bread\n\nBake the dough in a hot oven until the crust is golden; yeast makes it rise."));
        kb.settled(alice, project);

        assertThat(hitFiles(kb.search(alice, project, "query", "rocket thrust", "mode", "lexical")).getFirst())
                .isEqualTo(rockets);
        assertThat(hitFiles(kb.search(alice, project, "query", "which pet purrs and chases mice?", "mode", "semantic"))
                .getFirst()).isEqualTo(cats);
        assertThat(hitFiles(kb.search(alice, project, "query", "baking a loaf", "mode", "hybrid")).getFirst())
                .isEqualTo(bread);
        assertThat(hitFiles(kb.search(alice, project, "query", "baking a loaf")).getFirst()).isEqualTo(bread);
        assertThat(hitFiles(kb.search(alice, project, "query", "spaceflight", "mode", "semantic", "top_k", 1)))
                .containsExactly(rockets);

        // narrowed to two files: the third never appears
        List<String> narrowed = hitFiles(kb.search(alice, project, "query", "rocket engine thrust", "mode", "hybrid",
                "file_ids", List.of(cats, bread)));
        assertThat(narrowed).isNotEmpty().doesNotContain(rockets);
        assertThat(hitFiles(kb.search(alice, project, "query", "rocket", "mode", "lexical", "file_ids",
                List.of(cats)))).isEmpty();

        // another project's knowledge base sees none of it
        String other = kb.project(alice);
        kb.createKnowledgeBase(alice, other);
        assertThat(hitFiles(kb.search(alice, other, "query", "rocket", "mode", "hybrid"))).isEmpty();
    }

    @Test
    void badSearchesAreRefusedNamingTheField() {
        Session alice = api.newUser("alice");
        String project = kb.project(alice);
        kb.createKnowledgeBase(alice, project);
        assertField(kb.search(alice, project, "query", ""), "query");
        assertField(kb.search(alice, project, "query", "   "), "query");
        assertField(kb.search(alice, project), "query");
        assertField(kb.search(alice, project, "query", "x", "top_k", 0), "top_k");
        assertField(kb.search(alice, project, "query", "x", "top_k", 51), "top_k");
        assertField(kb.search(alice, project, "query", "x", "mode", "fuzzy"), "mode");
        assertField(kb.search(alice, project, "query", "x", "file_ids", List.of(UUID.randomUUID().toString())),
                "file_ids");
        assertField(kb.search(alice, project, "query", "x".repeat(2001)), "query");
        assertThat(kb.search(alice, project, "query", "x", "top_k", 50).status()).isEqualTo(200);
    }

    private static void assertField(Response response, String field) {
        assertThat(response.status()).as(response.toString()).isIn(400, 422);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
    }

    @Test
    void onlyFilesOfTheProjectCanBeAddedAndAddingTwiceChangesNothing() {
        Session alice = api.newUser("alice");
        String project = kb.project(alice);
        kb.createKnowledgeBase(alice, project);
        String file = kb.upload(alice, project, "a.txt", "text/plain", Fixtures.utf8("alpha"));
        assertThat(api.post(KnowledgeClient.base(project) + "/files", alice, Api.object("file_id", file)).status())
                .isEqualTo(202);
        Response again = api.post(KnowledgeClient.base(project) + "/files", alice, Api.object("file_id", file));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("file_id").asString()).isEqualTo(file);

        String otherProject = kb.project(alice);
        String foreign = kb.upload(alice, otherProject, "b.txt", "text/plain", Fixtures.utf8("beta"));
        Response wrongProject = api.post(KnowledgeClient.base(project) + "/files", alice, Api.object("file_id", foreign));
        assertThat(wrongProject.status()).isEqualTo(422);
        assertThat(wrongProject.json().get("errors").get(0).get("field").asString()).isEqualTo("file_id");

        Response unknown = api.post(KnowledgeClient.base(project) + "/files", alice,
                Api.object("file_id", UUID.randomUUID().toString()));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(api.delete(KnowledgeClient.base(project) + "/files/" + UUID.randomUUID(), alice).status())
                .isEqualTo(404);
        assertThat(kb.settled(alice, project).get("files_total").asInt()).isEqualTo(1);
    }

    // ---- removal, failure, rebuild, resume

    @Test
    void removingAFileFromTheKnowledgeBaseOrDeletingItTakesItsChunksAway() {
        Session alice = api.newUser("alice");
        String project = kb.project(alice);
        kb.createKnowledgeBase(alice, project);
        String keep = kb.add(alice, project, "keep.txt", "text/plain", Fixtures.utf8("The saltmarsh heron nests here."));
        String remove = kb.add(alice, project, "remove.txt", "text/plain", Fixtures.utf8("The saltmarsh eel hides here."));
        String delete = kb.add(alice, project, "delete.txt", "text/plain", Fixtures.utf8("The saltmarsh crab digs here."));
        assertThat(kb.settled(alice, project).get("chunks").asLong()).isEqualTo(3);
        assertThat(hitFiles(kb.search(alice, project, "query", "saltmarsh", "mode", "lexical")))
                .containsExactlyInAnyOrder(keep, remove, delete);

        assertThat(api.delete(KnowledgeClient.base(project) + "/files/" + remove, alice).status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/files/" + delete, alice).status()).isEqualTo(204);

        JsonNode after = api.get(KnowledgeClient.base(project), alice).json();
        assertThat(after.get("files_total").asInt()).isEqualTo(1);
        assertThat(after.get("chunks").asLong()).isEqualTo(1);
        for (String mode : List.of("lexical", "semantic", "hybrid")) {
            assertThat(hitFiles(kb.search(alice, project, "query", "saltmarsh", "mode", mode))).containsExactly(keep);
        }
        // the removed file itself is still in the project
        assertThat(api.get("/api/v1/files/" + remove, alice).status()).isEqualTo(200);
    }

    @Test
    void aFileThatCannotBeReadEndsFailedWithTheReason() {
        Session alice = api.newUser("alice");
        String project = kb.project(alice);
        kb.createKnowledgeBase(alice, project);
        String broken = kb.add(alice, project, "broken.pdf", "application/pdf",
                Fixtures.utf8("%PDF-1.7\nthis is not really a PDF at all"));
        String image = kb.add(alice, project, "pixel.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10,
                0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0});
        String fine = kb.add(alice, project, "fine.txt", "text/plain", Fixtures.utf8("all good"));
        JsonNode settled = kb.settled(alice, project);
        assertThat(settled.get("status").asString()).isEqualTo("partial");
        assertThat(settled.get("files_failed").asInt()).isEqualTo(2);
        assertThat(settled.get("files_indexed").asInt()).isEqualTo(1);
        JsonNode files = api.get(KnowledgeClient.base(project) + "/files", alice).json().get("data");
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        files.forEach(f -> byId.put(f.get("file_id").asString(), f));
        assertThat(byId.get(broken).get("state").asString()).isEqualTo("failed");
        assertThat(byId.get(broken).get("error").asString()).isNotBlank();
        assertThat(byId.get(image).get("state").asString()).isEqualTo("failed");
        assertThat(byId.get(image).get("error").asString()).contains("no text");
        assertThat(byId.get(fine).get("state").asString()).isEqualTo("indexed");
    }

    @Test
    void reindexRebuildsTheIndexAfterItsFolderWasDeleted() throws IOException {
        Session alice = api.newUser("alice");
        String project = kb.project(alice);
        kb.createKnowledgeBase(alice, project);
        String file = kb.add(alice, project, "lighthouse.md", "text/markdown",
                Fixtures.utf8("# Lighthouse\n\nThe keeper trims the wick of the lighthouse lamp every evening."));
        kb.settled(alice, project);
        assertThat(hitFiles(kb.search(alice, project, "query", "lighthouse keeper", "mode", "lexical")))
                .containsExactly(file);

        Path index = parley.dataDir().toAbsolutePath().resolve("index").resolve("knowledge");
        FileSystemUtils.deleteRecursively(index);
        assertThat(Files.exists(index)).isFalse();

        Response reindex = api.post(KnowledgeClient.base(project) + "/reindex", alice, null);
        assertThat(reindex.status()).isEqualTo(202);
        JsonNode settled = kb.settled(alice, project);
        assertThat(settled.get("status").asString()).isEqualTo("ready");
        assertThat(settled.get("chunks").asLong()).isEqualTo(1);
        for (String mode : List.of("lexical", "semantic", "hybrid")) {
            assertThat(hitFiles(kb.search(alice, project, "query", "lighthouse keeper", "mode", mode)))
                    .containsExactly(file);
        }
        assertThat(Files.isDirectory(index)).isTrue();
    }

    @Test
    void aJobLeftRunningByADeadServerIsClaimedAgainAndFinishes() {
        Session alice = api.newUser("alice");
        String project = kb.project(alice);
        JsonNode base = kb.createKnowledgeBase(alice, project);
        String file = kb.upload(alice, project, "orchard.txt", "text/plain",
                Fixtures.utf8("The orchard keeps forty apple trees and a pear tree."));
        // what a crash mid-indexing leaves: the file "indexing", its job "running" under a lease that ran out
        UUID kbId = UUID.fromString(base.get("id").asString());
        Instant past = Ids.now().minusSeconds(3600);
        dsl.insertInto(KNOWLEDGE_FILES)
                .set(KNOWLEDGE_FILES.KNOWLEDGE_BASE_ID, kbId)
                .set(KNOWLEDGE_FILES.FILE_ID, UUID.fromString(file))
                .set(KNOWLEDGE_FILES.PROJECT_ID, UUID.fromString(project))
                .set(KNOWLEDGE_FILES.STATE, "indexing")
                .set(KNOWLEDGE_FILES.ADDED_AT, past)
                .execute();
        dsl.insertInto(KNOWLEDGE_JOBS)
                .set(KNOWLEDGE_JOBS.ID, Ids.newId())
                .set(KNOWLEDGE_JOBS.KNOWLEDGE_BASE_ID, kbId)
                .set(KNOWLEDGE_JOBS.PROJECT_ID, UUID.fromString(project))
                .set(KNOWLEDGE_JOBS.FILE_ID, UUID.fromString(file))
                .set(KNOWLEDGE_JOBS.STATE, "running")
                .set(KNOWLEDGE_JOBS.ATTEMPTS, 1)
                .set(KNOWLEDGE_JOBS.LEASE_UNTIL, past.plusSeconds(600))
                .set(KNOWLEDGE_JOBS.CREATED_AT, past)
                .set(KNOWLEDGE_JOBS.UPDATED_AT, past)
                .execute();
        assertThat(api.get(KnowledgeClient.base(project), alice).json().get("status").asString()).isEqualTo("indexing");

        JsonNode settled = kb.settled(alice, project);
        assertThat(settled.get("status").asString()).isEqualTo("ready");
        assertThat(hitFiles(kb.search(alice, project, "query", "orchard apple", "mode", "lexical"))).containsExactly(file);
    }

    // ---- conversations and context

    @Test
    void aConversationUsesTheKnowledgeBaseOnlyWhenItIsActiveAndGetsPassagesInItsContext() {
        Session alice = api.newUser("alice");
        String project = kb.project(alice);
        Response refused = api.post("/api/v1/conversations", alice,
                Api.object("project_id", project, "use_knowledge_base", true));
        assertThat(refused.status()).isEqualTo(422);

        kb.createKnowledgeBase(alice, project);
        String file = kb.add(alice, project, "bracket.md", "text/markdown",
                Fixtures.utf8("# Mounting\n\nMount the bracket with four M4 screws and a torque of 2 Nm."));
        kb.settled(alice, project);
        Response conversation = api.post("/api/v1/conversations", alice,
                Api.object("project_id", project, "use_knowledge_base", true));
        assertThat(conversation.status()).isEqualTo(201);
        String id = conversation.json().get("id").asString();
        api.post("/api/v1/conversations/" + id + "/messages", alice,
                Api.object("role", "user", "content", "How do I mount the bracket?"));

        JsonNode context = api.get("/api/v1/conversations/" + id + "/context", alice).json();
        JsonNode first = context.get("messages").get(0);
        assertThat(first.get("role").asString()).isEqualTo("system");
        assertThat(first.get("content").asString()).contains("four M4 screws");
        JsonNode source = context.get("sources").get(0);
        assertThat(source.get("file_id").asString()).isEqualTo(file);
        assertThat(source.get("filename").asString()).isEqualTo("bracket.md");
        assertThat(source.has("chunk_id")).isTrue();
        assertThat(source.get("score").asDouble()).isPositive();

        // a tight budget drops the passages, never the request
        JsonNode tight = api.get("/api/v1/conversations/" + id + "/context?max_tokens=20", alice).json();
        assertThat(tight.get("sources")).isEmpty();

        // deactivated: no more new conversations with it
        api.put(KnowledgeClient.base(project), alice, Api.object("is_active", false));
        assertThat(api.post("/api/v1/conversations", alice, Api.object("project_id", project, "use_knowledge_base", true))
                .status()).isEqualTo(422);
        assertThat(api.get("/api/v1/conversations/" + id + "/context", alice).json().get("sources")).isEmpty();
    }

    // ---- who may do what (the full matrix is in AuthorizationMatrixTests)

    @Test
    void viewersReadAndSearchEditorsManageFilesOwnersChangeSettingsStrangersSeeNothing() {
        Session owner = api.newUser("owner");
        Session editor = api.newUser("editor");
        Session viewer = api.newUser("viewer");
        Session stranger = api.newUser("stranger");
        String project = kb.project(owner);
        api.put("/api/v1/projects/" + project + "/members/" + editor.userId(), owner, Api.object("role", "editor"));
        api.put("/api/v1/projects/" + project + "/members/" + viewer.userId(), owner, Api.object("role", "viewer"));
        assertThat(api.put(KnowledgeClient.base(project), editor, Api.object()).status()).isEqualTo(403);
        kb.createKnowledgeBase(owner, project);
        assertThat(api.put(KnowledgeClient.base(project), editor, Api.object("name", "x")).status()).isEqualTo(403);
        String file = kb.upload(editor, project, "e.txt", "text/plain", Fixtures.utf8("editor text"));
        assertThat(api.post(KnowledgeClient.base(project) + "/files", viewer, Api.object("file_id", file)).status())
                .isEqualTo(403);
        assertThat(api.post(KnowledgeClient.base(project) + "/files", editor, Api.object("file_id", file)).status())
                .isEqualTo(202);
        assertThat(api.get(KnowledgeClient.base(project), viewer).status()).isEqualTo(200);
        assertThat(kb.search(viewer, project, "query", "editor").status()).isEqualTo(200);
        assertThat(api.post(KnowledgeClient.base(project) + "/reindex", viewer, null).status()).isEqualTo(403);
        assertThat(api.get(KnowledgeClient.base(project), stranger).status()).isEqualTo(404);
        assertThat(kb.search(stranger, project, "query", "editor").status()).isEqualTo(404);
        kb.settled(owner, project);
    }

    @OnSqlite
    static class OnSqliteTest extends KnowledgeApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends KnowledgeApiTests {
    }
}
