package dev.parley.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import dev.parley.support.Api;
import dev.parley.support.Api.Session;
import dev.parley.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a server process in the middle of an upload: the uploads it acknowledged
 * come back byte for byte after a restart (record and bytes were both durable before the
 * answer), and the one cut off leaves no record, and nothing on disk once the restarted
 * server's sweep has run.
 */
class UploadCrashTest {

    @TempDir
    Path dataDir;

    @Test
    void acknowledgedUploadsSurviveAKillAndTheInterruptedOneLeavesNothing() throws Exception {
        Map<String, byte[]> acknowledged = new LinkedHashMap<>();
        String project;
        ServerProcess server = ServerProcess.start(dataDir, Map.of());
        CountDownLatch never = new CountDownLatch(1);
        try {
            Api api = new Api(server.port());
            Session session = api.register("crasher", "crash test password");
            project = api.post("/api/v1/projects", session, Api.object("name", "crash")).json().get("id").asString();
            Uploads uploads = new Uploads(server.port());
            for (int i = 0; i < 3; i++) {
                byte[] bytes = FileApiTests.randomBytes(100_000 + i, 100 + i);
                Api.Response created = uploads.upload("/api/v1/projects/" + project + "/files", session,
                        Uploads.form().field("purpose", "output").file("f" + i + ".bin", null, bytes));
                assertThat(created.status()).isEqualTo(201);
                acknowledged.put(created.json().get("id").asString(), bytes);
            }

            // an upload whose body stops half way, and stays open until the server dies
            String boundary = "----parleycrash";
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\ninput\r\n--"
                    + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.bin\"\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            InputStream body = new SequenceInputStream(new ByteArrayInputStream(head),
                    new SequenceInputStream(new ByteArrayInputStream(FileApiTests.randomBytes(512 * 1024, 7)),
                            new InputStream() {
                                @Override
                                public int read() throws IOException {
                                    try {
                                        never.await();
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                    throw new IOException("cut off");
                                }
                            }));
            HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                                    + "/api/v1/projects/" + project + "/files"))
                            .header("Authorization", "Bearer " + session.accessToken())
                            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                            .POST(HttpRequest.BodyPublishers.fromPublisher(
                                    HttpRequest.BodyPublishers.ofInputStream(() -> body), 10L * 1024 * 1024))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            Path parts = dataDir.resolve("tmp").resolve("uploads");
            awaitTrue(() -> size(parts) > 0, "the server to start writing the upload");
        } finally {
            server.kill();
            never.countDown();
        }

        // the restarted server sweeps at once, with no grace period
        try (ServerProcess restarted = ServerProcess.start(dataDir, Map.of("parley.files.sweep-grace", "0s",
                "parley.files.sweep-initial-delay", "0s"))) {
            Api api = new Api(restarted.port());
            Session session = api.login("crasher", "crash test password");
            Uploads uploads = new Uploads(restarted.port());
            var files = api.get("/api/v1/projects/" + project + "/files", session).json().get("data");
            assertThat(files).hasSize(3);
            for (Map.Entry<String, byte[]> entry : acknowledged.entrySet()) {
                assertThat(uploads.download("/api/v1/files/" + entry.getKey() + "/content", session, Map.of()).body())
                        .isEqualTo(entry.getValue());
            }
            awaitTrue(() -> size(dataDir.resolve("tmp").resolve("uploads")) < 0
                    && size(dataDir.resolve("blobs").resolve("tmp")) < 0, "the sweep to clear the temporaries");
            try (Stream<Path> blobs = Files.find(dataDir.resolve("blobs"), 3, (path, attributes) ->
                    attributes.isRegularFile() && path.getFileName().toString().length() == 64)) {
                assertThat(blobs.toList()).hasSize(3);
            }
        }
    }

    /** How many bytes the files in a directory hold, or -1 when it holds none. */
    private static long size(Path directory) {
        if (!Files.isDirectory(directory)) {
            return -1;
        }
        try (Stream<Path> paths = Files.list(directory)) {
            List<Path> files = paths.toList();
            long bytes = 0;
            for (Path path : files) {
                bytes += Files.exists(path) ? Files.size(path) : 0;
            }
            return files.isEmpty() ? -1 : bytes;
        } catch (IOException e) {
            return -1;
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
