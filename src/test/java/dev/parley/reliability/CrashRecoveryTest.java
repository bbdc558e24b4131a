package dev.parley.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.Postgres;
import dev.parley.support.PostgresCondition;
import dev.parley.support.ServerProcess;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What the server acknowledged survives {@code kill -9} of the server process, on both
 * databases. Eight writers append messages to one conversation and upload files to one
 * project; the server is killed at a random moment while they run, started again on the
 * same data, and checked:
 * <ul>
 * <li>every acknowledged message is there with the content that was sent, and every stored
 * message is one of the writes that were sent, whole (nothing half-written);</li>
 * <li>{@code seq} runs 1..n without a gap and the conversation's {@code message_count} is n;</li>
 * <li>every acknowledged upload is listed, and every listed file's bytes are there with the
 * record's size and SHA-256 (no record without its blob);</li>
 * <li>at the end, once a sweep has run, the blob store holds exactly the blobs that records
 * name (no bytes left over from the cut-off uploads).</li>
 * </ul>
 * SQLite runs in WAL mode with {@code synchronous=FULL}, PostgreSQL commits synchronously,
 * and blobs are fsynced before their record is written, so nothing acknowledged can be lost.
 *
 * <p>One kill per database in the everyday suite; {@code -Preliability} runs five
 * ({@code -Dparley.crash.cycles=N} sets any number).
 */
class CrashRecoveryTest {

    private static final int WRITERS = 8;
    private static final int CYCLES = Integer.getInteger("parley.crash.cycles", 1);
    /** Every fourth write of a writer is an upload. */
    private static final int UPLOAD_EVERY = 4;
    private static final String USERNAME = "crash";
    private static final String PASSWORD = "crash test password";

    @Nested
    class Sqlite {

        @TempDir
        Path dataDir;

        @Test
        void acknowledgedWritesSurviveKillDashNine() throws Exception {
            new Run(dataDir, Map.of()).cycles();
        }
    }

    @Nested
    @ExtendWith(PostgresCondition.class)
    class Postgresql {

        @TempDir
        Path dataDir;

        @Test
        void acknowledgedWritesSurviveKillDashNine() throws Exception {
            String schema = Postgres.createSchema();
            try {
                new Run(dataDir, Map.of(
                        "spring.datasource.url", Postgres.url(schema),
                        "spring.datasource.username", Postgres.USER,
                        "spring.datasource.password", Postgres.PASSWORD,
                        "spring.flyway.default-schema", schema,
                        "spring.flyway.schemas", schema)).cycles();
            } finally {
                Postgres.dropSchema(schema);
            }
        }
    }

    /** What a writer sent and the server acknowledged. */
    record Upload(String sha256, long size) {
    }

    private static final class Run {

        private final Path dataDir;
        private final Map<String, String> properties;
        private final long seed = System.nanoTime();
        private final Random random = new Random(seed);
        /** message id → content, for every 201. */
        private final Map<String, String> acknowledgedMessages = new ConcurrentHashMap<>();
        /** file id → bytes' digest and size, for every 201. */
        private final Map<String, Upload> acknowledgedUploads = new ConcurrentHashMap<>();

        private final long started = System.nanoTime();

        private void phase(String what) {
            System.out.printf("crash recovery %.1fs: %s%n", (System.nanoTime() - started) / 1e9, what);
        }

        Run(Path dataDir, Map<String, String> properties) {
            this.dataDir = dataDir;
            this.properties = properties;
        }

        void cycles() throws Exception {
            ServerProcess server = ServerProcess.start(dataDir, properties);
            Api api = new Api(server.port());
            Session session = api.register(USERNAME, PASSWORD);
            String project = Fixture.id(api.post("/api/v1/projects", session, Api.object("name", "crash")));
            String conversation = Fixture.id(api.post("/api/v1/conversations", session,
                    Api.object("project_id", project, "title", "crash")));
            int writesChecked = 0;
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                phase("cycle " + cycle + " writing");
                writeUntilKilled(api, session, server, project, conversation, cycle);
                phase("killed");
                // after the last kill the server sweeps at once: the bytes of cut-off uploads must go
                server = ServerProcess.start(dataDir, cycle == CYCLES - 1 ? sweeping() : properties);
                phase("restarted");
                api = new Api(server.port());
                session = api.login(USERNAME, PASSWORD);
                writesChecked = check(api, session, project, conversation);
                phase("checked");
            }
            Set<String> named = new HashSet<>();
            for (JsonNode file : all(api, session, "/api/v1/projects/" + project + "/files")) {
                named.add(file.get("sha256").asString());
            }
            awaitTrue(() -> blobsOnDisk().equals(named) && temporariesOnDisk() == 0,
                    "the sweep to leave exactly the blobs that records name");
            phase("swept");
            server.close();
            System.out.printf("crash recovery (%s, seed %d): %d cycles survived, %d acknowledged messages and"
                            + " %d acknowledged uploads checked (%d stored rows checked)%n",
                    properties.isEmpty() ? "SQLite" : "PostgreSQL", seed, CYCLES, acknowledgedMessages.size(),
                    acknowledgedUploads.size(), writesChecked);
            assertThat(acknowledgedMessages).hasSizeGreaterThanOrEqualTo(WRITERS * CYCLES);
            assertThat(acknowledgedUploads).hasSizeGreaterThanOrEqualTo(2 * CYCLES);
        }

