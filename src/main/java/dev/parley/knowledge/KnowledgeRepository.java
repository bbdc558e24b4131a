package dev.parley.knowledge;

import static dev.parley.db.Tables.FILES;
import static dev.parley.db.Tables.KNOWLEDGE_BASES;
import static dev.parley.db.Tables.KNOWLEDGE_CHUNKS;
import static dev.parley.db.Tables.KNOWLEDGE_FILES;
import static dev.parley.db.Tables.KNOWLEDGE_JOBS;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import dev.parley.db.tables.records.KnowledgeChunksRecord;
import dev.parley.knowledge.KnowledgeFile.IndexState;
import dev.parley.storage.MultiRowInsert;
import dev.parley.web.ApiEnum;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

@Repository
class KnowledgeRepository {

    private final DSLContext dsl;

    KnowledgeRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    // --- knowledge bases

    Optional<KnowledgeBase> findByProject(UUID projectId) {
        return dsl.selectFrom(KNOWLEDGE_BASES).where(KNOWLEDGE_BASES.PROJECT_ID.eq(projectId))
                .fetchOptional(this::toBase);
    }

    Optional<KnowledgeBase> find(UUID id) {
        return dsl.selectFrom(KNOWLEDGE_BASES).where(KNOWLEDGE_BASES.ID.eq(id)).fetchOptional(this::toBase);
    }

    void insert(KnowledgeBase kb) {
        dsl.insertInto(KNOWLEDGE_BASES)
                .set(KNOWLEDGE_BASES.ID, kb.id())
                .set(KNOWLEDGE_BASES.PROJECT_ID, kb.projectId())
                .set(KNOWLEDGE_BASES.NAME, kb.name())
                .set(KNOWLEDGE_BASES.DESCRIPTION, kb.description())
                .set(KNOWLEDGE_BASES.EMBEDDING_MODEL, kb.embeddingModel())
                .set(KNOWLEDGE_BASES.CHUNK_SIZE, kb.chunkSize())
                .set(KNOWLEDGE_BASES.CHUNK_OVERLAP, kb.chunkOverlap())
                .set(KNOWLEDGE_BASES.IS_ACTIVE, kb.isActive())
                .set(KNOWLEDGE_BASES.CREATED_AT, kb.createdAt())
                .set(KNOWLEDGE_BASES.UPDATED_AT, kb.updatedAt())
                .execute();
    }

    void update(KnowledgeBase kb) {
        dsl.update(KNOWLEDGE_BASES)
                .set(KNOWLEDGE_BASES.NAME, kb.name())
                .set(KNOWLEDGE_BASES.DESCRIPTION, kb.description())
                .set(KNOWLEDGE_BASES.EMBEDDING_MODEL, kb.embeddingModel())
                .set(KNOWLEDGE_BASES.CHUNK_SIZE, kb.chunkSize())
                .set(KNOWLEDGE_BASES.CHUNK_OVERLAP, kb.chunkOverlap())
                .set(KNOWLEDGE_BASES.IS_ACTIVE, kb.isActive())
                .set(KNOWLEDGE_BASES.UPDATED_AT, kb.updatedAt())
                .where(KNOWLEDGE_BASES.ID.eq(kb.id()))
                .execute();
    }

    boolean isActive(UUID projectId) {
        return dsl.fetchExists(KNOWLEDGE_BASES, KNOWLEDGE_BASES.PROJECT_ID.eq(projectId)
                .and(KNOWLEDGE_BASES.IS_ACTIVE.isTrue()));
    }

    record Status(int filesTotal, int filesPending, int filesIndexing, int filesIndexed, int filesFailed, long chunks,
                  Instant lastIndexedAt) {
    }

