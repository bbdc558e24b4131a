package dev.parley.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import dev.parley.config.ParleyProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;

/**
 * The blob store in the data directory: {@code blobs/ab/cd/<sha256>}, with uploads written
 * first to {@code blobs/tmp}. A blob is fsynced before it is renamed (atomically) to its
 * address and the directory is fsynced after, so once {@link #commit} returns the bytes
 * survive a crash or power loss. Since a name is the hash of the content, an existing file
 * under that name already holds the same bytes and a second copy is simply dropped.
 */
@Component
public class FileSystemBlobStore implements BlobStore {

    /** Enough of the start of a file for magic-number detection. */
    static final int HEAD_BYTES = 64 * 1024;
    private static final int BUFFER = 128 * 1024;

    private final Path root;
    private final Path tmp;

    @Autowired
    public FileSystemBlobStore(ParleyProperties properties) {
        this(properties.dataDir().toAbsolutePath().resolve("blobs"));
    }

    FileSystemBlobStore(Path root) {
        this.root = root;
        this.tmp = root.resolve("tmp");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the blob directory " + tmp, e);
        }
    }

    /** Where the blobs live, for tests and operators. */
    public Path root() {
        return root;
    }

    @Override
    public StoredBlob put(InputStream in, long maxBytes) throws IOException {
        MessageDigest digest = sha256();
        Path temp = Files.createTempFile(tmp, "upload-", ".part");
        boolean kept = false;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[BUFFER];
            byte[] head = new byte[HEAD_BYTES];
            int headLength = 0;
            long size = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                size += n;
                if (size > maxBytes) {
                    throw new BlobTooLargeException(maxBytes);
                }
                if (headLength < HEAD_BYTES) {
                    int copy = Math.min(n, HEAD_BYTES - headLength);
                    System.arraycopy(buffer, 0, head, headLength, copy);
                    headLength += copy;
                }
                digest.update(buffer, 0, n);
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
            }
            out.force(true);
            kept = true;
            return new StoredBlob(HexFormat.of().formatHex(digest.digest()), size, Arrays.copyOf(head, headLength),
                    temp.getFileName().toString());
        } finally {
            if (!kept) {
                Files.deleteIfExists(temp);
            }
        }
    }

    @Override
    public void commit(StoredBlob blob) throws IOException {
        Path temp = temp(blob);
        Path target = path(blob.sha256());
        Path directory = target.getParent();
        Files.createDirectories(directory);
        if (Files.exists(target)) {
            Files.deleteIfExists(temp);
            touch(target);
            return;
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            // a concurrent upload of the same bytes got there first
            Files.deleteIfExists(temp);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the blob directory must be on one file system", e);
        }
        // the move keeps the upload's start time; the sweep's grace period counts from now
        touch(target);
        fsyncDirectory(directory);
        fsyncDirectory(directory.getParent());
        fsyncDirectory(root);
    }

    @Override
    public void discard(StoredBlob blob) {
        try {
            Files.deleteIfExists(temp(blob));
        } catch (IOException e) {
            // the sweep removes stale temporaries
        }
    }

    @Override
    public Resource open(String sha256) throws IOException {
        Path path = path(sha256);
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(sha256);
        }
        return new FileSystemResource(path);
    }

    @Override
    public boolean exists(String sha256) {
        return Files.isRegularFile(path(sha256));
    }

    @Override
    public boolean delete(String sha256) throws IOException {
        Path path = path(sha256);
        boolean deleted = Files.deleteIfExists(path);
        if (deleted) {
            fsyncDirectory(path.getParent());
        }
        return deleted;
    }

    @Override
    public List<String> list(Instant before) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> paths = Files.find(root, 3, (path, attributes) -> attributes.isRegularFile()
                && !path.startsWith(tmp) && BlobStore.isAddress(path.getFileName().toString())
                && attributes.lastModifiedTime().toInstant().isBefore(before))) {
            paths.forEach(path -> found.add(path.getFileName().toString()));
        }
        return found;
    }

    @Override
    public int deleteTemporaries(Instant before) throws IOException {
        int deleted = 0;
        try (Stream<Path> paths = Files.list(tmp)) {
            for (Path path : paths.toList()) {
                try {
                    if (Files.getLastModifiedTime(path).toInstant().isBefore(before) && Files.deleteIfExists(path)) {
                        deleted++;
                    }
                } catch (NoSuchFileException e) {
                    // gone meanwhile
                }
            }
        }
        return deleted;
    }

    @Override
    public boolean healthy() {
        return Files.isDirectory(tmp) && Files.isWritable(tmp);
    }

    /** The path of a blob: two levels of fan-out so no directory grows too large. */
    public Path path(String sha256) {
        if (!BlobStore.isAddress(sha256)) {
            throw new IllegalArgumentException("not a blob address");
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    private Path temp(StoredBlob blob) {
        String name = blob.tempRef();
        if (name.contains("/") || name.contains("\\") || !name.startsWith("upload-")) {
            throw new IllegalArgumentException("not a temporary blob of this store");
        }
        return tmp.resolve(name);
    }

    private static void touch(Path path) throws IOException {
        Files.setLastModifiedTime(path, FileTime.from(Instant.now()));
    }

    /** Makes a rename or delete in the directory durable; not possible on every platform. */
    private static void fsyncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory; its file system journals renames itself
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
