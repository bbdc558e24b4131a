package dev.parley.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.parley.support.Api;
import dev.parley.support.Api.Session;
import dev.parley.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A file larger than the server's whole heap goes up and comes back intact: the server runs
 * as a separate process with {@code -Xmx128m} and gets a {@value #DEFAULT_MIB} MiB upload
 * (change with {@code -Dparley.large-file.mib=N}; 300 is the figure, the default keeps the
 * everyday suite quick while still exceeding the heap). Neither side holds the file in memory: the
 * client generates and hashes it while sending, and hashes the download while receiving.
 * Prints the upload and download throughput (MiB/s) it saw.
 */
class LargeFileStreamingTest {

    static final int DEFAULT_MIB = 160;
    private static final int MIB = Integer.getInteger("parley.large-file.mib", DEFAULT_MIB);

    @TempDir
    Path dataDir;

    @Test
    void aFileLargerThanTheServersHeapStreamsUpAndDownIntact() throws Exception {
        long size = (long) MIB * 1024 * 1024;
        try (ServerProcess server = ServerProcess.start(dataDir, Map.of("parley.files.max-size", (MIB + 1) + "MB"),
                List.of("-Xmx128m"))) {
            Api api = new Api(server.port());
            Session session = api.register("streamer", "streaming password");
            String project = api.post("/api/v1/projects", session, Api.object("name", "big")).json()
                    .get("id").asString();
            HttpClient client = HttpClient.newHttpClient();

            String boundary = "----parleylarge";
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\noutput\r\n"
                    + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
            Generated content = new Generated(size, 42);
            HttpRequest upload = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                            + "/api/v1/projects/" + project + "/files"))
                    .timeout(Duration.ofMinutes(10))
                    .header("Authorization", "Bearer " + session.accessToken())
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() ->
                            new SequenceInputStream(new SequenceInputStream(
                                    new java.io.ByteArrayInputStream(head), content),
                                    new java.io.ByteArrayInputStream(tail))),
                            head.length + size + tail.length))
                    .build();
            long start = System.nanoTime();
            HttpResponse<String> uploaded = client.send(upload, HttpResponse.BodyHandlers.ofString());
            double uploadSeconds = (System.nanoTime() - start) / 1e9;
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
            JsonNode file = Api.JSON.readTree(uploaded.body());
            String expected = content.sha256();
            assertThat(file.get("size_bytes").asLong()).isEqualTo(size);
            assertThat(file.get("sha256").asString()).isEqualTo(expected);

            start = System.nanoTime();
            HttpResponse<InputStream> download = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + server.port() + "/api/v1/files/" + file.get("id").asString() + "/content"))
                    .timeout(Duration.ofMinutes(10))
                    .header("Authorization", "Bearer " + session.accessToken()).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.headers().firstValueAsLong("Content-Length").orElse(-1)).isEqualTo(size);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long received = 0;
            try (InputStream in = download.body()) {
                byte[] buffer = new byte[256 * 1024];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                    received += n;
                }
            }
            double downloadSeconds = (System.nanoTime() - start) / 1e9;
            assertThat(received).isEqualTo(size);
            assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(expected);
            assertThat(Files.readString(dataDir.resolve("server.log"))).doesNotContain("OutOfMemoryError");
            System.out.printf("large file %d MiB with -Xmx128m: upload %.1f MiB/s (%.1f s), download %.1f MiB/s "
                    + "(%.1f s)%n", MIB, MIB / uploadSeconds, uploadSeconds, MIB / downloadSeconds, downloadSeconds);
        }
    }

    /** Deterministic pseudo-random bytes, made and hashed as they are read. */
    private static final class Generated extends InputStream {
        private final long size;
        private final SplittableRandom random;
        private final MessageDigest digest;
        private long position;

        Generated(long size, long seed) throws Exception {
            this.size = size;
            this.random = new SplittableRandom(seed);
            this.digest = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            for (int i = 0; i < n; i += 8) {
                long value = random.nextLong();
                for (int j = 0; j < 8 && i + j < n; j++) {
                    buffer[offset + i + j] = (byte) (value >>> (8 * j));
                }
            }
            digest.update(buffer, offset, n);
            position += n;
            return n;
        }

        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