    Status status(UUID knowledgeBaseId) {
        Record r = dsl.select(
                        DSL.count(),
                        DSL.count().filterWhere(KNOWLEDGE_FILES.STATE.eq("pending")),
                        DSL.count().filterWhere(KNOWLEDGE_FILES.STATE.eq("indexing")),
                        DSL.count().filterWhere(KNOWLEDGE_FILES.STATE.eq("indexed")),
                        DSL.count().filterWhere(KNOWLEDGE_FILES.STATE.eq("failed")),
                        DSL.coalesce(DSL.sum(KNOWLEDGE_FILES.CHUNKS), DSL.inline(java.math.BigDecimal.ZERO)),
                        DSL.max(KNOWLEDGE_FILES.INDEXED_AT))
                .from(KNOWLEDGE_FILES)
                .where(KNOWLEDGE_FILES.KNOWLEDGE_BASE_ID.eq(knowledgeBaseId))
                .fetchOne();
        return new Status(r.get(0, Integer.class), r.get(1, Integer.class), r.get(2, Integer.class),
                r.get(3, Integer.class), r.get(4, Integer.class), r.get(5, Long.class), r.get(6, Instant.class));
    }

    // --- files of a knowledge base

    /** Adds the file as pending; false when it was already there. */
    boolean addFile(UUID knowledgeBaseId, UUID projectId, UUID fileId, Instant now) {
        return dsl.insertInto(KNOWLEDGE_FILES)
                .set(KNOWLEDGE_FILES.KNOWLEDGE_BASE_ID, knowledgeBaseId)
                .set(KNOWLEDGE_FILES.FILE_ID, fileId)
                .set(KNOWLEDGE_FILES.PROJECT_ID, projectId)
                .set(KNOWLEDGE_FILES.STATE, "pending")
                .set(KNOWLEDGE_FILES.ADDED_AT, now)
                .onConflictDoNothing()
                .execute() == 1;
    }

    boolean removeFile(UUID knowledgeBaseId, UUID fileId) {
        return dsl.deleteFrom(KNOWLEDGE_FILES)
                .where(KNOWLEDGE_FILES.KNOWLEDGE_BASE_ID.eq(knowledgeBaseId), KNOWLEDGE_FILES.FILE_ID.eq(fileId))
                .execute() == 1;
    }

    boolean hasFile(UUID knowledgeBaseId, UUID fileId) {
        return dsl.fetchExists(KNOWLEDGE_FILES, KNOWLEDGE_FILES.KNOWLEDGE_BASE_ID.eq(knowledgeBaseId),
                KNOWLEDGE_FILES.FILE_ID.eq(fileId));
    }

    List<UUID> fileIds(UUID knowledgeBaseId) {
        return dsl.select(KNOWLEDGE_FILES.FILE_ID).from(KNOWLEDGE_FILES)
                .where(KNOWLEDGE_FILES.KNOWLEDGE_BASE_ID.eq(knowledgeBaseId))
                .fetch(KNOWLEDGE_FILES.FILE_ID);
    }

    /** A page of the knowledge base's files, in the order they were added (keyset on file id). */
    List<KnowledgeFile> files(UUID knowledgeBaseId, UUID after, int limit) {
        return files(knowledgeBaseId, after == null ? DSL.noCondition() : KNOWLEDGE_FILES.FILE_ID.gt(after), limit);
    }

    Optional<KnowledgeFile> file(UUID knowledgeBaseId, UUID fileId) {
        return files(knowledgeBaseId, KNOWLEDGE_FILES.FILE_ID.eq(fileId), 1).stream().findFirst();
    }

    private List<KnowledgeFile> files(UUID knowledgeBaseId, org.jooq.Condition condition, int limit) {
        return dsl.select(KNOWLEDGE_FILES.asterisk(), FILES.FILENAME, FILES.MEDIA_TYPE, FILES.SIZE_BYTES)
                .from(KNOWLEDGE_FILES).join(FILES).on(FILES.ID.eq(KNOWLEDGE_FILES.FILE_ID))
                .where(KNOWLEDGE_FILES.KNOWLEDGE_BASE_ID.eq(knowledgeBaseId))
                .and(condition)
                .orderBy(KNOWLEDGE_FILES.FILE_ID)
                .limit(limit)
                .fetch(r -> new KnowledgeFile(r.get(KNOWLEDGE_FILES.FILE_ID), r.get(FILES.FILENAME),
                        r.get(FILES.MEDIA_TYPE), r.get(FILES.SIZE_BYTES),
                        ApiEnum.parse(IndexState.class, r.get(KNOWLEDGE_FILES.STATE)), r.get(KNOWLEDGE_FILES.ERROR),
                        r.get(KNOWLEDGE_FILES.CHUNKS), r.get(KNOWLEDGE_FILES.ADDED_AT),
                        r.get(KNOWLEDGE_FILES.INDEXED_AT)));
    }

