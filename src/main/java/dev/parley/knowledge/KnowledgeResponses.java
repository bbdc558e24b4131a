package dev.parley.knowledge;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the knowledge-base routes answer. */
final class KnowledgeResponses {

    private KnowledgeResponses() {
    }

    /**
     * The knowledge base with where its indexing stands. {@code status}: {@code empty} (no
     * files), {@code indexing} (some files wait or are being indexed), {@code ready} (every
     * file indexed), {@code partial} (done, some files failed), {@code failed} (every file failed).
     */
    record KnowledgeBaseResponse(UUID id, UUID projectId, String name, String description, String embeddingModel,
                                 int chunkSize, int chunkOverlap, boolean isActive, Instant createdAt,
                                 Instant updatedAt, String status, int filesTotal, int filesPending,
                                 int filesIndexed, int filesFailed, long chunks, Instant lastIndexedAt) {

        static KnowledgeBaseResponse of(KnowledgeBase kb, KnowledgeRepository.Status s) {
            int waiting = s.filesPending() + s.filesIndexing();
            String status = s.filesTotal() == 0 ? "empty"
                    : waiting > 0 ? "indexing"
                    : s.filesFailed() == 0 ? "ready"
                    : s.filesIndexed() == 0 ? "failed"
                    : "partial";
            return new KnowledgeBaseResponse(kb.id(), kb.projectId(), kb.name(), kb.description(), kb.embeddingModel(),
                    kb.chunkSize(), kb.chunkOverlap(), kb.isActive(), kb.createdAt(), kb.updatedAt(), status,
                    s.filesTotal(), waiting, s.filesIndexed(), s.filesFailed(), s.chunks(), s.lastIndexedAt());
        }
    }

    record SearchResult(UUID chunkId, UUID fileId, String filename, int ordinal, String text, double score) {
    }

    record SearchResponse(List<SearchResult> results) {
    }
}
