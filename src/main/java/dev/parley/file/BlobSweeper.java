package dev.parley.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import dev.parley.config.ParleyProperties;
import dev.parley.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Garbage collection for the blob store, on a schedule and on demand. It removes blob rows
 * no record references (their records went with a deleted project or user) together with
 * their bytes; bytes on disk that have no blob row (a crash between an upload's rename and
 * its commit); and temporary uploads and multipart parts abandoned by a crash. Bytes and temporaries younger
 * than the grace period are left alone, since an upload may still be about to commit them.
 */
@Component
public class BlobSweeper {

    private static final Logger log = LoggerFactory.getLogger(BlobSweeper.class);
    private static final int BATCH = 100;

    private final FileRepository files;
    private final BlobStore blobs;
    private final BlobLocks locks;
    private final TransactionTemplate transaction;
    private final FilesProperties properties;
    private final Path uploads;

    BlobSweeper(FileRepository files, BlobStore blobs, BlobLocks locks, TransactionTemplate transaction,
                FilesProperties properties, ParleyProperties parley) {
        this.files = files;
        this.blobs = blobs;
        this.locks = locks;
        this.transaction = transaction;
        this.properties = properties;
        this.uploads = FileConfiguration.uploadLocation(parley);
    }

    /** What one sweep removed. */
    public record Report(int unreferencedBlobs, int strayBlobs, int temporaries) {
    }

    @Scheduled(initialDelayString = "${parley.files.sweep-initial-delay:5m}",
            fixedDelayString = "${parley.files.sweep-interval:1h}")
    void scheduled() {
        try {
            Report report = sweep(properties.sweepGrace());
            if (report.unreferencedBlobs() + report.strayBlobs() + report.temporaries() > 0) {
                log.info("blob sweep removed {} unreferenced blobs, {} stray blobs and {} temporary uploads",
                        report.unreferencedBlobs(), report.strayBlobs(), report.temporaries());
            }
        } catch (RuntimeException e) {
            log.warn("blob sweep failed: {}", e.toString());
        }
    }

    /** Sweeps now; bytes and temporaries younger than {@code grace} stay. */
    public Report sweep(Duration grace) {
        Instant cutoff = Instant.now().minus(grace);
        int unreferenced = 0;
        for (List<String> batch = files.unreferencedBlobs(BATCH); !batch.isEmpty();
             batch = files.unreferencedBlobs(BATCH)) {
            int before = unreferenced;
            for (String sha256 : batch) {
                if (removeUnreferenced(sha256)) {
                    unreferenced++;
                }
            }
            if (unreferenced == before) {
                break;
            }
        }
        try {
            int stray = 0;
            for (String sha256 : blobs.list(cutoff)) {
                if (removeStray(sha256)) {
                    stray++;
                }
            }
            return new Report(unreferenced, stray, blobs.deleteTemporaries(cutoff) + deleteStaleParts(cutoff));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Multipart parts the servlet container left in the upload directory when the process died. */
    private int deleteStaleParts(Instant cutoff) throws IOException {
        if (!Files.isDirectory(uploads)) {
            return 0;
        }
        int deleted = 0;
        try (Stream<Path> paths = Files.list(uploads)) {
            for (Path path : paths.toList()) {
                try {
                    if (Files.isRegularFile(path) && Files.getLastModifiedTime(path).toInstant().isBefore(cutoff)
                            && Files.deleteIfExists(path)) {
                        deleted++;
                    }
                } catch (NoSuchFileException e) {
                    // the container cleaned it up meanwhile
                }
            }
        }
        return deleted;
    }

    private boolean removeUnreferenced(String sha256) {
        ReentrantLock lock = locks.of(sha256);
        lock.lock();
        try {
            if (Boolean.TRUE.equals(transaction.execute(status -> files.deleteBlobIfUnreferenced(sha256)))) {
                blobs.delete(sha256);
                return true;
            }
            return false;
        } catch (IOException e) {
            // the row is gone, so the bytes are stray now: the next sweep takes them
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean removeStray(String sha256) {
        ReentrantLock lock = locks.of(sha256);
        lock.lock();
        try {
            return !files.blobExists(sha256) && blobs.delete(sha256);
        } catch (IOException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }
}