    void markFile(UUID knowledgeBaseId, UUID fileId, String state, String error) {
        dsl.update(KNOWLEDGE_FILES)
                .set(KNOWLEDGE_FILES.STATE, state)
                .set(KNOWLEDGE_FILES.ERROR, error)
                .where(KNOWLEDGE_FILES.KNOWLEDGE_BASE_ID.eq(knowledgeBaseId), KNOWLEDGE_FILES.FILE_ID.eq(fileId))
                .execute();
    }

    /** Records a finished indexing; false when the file left the knowledge base meanwhile. */
    boolean markIndexed(UUID knowledgeBaseId, UUID fileId, int chunks, Instant now) {
        return dsl.update(KNOWLEDGE_FILES)
                .set(KNOWLEDGE_FILES.STATE, "indexed")
                .setNull(KNOWLEDGE_FILES.ERROR)
                .set(KNOWLEDGE_FILES.CHUNKS, chunks)
                .set(KNOWLEDGE_FILES.INDEXED_AT, now)
                .where(KNOWLEDGE_FILES.KNOWLEDGE_BASE_ID.eq(knowledgeBaseId), KNOWLEDGE_FILES.FILE_ID.eq(fileId))
                .execute() == 1;
    }

    // --- chunks

    void deleteChunks(UUID knowledgeBaseId, UUID fileId) {
        dsl.deleteFrom(KNOWLEDGE_CHUNKS)
                .where(KNOWLEDGE_CHUNKS.KNOWLEDGE_BASE_ID.eq(knowledgeBaseId), KNOWLEDGE_CHUNKS.FILE_ID.eq(fileId))
                .execute();
        dsl.update(KNOWLEDGE_FILES).set(KNOWLEDGE_FILES.CHUNKS, 0)
                .where(KNOWLEDGE_FILES.KNOWLEDGE_BASE_ID.eq(knowledgeBaseId), KNOWLEDGE_FILES.FILE_ID.eq(fileId))
                .execute();
    }

    void insertChunks(List<Chunk> chunks, Instant now) {
        MultiRowInsert.insert(dsl, KNOWLEDGE_CHUNKS, chunks.stream().map(c -> new KnowledgeChunksRecord(c.id(),
                c.knowledgeBaseId(), c.projectId(), c.fileId(), c.ordinal(), c.text(), c.startOffset(), c.endOffset(),
                c.tokenCount(), c.embeddingModel(), toBytes(c.embedding()), now)).toList());
    }

    /** A search hit's chunk with its file name, for chunks still in the project. */
    record Found(UUID chunkId, UUID fileId, String filename, int ordinal, String text) {
    }

    List<Found> found(UUID projectId, Collection<UUID> chunkIds) {
        return dsl.select(KNOWLEDGE_CHUNKS.ID, KNOWLEDGE_CHUNKS.FILE_ID, FILES.FILENAME, KNOWLEDGE_CHUNKS.ORDINAL,
                        KNOWLEDGE_CHUNKS.TEXT)
                .from(KNOWLEDGE_CHUNKS).join(FILES).on(FILES.ID.eq(KNOWLEDGE_CHUNKS.FILE_ID))
                .where(KNOWLEDGE_CHUNKS.PROJECT_ID.eq(projectId), KNOWLEDGE_CHUNKS.ID.in(chunkIds))
                .fetch(r -> new Found(r.value1(), r.value2(), r.value3(), r.value4(), r.value5()));
    }

    /** Every chunk, in id order, in pages: what the index must hold. */
    void forEachChunk(Collection<UUID> onlyIds, Consumer<Chunk> action) {
        UUID after = null;
        while (true) {
            List<Chunk> page = dsl.selectFrom(KNOWLEDGE_CHUNKS)
                    .where(after == null ? DSL.noCondition() : KNOWLEDGE_CHUNKS.ID.gt(after))
                    .and(onlyIds == null ? DSL.noCondition() : KNOWLEDGE_CHUNKS.ID.in(onlyIds))
                    .orderBy(KNOWLEDGE_CHUNKS.ID)
                    .limit(500)
                    .fetch(this::toChunk);
            page.forEach(action);
            if (page.size() < 500) {
                return;
            }
            after = page.getLast().id();
        }
    }

