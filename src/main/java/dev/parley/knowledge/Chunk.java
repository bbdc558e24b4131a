package dev.parley.knowledge;

import java.util.UUID;

/** A chunk of a file's text with where it sits in that text and its embedding. */
record Chunk(UUID id, UUID knowledgeBaseId, UUID projectId, UUID fileId, int ordinal, String text, int startOffset,
             int endOffset, int tokenCount, String embeddingModel, float[] embedding) {
}
