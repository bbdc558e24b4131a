package dev.parley.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import dev.parley.config.ParleyProperties;
import dev.parley.storage.BlobTooLargeException;
import dev.parley.storage.FileSystemBlobStore;
import dev.parley.support.Api;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** Uploads at and past {@code parley.files.max-size}, in a context with a small limit. */
@TestPropertySource(properties = "parley.files.max-size=64KB")
abstract class FileLimitApiTests extends ApiTest {

    static final int LIMIT = 64 * 1024;

    @Autowired
    FileSystemBlobStore store;

    @Autowired
    ParleyProperties parley;

    @Test
    void anUploadAtTheLimitIsStoredAndOneByteMoreIsRefusedLeavingNothingBehind() throws Exception {
        Session owner = api.newUser("limit");
        String project = api.post("/api/v1/projects", owner, Api.object("name", "limits")).json().get("id").asString();
        Uploads uploads = new Uploads(port);
        String path = "/api/v1/projects/" + project + "/files";

        byte[] atLimit = FileApiTests.randomBytes(LIMIT, 10);
        assertThat(uploads.upload(path, owner, Uploads.form().field("purpose", "input").file("ok.bin", null, atLimit))
                .status()).isEqualTo(201);

        byte[] over = FileApiTests.randomBytes(LIMIT + 1, 11);
        Api.Response refused = uploads.upload(path, owner,
                Uploads.form().field("purpose", "input").file("big.bin", null, over));
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.code()).isEqualTo("payload_too_large");
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");

        Api.Response library = uploads.upload("/api/v1/files", owner, Uploads.form().file("big.bin", null, over));
        assertThat(library.status()).isEqualTo(413);

        assertThat(store.exists(FileApiTests.sha256(over))).isFalse();
        assertThat(files(store.root().resolve("tmp"))).isZero();
        assertThat(files(parley.dataDir().toAbsolutePath().resolve("tmp").resolve("uploads"))).isZero();
        assertThat(api.get(path, owner).json().get("data")).hasSize(1);
    }

    @Test
    void theBlobStoreStopsReadingPastTheLimitAndKeepsNothing() throws Exception {
        byte[] over = FileApiTests.randomBytes(1001, 12);
        long before = files(store.root().resolve("tmp"));
        try {
            store.put(new ByteArrayInputStream(over), 1000);
            throw new AssertionError("expected the limit to stop the write");
        } catch (BlobTooLargeException e) {
            assertThat(e.maxBytes()).isEqualTo(1000);
        }
        assertThat(files(store.root().resolve("tmp"))).isEqualTo(before);
        var accepted = store.put(new ByteArrayInputStream(over), 1001);
        assertThat(accepted.size()).isEqualTo(1001);
        store.discard(accepted);
        assertThat(files(store.root().resolve("tmp"))).isEqualTo(before);
    }

    private static long files(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> paths = Files.list(directory)) {
            return paths.count();
        }
    }

    @OnSqlite
    static class OnSqliteTest extends FileLimitApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends FileLimitApiTests {
    }
}
