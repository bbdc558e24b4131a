package dev.parley.knowledge;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.parley.file.FileService;
import dev.parley.file.StoredFile;
import dev.parley.knowledge.KnowledgeIndex.Hit;
import dev.parley.knowledge.KnowledgeRequests.Mode;
import dev.parley.knowledge.KnowledgeResponses.KnowledgeBaseResponse;
import dev.parley.knowledge.KnowledgeResponses.SearchResult;
import dev.parley.project.ProjectRole;
import dev.parley.project.ProjectService;
import dev.parley.web.ApiException;
import dev.parley.web.Caller;
import dev.parley.web.Cursor;
import dev.parley.web.ErrorCode;
import dev.parley.web.Ids;
import dev.parley.web.NotFoundException;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import dev.parley.web.TextRules;
import dev.parley.web.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The knowledge-base module's API. Viewers read the knowledge base and search it; editors add
 * and remove files and reindex; owners create it and change its settings, like the project's
 * other settings.
 */
@Service
public class KnowledgeService {

    private static final Logger log = LoggerFactory.getLogger(KnowledgeService.class);
    static final String DEFAULT_NAME = "Knowledge base";
    /** Candidates each mode contributes to the fusion: deep enough that a good second-mode hit counts. */
    private static final int FUSION_DEPTH = 50;

    private final KnowledgeRepository repository;
    private final KnowledgeIndex index;
    private final Indexer indexer;
    private final Embeddings embeddings;
    private final ProjectService projects;
    private final FileService files;
    private final TransactionTemplate transaction;
    private final KnowledgeProperties properties;

    KnowledgeService(KnowledgeRepository repository, KnowledgeIndex index, Indexer indexer, Embeddings embeddings,
                     ProjectService projects, FileService files, TransactionTemplate transaction,
                     KnowledgeProperties properties) {
        this.repository = repository;
        this.index = index;
        this.indexer = indexer;
        this.embeddings = embeddings;
        this.projects = projects;
        this.files = files;
        this.transaction = transaction;
        this.properties = properties;
    }

    record PutResult(KnowledgeBaseResponse knowledgeBase, boolean created) {
    }

    PutResult put(Caller caller, UUID projectId, KnowledgeRequests.Put request) {
        projects.require(caller, projectId, ProjectRole.OWNER);
        checkText("name", request.name());
        checkText("description", request.description());
        if (request.name() != null && request.name().isBlank()) {
            throw new ValidationException("name", "must not be blank");
        }
        if (request.embeddingModel() != null) {
            checkText("embedding_model", request.embeddingModel());
            embeddings.checkModel("embedding_model", request.embeddingModel());
        }
        Instant now = Ids.now();
        boolean[] created = {false};
        boolean[] reindex = {false};
        KnowledgeBase saved = transaction.execute(s -> {
            Optional<KnowledgeBase> current = repository.findByProject(projectId);
            int size = request.chunkSize() != null ? request.chunkSize()
                    : current.map(KnowledgeBase::chunkSize).orElse(properties.chunkSize());
            int overlap = request.chunkOverlap() != null ? request.chunkOverlap()
                    : current.map(KnowledgeBase::chunkOverlap).orElse(Math.min(properties.chunkOverlap(), size / 2));
            if (overlap >= size) {
                throw new ValidationException(request.chunkOverlap() != null ? "chunk_overlap" : "chunk_size",
                        "chunk_overlap must be smaller than chunk_size (" + overlap + " ≥ " + size + ")");
            }
            if (current.isEmpty()) {
                KnowledgeBase kb = new KnowledgeBase(Ids.newId(), projectId,
                        request.name() != null ? request.name().strip() : DEFAULT_NAME, request.description(),
                        request.embeddingModel() != null ? request.embeddingModel() : embeddings.defaultModel(), size,
                        overlap, request.isActive() == null || request.isActive(), now, now);
                repository.insert(kb);
                created[0] = true;
                return kb;
            }
            KnowledgeBase old = current.get();
            KnowledgeBase kb = new KnowledgeBase(old.id(), projectId,
                    request.name() != null ? request.name().strip() : old.name(),
                    request.description() != null ? request.description() : old.description(),
                    request.embeddingModel() != null ? request.embeddingModel() : old.embeddingModel(), size, overlap,
                    request.isActive() != null ? request.isActive() : old.isActive(), old.createdAt(), now);
            repository.update(kb);
            // chunks cut or embedded another way no longer fit the settings: do every file again
            if (!kb.embeddingModel().equals(old.embeddingModel()) || kb.chunkSize() != old.chunkSize()
                    || kb.chunkOverlap() != old.chunkOverlap()) {
                enqueueAll(kb, now);
                reindex[0] = true;
            }
            return kb;
        });
        if (reindex[0]) {
            indexer.wake();
        }
        return new PutResult(response(saved), created[0]);
    }

