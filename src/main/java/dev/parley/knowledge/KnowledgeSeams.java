package dev.parley.knowledge;

import java.util.List;
import java.util.UUID;

import dev.parley.context.KnowledgePassages;
import dev.parley.conversation.KnowledgeBaseStatus;
import dev.parley.file.FileDeleted;
import dev.parley.knowledge.KnowledgeRequests.Mode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * What the knowledge base gives the other modules: passages for the context engine, whether a
 * project's knowledge base is active for conversations, and the cleanup when a file goes.
 */
@Component
class KnowledgeSeams implements KnowledgePassages, KnowledgeBaseStatus {

    private static final Logger log = LoggerFactory.getLogger(KnowledgeSeams.class);

    private final KnowledgeService knowledge;

    KnowledgeSeams(KnowledgeService knowledge) {
        this.knowledge = knowledge;
    }

    /** Hybrid search of an active knowledge base; a failing search leaves the context without passages. */
    @Override
    public List<Passage> find(UUID projectId, String query, int limit) {
        return knowledge.active(projectId).map(kb -> {
            try {
                String q = query.length() > KnowledgeRequests.MAX_QUERY
                        ? query.substring(0, KnowledgeRequests.MAX_QUERY) : query;
                return knowledge.search(kb, q, Mode.HYBRID, List.of(), Math.min(limit, KnowledgeRequests.MAX_TOP_K),
                                false).stream()
                        .map(r -> new Passage(r.chunkId(), r.fileId(), r.filename(), r.ordinal(), r.text(), r.score()))
                        .toList();
            } catch (RuntimeException e) {
                log.warn("knowledge: no passages for the context of project {}: {}", projectId, e.getMessage());
                return List.<Passage>of();
            }
        }).orElse(List.of());
    }

    @Override
    public boolean isActive(UUID projectId) {
        return knowledge.isActive(projectId);
    }

    /** The database dropped the file's chunks by cascade; the index follows. */
    @EventListener
    void onFileDeleted(FileDeleted deleted) {
        knowledge.dropFromIndex(deleted.fileId());
    }
}
