package dev.parley.knowledge;

import java.time.Instant;
import java.util.UUID;

/** A file in a knowledge base and where its indexing stands. */
record KnowledgeFile(UUID fileId, String filename, String mediaType, long sizeBytes, IndexState state,
                     String error, int chunks, Instant addedAt, Instant indexedAt) {

    enum IndexState implements dev.parley.web.ApiEnum {
        PENDING, INDEXING, INDEXED, FAILED
    }
}
