package dev.parley.file;

import java.util.concurrent.locks.ReentrantLock;

import org.springframework.stereotype.Component;

/**
 * Striped locks by content hash. An upload holds its hash's lock from moving the bytes into
 * place until its record commits; a delete from its commit until the bytes are unlinked;
 * the sweep while it checks and removes. So on one instance, bytes are never unlinked
 * between an upload's "they are there" and its commit.
 */
@Component
class BlobLocks {

    private static final int STRIPES = 64;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    BlobLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    ReentrantLock of(String sha256) {
        return locks[Integer.parseInt(sha256.substring(0, 4), 16) % STRIPES];
    }
}