    KnowledgeBaseResponse get(Caller caller, UUID projectId) {
        projects.require(caller, projectId, ProjectRole.VIEWER);
        return response(require(projectId));
    }

    record Added(KnowledgeFile file, boolean added) {
    }

    Added addFile(Caller caller, UUID projectId, UUID fileId) {
        projects.require(caller, projectId, ProjectRole.EDITOR);
        KnowledgeBase kb = require(projectId);
        StoredFile file = files.get(caller, fileId);
        if (!projectId.equals(file.projectId())) {
            throw new ValidationException("file_id", "must be a file of this project (upload it to the project first)");
        }
        if (file.external()) {
            throw new ValidationException("file_id", "is an external file (" + file.externalLocation()
                    + "): its bytes are not in Parley, so it cannot be indexed (upload them to the project first)");
        }
        Instant now = Ids.now();
        Boolean added = transaction.execute(s -> {
            boolean fresh = repository.addFile(kb.id(), projectId, fileId, now);
            if (fresh) {
                repository.enqueue(Ids.newId(), kb.id(), projectId, fileId, now);
            }
            return fresh;
        });
        if (Boolean.TRUE.equals(added)) {
            indexer.wake();
        }
        return new Added(fileEntry(kb.id(), fileId), Boolean.TRUE.equals(added));
    }

    void removeFile(Caller caller, UUID projectId, UUID fileId) {
        projects.require(caller, projectId, ProjectRole.EDITOR);
        KnowledgeBase kb = require(projectId);
        // chunks and jobs go with the row (cascade)
        Boolean removed = transaction.execute(s -> repository.removeFile(kb.id(), fileId));
        if (!Boolean.TRUE.equals(removed)) {
            throw new NotFoundException("knowledge-base file");
        }
        dropFromIndex(fileId);
    }

    Page<KnowledgeFile> files(Caller caller, UUID projectId, PageRequest page) {
        projects.require(caller, projectId, ProjectRole.VIEWER);
        KnowledgeBase kb = require(projectId);
        UUID after = page.after().map(c -> c.expect(1).uuid(0)).orElse(null);
        return Page.of(repository.files(kb.id(), after, page.fetchSize()), page, f -> Cursor.of(f.fileId()));
    }

    KnowledgeBaseResponse reindex(Caller caller, UUID projectId) {
        projects.require(caller, projectId, ProjectRole.EDITOR);
        KnowledgeBase kb = require(projectId);
        if (index.ensureOpen()) {
            // the index folder was lost: put back every knowledge base's chunks from the database
            indexer.reconcileSoon();
        }
        transaction.executeWithoutResult(s -> enqueueAll(kb, Ids.now()));
        indexer.wake();
        return response(kb);
    }

    List<SearchResult> search(Caller caller, UUID projectId, KnowledgeRequests.Search request) {
        projects.require(caller, projectId, ProjectRole.VIEWER);
        KnowledgeBase kb = require(projectId);
        String unstorable = TextRules.unstorable(request.query());
        if (unstorable != null) {
            throw new ValidationException("query", unstorable);
        }
        List<UUID> fileIds = request.fileIds() == null ? List.of() : List.copyOf(new HashSet<>(request.fileIds()));
        if (!fileIds.isEmpty()) {
            Set<UUID> known = new HashSet<>(repository.fileIds(kb.id()));
            for (UUID id : fileIds) {
                if (!known.contains(id)) {
                    throw new ValidationException("file_ids", "has " + id + ", which is not in the knowledge base");
                }
            }
        }
        int topK = request.topK() == null ? KnowledgeRequests.DEFAULT_TOP_K : request.topK();
        Mode mode = request.mode() == null ? Mode.HYBRID : request.mode();
        return search(kb, request.query(), mode, fileIds, topK, true);
    }