    /** Every chunk id, in pages. */
    void forEachChunkId(Consumer<UUID> action) {
        UUID after = null;
        while (true) {
            List<UUID> page = dsl.select(KNOWLEDGE_CHUNKS.ID).from(KNOWLEDGE_CHUNKS)
                    .where(after == null ? DSL.noCondition() : KNOWLEDGE_CHUNKS.ID.gt(after))
                    .orderBy(KNOWLEDGE_CHUNKS.ID)
                    .limit(5000)
                    .fetch(KNOWLEDGE_CHUNKS.ID);
            page.forEach(action);
            if (page.size() < 5000) {
                return;
            }
            after = page.getLast();
        }
    }

    // --- jobs

    /** Queues a job for the file unless one is already waiting. */
    void enqueue(UUID id, UUID knowledgeBaseId, UUID projectId, UUID fileId, Instant now) {
        boolean waiting = dsl.fetchExists(KNOWLEDGE_JOBS, KNOWLEDGE_JOBS.KNOWLEDGE_BASE_ID.eq(knowledgeBaseId),
                KNOWLEDGE_JOBS.FILE_ID.eq(fileId), KNOWLEDGE_JOBS.STATE.eq("pending"));
        if (!waiting) {
            dsl.insertInto(KNOWLEDGE_JOBS)
                    .set(KNOWLEDGE_JOBS.ID, id)
                    .set(KNOWLEDGE_JOBS.KNOWLEDGE_BASE_ID, knowledgeBaseId)
                    .set(KNOWLEDGE_JOBS.PROJECT_ID, projectId)
                    .set(KNOWLEDGE_JOBS.FILE_ID, fileId)
                    .set(KNOWLEDGE_JOBS.STATE, "pending")
                    .set(KNOWLEDGE_JOBS.CREATED_AT, now)
                    .set(KNOWLEDGE_JOBS.UPDATED_AT, now)
                    .execute();
        }
        markFile(knowledgeBaseId, fileId, "pending", null);
    }

    /**
     * The oldest job that may run now: pending and not held back, or running with a lease that
     * ran out (its worker died) — never one for a file another worker holds.
     */
    Optional<UUID> nextJob(Instant now) {
        var other = KNOWLEDGE_JOBS.as("other");
        return dsl.select(KNOWLEDGE_JOBS.ID).from(KNOWLEDGE_JOBS)
                .where(KNOWLEDGE_JOBS.STATE.eq("pending").and(KNOWLEDGE_JOBS.LEASE_UNTIL.isNull()
                                .or(KNOWLEDGE_JOBS.LEASE_UNTIL.le(now)))
                        .or(KNOWLEDGE_JOBS.STATE.eq("running").and(KNOWLEDGE_JOBS.LEASE_UNTIL.le(now))))
                .andNotExists(DSL.selectOne().from(other)
                        .where(other.KNOWLEDGE_BASE_ID.eq(KNOWLEDGE_JOBS.KNOWLEDGE_BASE_ID),
                                other.FILE_ID.eq(KNOWLEDGE_JOBS.FILE_ID), other.ID.ne(KNOWLEDGE_JOBS.ID),
                                other.STATE.eq("running"), other.LEASE_UNTIL.gt(now)))
                .orderBy(KNOWLEDGE_JOBS.CREATED_AT, KNOWLEDGE_JOBS.ID)
                .limit(1)
                .fetchOptional(KNOWLEDGE_JOBS.ID);
    }

