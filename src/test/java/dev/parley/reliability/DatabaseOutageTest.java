package dev.parley.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;

import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ServerProcess;
import dev.parley.support.ThrowawayPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL goes away under load and comes back. The database is a throwaway instance of
 * the test's own ({@link ThrowawayPostgres}); the server is a separate process. Writers
 * append to a conversation, a reader lists it and a prober asks for health the whole time;
 * the database is stopped ({@code immediate} — as a crash — then {@code fast} in the next
 * cycle), kept down a while, and started again. While it is down every answer is a 503
 * problem document with code {@code service_unavailable}; every request, down or up,
 * answers within {@link #BOUND}; health keeps answering; after the start the server serves
 * appends again by itself; every append that got a 201 is there at the end, {@code seq}
 * gap-free. The server's own log, with request lines on, holds no password or token.
 *
 * <p>Two cycles in the everyday suite; {@code -Dparley.outage.cycles=N} sets more (the
 * {@code reliability} profile runs four).
 */
class DatabaseOutageTest {

    private static final int CYCLES = Integer.getInteger("parley.outage.cycles", 2);
    private static final Duration DOWN = Duration.ofSeconds(Integer.getInteger("parley.outage.down-seconds", 8));
    /** No request may take longer than this, whatever the database does. */
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final int WRITERS = 6;
    private static final String PASSWORD = "outage test password";
    private static final String DB_PASSWORD = "db-secret-" + Long.toHexString(System.nanoTime());

    @TempDir
    Path dataDir;

    /** One request as the client saw it; status -1 when it got no answer within the client timeout. */
    record Call(String what, long startNanos, long endNanos, int status, String contentType, String code) {
        Duration took() {
            return Duration.ofNanos(endNanos - startNanos);
        }
    }

    @Test
    void whileTheDatabaseIsDownEveryAnswerIsAQuick503AndTheServerRecoversByItself() throws Exception {
        ThrowawayPostgres.assumeInstalled();
        try (ThrowawayPostgres postgres = ThrowawayPostgres.start();
             ServerProcess server = ServerProcess.start(dataDir, Map.of(
                     "spring.datasource.url", postgres.jdbcUrl(),
                     "spring.datasource.username", "postgres",
                     "spring.datasource.password", DB_PASSWORD,
                     "logging.level.dev.parley.requests", "info"))) {
            // the client waits longer than the bound, so a slow answer is seen as slow, not cut off
            Api api = new Api(server.port(), BOUND.plusSeconds(5));
            Session session = api.register("outage", PASSWORD);
            String conversation = Fixture.id(api.post("/api/v1/conversations", session,
                    Api.object("title", "outage")));
            String messages = "/api/v1/conversations/" + conversation + "/messages";

            Map<String, String> acknowledged = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Long> acknowledgedAt = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService load = Executors.newFixedThreadPool(WRITERS + 2);
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                load.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String content = "writer " + writer + " #" + i;
                        Call call = call(calls, "append", () -> api.post(messages, session,
                                Api.object("role", "user", "content", content)));
                        if (call.status() == 201) {
                            acknowledgedAt.add(call.endNanos());
                        }
                        if (call.status() == 201 && call.code() != null) {
                            acknowledged.put(call.code(), content);
                        }
                        pause(call);
                    }
                });
            }
            load.submit(() -> {
                while (!stop.get()) {
                    pause(call(calls, "list", () -> api.get(messages + "?limit=20", session)));
                }
            });
            load.submit(() -> {
                while (!stop.get()) {
                    call(calls, "health", () -> api.get("/api/v1/health", null));
                    sleep(200);
                }
            });

            List<long[]> downWindows = new ArrayList<>();
            List<Duration> recoveries = new ArrayList<>();
            sleep(2_000);
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                String mode = cycle % 2 == 0 ? "immediate" : "fast";
                postgres.stopServer(mode);
                long down = System.nanoTime();
                sleep(DOWN.toMillis());
                long up = System.nanoTime();
                postgres.startServer();
                long started = System.nanoTime();
                downWindows.add(new long[] {down, up});
                long deadline = started + Duration.ofSeconds(60).toNanos();
                Long firstAppend = null;
                while (firstAppend == null && System.nanoTime() < deadline) {
                    firstAppend = acknowledgedAt.stream().filter(t -> t > started).min(Long::compare).orElse(null);
                    sleep(20);
                }
                assertThat(firstAppend).as("an append succeeds within 60 s of the database's start (%s stop)", mode)
                        .isNotNull();
                Duration recovery = Duration.ofNanos(firstAppend - started);
                recoveries.add(recovery);
                System.out.printf("database outage cycle %d (%s stop, down %d s): first acknowledged append %d ms"
                        + " after the database was accepting connections again%n", cycle, mode, DOWN.toSeconds(),
                        recovery.toMillis());
                sleep(2_000);
            }
            stop.set(true);
            load.shutdown();
            assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            // kept for a look after a failure (the data directory is deleted)
            Files.copy(dataDir.resolve("server.log"), Path.of("target", "database-outage-server.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            // no answer took longer than the bound, none went unanswered, and no 5xx but 503
            for (Call call : calls) {
                assertThat(call.status()).as("%s answered", call).isNotEqualTo(-1);
                assertThat(call.took()).as("%s answered within %s", call, BOUND).isLessThanOrEqualTo(BOUND);
                if (call.status() >= 500) {
                    assertThat(call.status()).as(call.toString()).isEqualTo(503);
                }
            }
            // a request sent while the database was down got a 503 problem document
            int answeredWhileDown = 0;
            int healthWhileDown = 0;
            for (Call call : calls) {
                boolean inside = downWindows.stream().anyMatch(w -> call.startNanos() > w[0] && call.endNanos() < w[1]);
                if (!inside) {
                    continue;
                }
                answeredWhileDown++;
                healthWhileDown += call.what().equals("health") ? 1 : 0;
                assertThat(call.status()).as(call.toString()).isEqualTo(503);
                if (!call.what().equals("health")) {
                    assertThat(call.contentType()).as(call.toString()).startsWith("application/problem+json");
                    assertThat(call.code()).as(call.toString()).isEqualTo("service_unavailable");
                }
            }
            // health keeps answering (the pool and the request threads are not exhausted) in every outage
            for (long[] window : downWindows) {
                assertThat(calls.stream().filter(c -> c.what().equals("health") && c.status() > 0
                        && c.endNanos() > window[0] && c.endNanos() < window[1]).count())
                        .as("health answers while the database is down").isGreaterThanOrEqualTo(1);
            }
            assertThat(answeredWhileDown - healthWhileDown).as("API requests answered while down")
                    .isGreaterThanOrEqualTo(CYCLES);

            // every acknowledged append is there, seq 1..n without a gap
            List<JsonNode> stored = CrashRecoveryTest.all(api, session, messages);
            Map<String, String> byId = new java.util.HashMap<>();
            stored.forEach(m -> byId.put(m.get("id").asString(), m.get("content").asString()));
            assertThat(byId).containsAllEntriesOf(acknowledged);
            assertThat(stored.stream().map(m -> m.get("seq").asLong()).toList())
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, stored.size()).boxed().toList());
            long slowest = calls.stream().mapToLong(c -> c.took().toMillis()).max().orElse(0);
            System.out.printf("database outage: %d cycles, %d requests (%d while down, all 503 problem documents),"
                            + " slowest answer %d ms, %d acknowledged appends checked, recovery times %s%n",
                    CYCLES, calls.size(), answeredWhileDown, slowest, acknowledged.size(),
                    recoveries.stream().map(d -> d.toMillis() + " ms").toList());

            // the server's real log: request lines and the outage warnings, but no secret
            String log = Files.readString(dataDir.resolve("server.log"), StandardCharsets.UTF_8);
            assertThat(log).contains("POST " + messages).contains("database unavailable");
            for (String secret : Set.of(PASSWORD, DB_PASSWORD, session.accessToken(), session.refreshToken(),
                    session.accessToken().split("\\.")[2])) {
                assertThat(log).as("the server log must not contain a password or token").doesNotContain(secret);
            }
        }
    }

    private interface Request {
        Response send();
    }

    /** Sends, timing it; a 201's {@code code} slot carries the new id instead. */
    private static Call call(ConcurrentLinkedQueue<Call> calls, String what, Request request) {
        long start = System.nanoTime();
        Call call;
        try {
            Response response = request.send();
            String code = response.status() == 201 ? response.json().get("id").asString()
                    : response.status() >= 400 ? response.code() : null;
            call = new Call(what, start, System.nanoTime(), response.status(), response.header("Content-Type"), code);
        } catch (RuntimeException noAnswer) {
            call = new Call(what, start, System.nanoTime(), -1, null, noAnswer.toString());
        }
        calls.add(call);
        return call;
    }

    /** A failed request is not retried in a tight loop (a real client backs off too). */
    private static void pause(Call call) {
        if (call.status() != 201 && call.status() != 200) {
            sleep(100);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