    /** The search itself, for a caller already allowed to read the knowledge base. */
    List<SearchResult> search(KnowledgeBase kb, String query, Mode mode, List<UUID> fileIds, int topK,
                              boolean failOnEmbedding) {
        if (index.ensureOpen()) {
            indexer.reconcileSoon();
        }
        // a few extra candidates cover index documents whose rows were removed meanwhile
        int depth = Math.max(topK * 2, mode == Mode.HYBRID ? FUSION_DEPTH : topK);
        List<Hit> hits;
        try {
            hits = switch (mode) {
                case LEXICAL -> index.lexical(kb.projectId(), fileIds, query, depth);
                case SEMANTIC -> index.semantic(kb.projectId(), fileIds, queryVector(kb, query, true), depth);
                case HYBRID -> {
                    List<Hit> lexical = index.lexical(kb.projectId(), fileIds, query, depth);
                    float[] vector = queryVector(kb, query, failOnEmbedding);
                    List<Hit> semantic = vector == null ? List.of()
                            : index.semantic(kb.projectId(), fileIds, vector, depth);
                    yield KnowledgeIndex.fuse(lexical, semantic, depth);
                }
            };
        } catch (IOException e) {
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "the knowledge index cannot be read just now");
        }
        if (hits.isEmpty()) {
            return List.of();
        }
        Map<UUID, KnowledgeRepository.Found> rows = repository.found(kb.projectId(),
                        hits.stream().map(Hit::chunkId).toList()).stream()
                .collect(Collectors.toMap(KnowledgeRepository.Found::chunkId, Function.identity()));
        List<SearchResult> results = new ArrayList<>(topK);
        for (Hit hit : hits) {
            KnowledgeRepository.Found row = rows.get(hit.chunkId());
            if (row != null && results.size() < topK) {
                results.add(new SearchResult(row.chunkId(), row.fileId(), row.filename(), row.ordinal(), row.text(),
                        hit.score()));
            }
        }
        return results;
    }

    private float[] queryVector(KnowledgeBase kb, String query, boolean fail) {
        try {
            return embeddings.embed(kb.embeddingModel(), query);
        } catch (IOException | RuntimeException e) {
            if (!fail) {
                log.warn("knowledge: embedding the query failed, searching by words only: {}", e.getMessage());
                return null;
            }
            log.warn("knowledge: embedding the query failed: {}", e.getMessage());
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                    "the embedding model is not available just now; lexical search still works");
        }
    }

    /** For the seams: the project's knowledge base when it is active. */
    Optional<KnowledgeBase> active(UUID projectId) {
        return repository.findByProject(projectId).filter(KnowledgeBase::isActive);
    }

    boolean isActive(UUID projectId) {
        return repository.isActive(projectId);
    }

    void dropFromIndex(UUID fileId) {
        try {
            index.deleteFile(fileId);
        } catch (IOException | RuntimeException e) {
            // the database no longer has the chunks: searches skip them and the next reconciliation drops them
            log.warn("knowledge: could not drop file {} from the index: {}", fileId, e.getMessage());
        }
    }

    private void enqueueAll(KnowledgeBase kb, Instant now) {
        for (UUID fileId : repository.fileIds(kb.id())) {
            repository.enqueue(Ids.newId(), kb.id(), kb.projectId(), fileId, now);
        }
    }

    private KnowledgeBase require(UUID projectId) {
        return repository.findByProject(projectId).orElseThrow(() -> new ApiException(
                ErrorCode.KNOWLEDGE_BASE_NOT_FOUND,
                "the project has no knowledge base yet; an owner creates it with PUT /projects/{id}/knowledge-base"));
    }

    private KnowledgeFile fileEntry(UUID knowledgeBaseId, UUID fileId) {
        return repository.file(knowledgeBaseId, fileId).orElseThrow(() -> new NotFoundException("knowledge-base file"));
    }

    private KnowledgeBaseResponse response(KnowledgeBase kb) {
        return KnowledgeBaseResponse.of(kb, repository.status(kb.id()));
    }

    private static void checkText(String field, String value) {
        if (value != null) {
            String problem = TextRules.unstorable(value);
            if (problem != null) {
                throw new ValidationException(field, problem);
            }
        }
    }
}