    /** Takes the job for this worker until {@code leaseUntil}; empty when another worker was faster. */
    Optional<IndexJob> claim(UUID jobId, Instant now, Instant leaseUntil) {
        int taken = dsl.update(KNOWLEDGE_JOBS)
                .set(KNOWLEDGE_JOBS.STATE, "running")
                .set(KNOWLEDGE_JOBS.ATTEMPTS, KNOWLEDGE_JOBS.ATTEMPTS.plus(1))
                .set(KNOWLEDGE_JOBS.LEASE_UNTIL, leaseUntil)
                .set(KNOWLEDGE_JOBS.UPDATED_AT, now)
                .where(KNOWLEDGE_JOBS.ID.eq(jobId))
                .and(KNOWLEDGE_JOBS.STATE.eq("pending").and(KNOWLEDGE_JOBS.LEASE_UNTIL.isNull()
                                .or(KNOWLEDGE_JOBS.LEASE_UNTIL.le(now)))
                        .or(KNOWLEDGE_JOBS.STATE.eq("running").and(KNOWLEDGE_JOBS.LEASE_UNTIL.le(now))))
                .execute();
        if (taken == 0) {
            return Optional.empty();
        }
        return dsl.selectFrom(KNOWLEDGE_JOBS).where(KNOWLEDGE_JOBS.ID.eq(jobId))
                .fetchOptional(r -> new IndexJob(r.getId(), r.getKnowledgeBaseId(), r.getProjectId(), r.getFileId(),
                        r.getAttempts()));
    }

    void finishJob(UUID jobId, String state, String error, Instant now) {
        dsl.update(KNOWLEDGE_JOBS)
                .set(KNOWLEDGE_JOBS.STATE, state)
                .set(KNOWLEDGE_JOBS.ERROR, error)
                .setNull(KNOWLEDGE_JOBS.LEASE_UNTIL)
                .set(KNOWLEDGE_JOBS.UPDATED_AT, now)
                .where(KNOWLEDGE_JOBS.ID.eq(jobId))
                .execute();
    }

    /** Puts a job back in the queue, not to be claimed before {@code notBefore}. */
    void retryJob(UUID jobId, String error, Instant now, Instant notBefore) {
        dsl.update(KNOWLEDGE_JOBS)
                .set(KNOWLEDGE_JOBS.STATE, "pending")
                .set(KNOWLEDGE_JOBS.ERROR, error)
                .set(KNOWLEDGE_JOBS.LEASE_UNTIL, notBefore)
                .set(KNOWLEDGE_JOBS.UPDATED_AT, now)
                .where(KNOWLEDGE_JOBS.ID.eq(jobId))
                .execute();
    }

    boolean hasPendingJob(UUID knowledgeBaseId, UUID fileId) {
        return dsl.fetchExists(KNOWLEDGE_JOBS, KNOWLEDGE_JOBS.KNOWLEDGE_BASE_ID.eq(knowledgeBaseId),
                KNOWLEDGE_JOBS.FILE_ID.eq(fileId), KNOWLEDGE_JOBS.STATE.eq("pending"));
    }

    /** Finished jobs are history: keep the queue short. */
    void deleteFinishedJobs(UUID knowledgeBaseId, UUID fileId) {
        dsl.deleteFrom(KNOWLEDGE_JOBS)
                .where(KNOWLEDGE_JOBS.KNOWLEDGE_BASE_ID.eq(knowledgeBaseId), KNOWLEDGE_JOBS.FILE_ID.eq(fileId),
                        KNOWLEDGE_JOBS.STATE.in("done", "failed"))
                .execute();
    }

    // --- mapping

    private KnowledgeBase toBase(dev.parley.db.tables.records.KnowledgeBasesRecord r) {
        return new KnowledgeBase(r.getId(), r.getProjectId(), r.getName(), r.getDescription(), r.getEmbeddingModel(),
                r.getChunkSize(), r.getChunkOverlap(), r.getIsActive(), r.getCreatedAt(), r.getUpdatedAt());
    }

    private Chunk toChunk(dev.parley.db.tables.records.KnowledgeChunksRecord r) {
        return new Chunk(r.getId(), r.getKnowledgeBaseId(), r.getProjectId(), r.getFileId(), r.getOrdinal(),
                r.getText(), r.getStartOffset(), r.getEndOffset(), r.getTokenCount(), r.getEmbeddingModel(),
                toFloats(r.getEmbedding()));
    }

    static byte[] toBytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    static float[] toFloats(byte[] bytes) {
        float[] vector = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}
