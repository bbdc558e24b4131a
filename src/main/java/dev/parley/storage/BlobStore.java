package dev.parley.storage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

import org.springframework.core.io.Resource;

/**
 * Content-addressed storage for file bytes: a blob's name is the SHA-256 of its bytes, so
 * identical uploads are stored once. Writing is two steps so that callers can order them
 * against their database transaction: {@link #put} streams the bytes to a private temporary
 * place (hashing and counting them, never holding them in memory), {@link #commit} makes them
 * durable under their address. Bytes that end up stored but referenced by nothing are found
 * again by {@link #list} and removed by {@link #delete}.
 *
 * <p>The one implementation today is {@link FileSystemBlobStore}; an S3 store would upload in
 * {@code put} (multipart, to a temporary key), copy in {@code commit} and list by prefix.
 */
public interface BlobStore {

    /**
     * Streams {@code in} to a temporary place while computing its SHA-256 and size.
     *
     * @throws BlobTooLargeException as soon as more than {@code maxBytes} bytes were read;
     *                               nothing is left behind
     */
    StoredBlob put(InputStream in, long maxBytes) throws IOException;

    /**
     * Makes a blob written by {@link #put} durable at its content address (a no-op for the
     * bytes when identical bytes are already there) and releases its temporary copy.
     */
    void commit(StoredBlob blob) throws IOException;

    /** Drops the temporary copy of a blob that will not be committed; harmless after commit. */
    void discard(StoredBlob blob);

    /** The stored bytes, readable any number of times, with a known length. */
    Resource open(String sha256) throws IOException;

    boolean exists(String sha256);

    /** Removes the stored bytes; true when there were some. */
    boolean delete(String sha256) throws IOException;

    /** Every stored blob last written before {@code before}, for the sweep of unreferenced ones. */
    List<String> list(Instant before) throws IOException;

    /** Removes temporary copies older than {@code before} (left by a crash mid-upload); how many. */
    int deleteTemporaries(Instant before) throws IOException;

    /** Whether the store can be written to, for the health check. */
    boolean healthy();

    /** A blob's address: 64 lower-case hex digits. */
    static boolean isAddress(String sha256) {
        return sha256 != null && sha256.length() == 64 && sha256.chars().allMatch(
                c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
}
