package dev.parley.context;

import java.util.List;
import java.util.UUID;

/**
 * Where the context engine gets knowledge-base passages for a conversation that uses the
 * knowledge base. The knowledge-base module implements it as a bean; until then no passages
 * are found and {@code sources} is empty.
 */
public interface KnowledgePassages {

    KnowledgePassages NONE = (projectId, query, limit) -> List.of();

    /** The best passages of the project's knowledge base for {@code query}, best first. */
    List<Passage> find(UUID projectId, String query, int limit);

    /** A passage and where it comes from; listed in the context's {@code sources}. */
    record Passage(UUID chunkId, UUID fileId, String filename, int ordinal, String text, double score) {
    }
}