        private Map<String, String> sweeping() {
            Map<String, String> sweeping = new HashMap<>(properties);
            sweeping.put("parley.files.sweep-grace", "0s");
            sweeping.put("parley.files.sweep-initial-delay", "0s");
            return sweeping;
        }

        private void writeUntilKilled(Api api, Session session, ServerProcess server, String project,
                                      String conversation, int cycle) throws Exception {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger messagesThisCycle = new AtomicInteger();
            AtomicInteger uploadsThisCycle = new AtomicInteger();
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                Random bytes = new Random(seed + 31L * cycle + writer);
                writers.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        try {
                            if ((i + writer) % UPLOAD_EVERY == UPLOAD_EVERY - 1) {
                                byte[] content = new byte[1 + bytes.nextInt(256 * 1024)];
                                bytes.nextBytes(content);
                                Response created = upload(api, session, project, "c" + cycle + "w" + writer + "i" + i,
                                        content);
                                if (created.status() == 201) {
                                    acknowledgedUploads.put(created.json().get("id").asString(),
                                            new Upload(sha256(content), content.length));
                                    uploadsThisCycle.incrementAndGet();
                                }
                            } else {
                                String content = content(cycle, writer, i);
                                Response created = api.post("/api/v1/conversations/" + conversation + "/messages",
                                        session, Api.object("role", "user", "content", content));
                                if (created.status() == 201) {
                                    acknowledgedMessages.put(created.json().get("id").asString(), content);
                                    messagesThisCycle.incrementAndGet();
                                }
                            }
                        } catch (RuntimeException connectionLost) {
                            return;
                        }
                    }
                });
            }
            // a random moment once every writer is under way: mid-append, mid-upload or in between
            while (messagesThisCycle.get() < WRITERS || uploadsThisCycle.get() < 2) {
                Thread.sleep(10);
            }
            phase("writers under way");
            Thread.sleep(random.nextInt(2_000));
            server.kill();
            stop.set(true);
            writers.shutdown();
            assertThat(writers.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
        }

        /** Checks the data against what was acknowledged; answers how many stored rows it looked at. */
        private int check(Api api, Session session, String project, String conversation) throws Exception {
            List<JsonNode> messages = all(api, session, "/api/v1/conversations/" + conversation + "/messages");
            List<Long> seqs = new ArrayList<>();
            Map<String, String> stored = new HashMap<>();
            for (JsonNode message : messages) {
                seqs.add(message.get("seq").asLong());
                String content = message.get("content").asString();
                assertThat(content).as("a stored message is a whole write").matches(
                        "cycle \\d+ writer \\d+ #\\d+ x{64} end");
                stored.put(message.get("id").asString(), content);
            }
            assertThat(stored).containsAllEntriesOf(acknowledgedMessages);
            assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
            assertThat(api.get("/api/v1/conversations/" + conversation, session).json().get("message_count").asLong())
                    .isEqualTo(seqs.size());

            List<JsonNode> files = all(api, session, "/api/v1/projects/" + project + "/files");
            Map<String, Upload> listed = new HashMap<>();
            for (JsonNode file : files) {
                String id = file.get("id").asString();
                Upload record = new Upload(file.get("sha256").asString(), file.get("size_bytes").asLong());
                Api.Bytes content = api.getBytes("/api/v1/files/" + id + "/content", session);
                assertThat(content.status()).as("the bytes of file " + id).isEqualTo(200);
                byte[] body = content.body();
                assertThat(new Upload(sha256(body), body.length)).as("the bytes of file " + id).isEqualTo(record);
                listed.put(id, record);
            }
            assertThat(listed).containsAllEntriesOf(acknowledgedUploads);
            return messages.size() + files.size();
        }

        private Set<String> blobsOnDisk() {
            try (Stream<Path> blobs = Files.find(dataDir.resolve("blobs"), 4, (path, attributes) ->
                    attributes.isRegularFile() && path.getFileName().toString().matches("[0-9a-f]{64}"))) {
                Set<String> names = new HashSet<>();
                blobs.forEach(path -> names.add(path.getFileName().toString()));
                return names;
            } catch (IOException e) {
                return Set.of();
            }
        }

        private long temporariesOnDisk() {
            long count = 0;
            for (Path dir : List.of(dataDir.resolve("tmp").resolve("uploads"), dataDir.resolve("blobs").resolve("tmp"))) {
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> files = Files.list(dir)) {
                        count += files.count();
                    } catch (IOException e) {
                        // vanished while listing: counts as empty
                    }
                }
            }
            return count;
        }
    }

    private static String content(int cycle, int writer, int i) {
        return "cycle " + cycle + " writer " + writer + " #" + i + " " + "x".repeat(64) + " end";
    }

    private static Response upload(Api api, Session session, String project, String name, byte[] content) {
        String boundary = "----crash" + name;
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\noutput\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + ".bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        return api.send("POST", "/api/v1/projects/" + project + "/files", session, body,
                Map.of("Content-Type", "multipart/form-data; boundary=" + boundary));
    }

    static List<JsonNode> all(Api api, Session session, String path) {
        List<JsonNode> items = new ArrayList<>();
        String after = null;
        do {
            Response page = api.get(path + "?limit=100" + (after == null ? "" : "&after=" + after), session);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().get("data").forEach(items::add);
            after = page.json().get("has_more").asBoolean() ? page.json().get("next_cursor").asString() : null;
        } while (after != null);
        return items;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
