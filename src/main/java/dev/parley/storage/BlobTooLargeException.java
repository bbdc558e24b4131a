package dev.parley.storage;

import java.io.IOException;

/** The bytes offered to {@link BlobStore#put} passed the limit; nothing was kept. */
public class BlobTooLargeException extends IOException {

    private final long maxBytes;

    public BlobTooLargeException(long maxBytes) {
        super("more than " + maxBytes + " bytes");
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
