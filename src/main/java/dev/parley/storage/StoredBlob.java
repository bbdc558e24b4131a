package dev.parley.storage;

/**
 * Bytes written by {@link BlobStore#put}, not yet committed.
 *
 * @param sha256  the hex SHA-256 of the bytes: their address once committed
 * @param size    how many bytes
 * @param head    the first bytes (up to a few KiB), for detecting the media type
 * @param tempRef where the store keeps the temporary copy; opaque to callers
 */
public record StoredBlob(String sha256, long size, byte[] head, String tempRef) {
}
