package dev.parley.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message the server acknowledged survives {@code kill -9} of the server: SQLite in WAL mode
 * with {@code synchronous=FULL} has it on disk before the answer leaves. Eight writers append
 * to one conversation; after each kill and restart every acknowledged message is there, the
 * sequence numbers run 1..n without a gap and the conversation's counter agrees.
 */
class CrashRecoveryTest {

    private static final int WRITERS = 8;
    /** One cycle in the everyday suite; the reliability profile runs more (-Dparley.crash.cycles=5). */
    private static final int CYCLES = Integer.getInteger("parley.crash.cycles", 1);

    @TempDir
    Path dataDir;

    @Test
    void acknowledgedWritesSurviveAKillDashNine() throws Exception {
        Files.createDirectories(dataDir);
        Set<String> acknowledged = new HashSet<>();
        String username = "crash";
        String password = "crash test password";

        ServerProcess server = ServerProcess.start(dataDir, Map.of());
        Api api = new Api(server.port());
        Session session = api.register(username, password);
        String conversation = api.post("/api/v1/conversations", session, Api.object("title", "crash"))
                .json().get("id").asString();
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            acknowledged.addAll(writeUntilKilled(api, session, server, conversation, cycle));
            server = ServerProcess.start(dataDir, Map.of());
            api = new Api(server.port());
            session = api.login(username, password);

            List<Long> seqs = new ArrayList<>();
            Set<String> stored = new HashSet<>();
            allMessages(api, session, conversation).forEach(message -> {
                seqs.add(message.get("seq").asLong());
                stored.add(message.get("id").asString());
            });
            assertThat(stored).containsAll(acknowledged);
            assertThat(seqs).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, seqs.size())
                    .boxed().toList());
            assertThat(api.get("/api/v1/conversations/" + conversation, session).json().get("message_count").asLong())
                    .isEqualTo(seqs.size());
        }
        server.close();
        assertThat(acknowledged).hasSizeGreaterThan(WRITERS);
    }

    private static List<String> writeUntilKilled(Api api, Session session, ServerProcess server, String conversation,
                                                 int cycle)
            throws Exception {
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.submit(() -> {
                for (int i = 0; !stop.get() && i < 10_000; i++) {
                    try {
                        Response created = api.post("/api/v1/conversations/" + conversation + "/messages", session,
                                Api.object("role", "user", "content", "cycle " + cycle + " writer " + writer + " #" + i));
                        if (created.status() == 201) {
                            acknowledged.add(created.json().get("id").asString());
                        }
                    } catch (RuntimeException connectionLost) {
                        return;
                    }
                }
            });
        }
        while (acknowledged.size() < 5 * WRITERS) {
            Thread.sleep(20);
        }
        server.kill();
        stop.set(true);
        writers.shutdown();
        assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        return new ArrayList<>(acknowledged);
    }

    private static List<tools.jackson.databind.JsonNode> allMessages(Api api, Session session, String conversation) {
        List<tools.jackson.databind.JsonNode> messages = new ArrayList<>();
        String after = null;
        do {
            Response page = api.get("/api/v1/conversations/" + conversation + "/messages?limit=100"
                    + (after == null ? "" : "&after=" + after), session);
            assertThat(page.status()).isEqualTo(200);
            page.json().get("data").forEach(messages::add);
            after = page.json().get("has_more").asBoolean() ? page.json().get("next_cursor").asString() : null;
        } while (after != null);
        return messages;
    }
}
