package dev.parley.file;

import static dev.parley.db.Tables.BLOBS;
import static dev.parley.db.Tables.CONVERSATIONS;
import static dev.parley.db.Tables.CONVERSATION_DOCUMENTS;
import static dev.parley.db.Tables.FILES;
import static dev.parley.db.Tables.PROJECT_MEMBERS;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.parley.db.tables.records.FilesRecord;
import dev.parley.storage.JsonColumns;
import dev.parley.web.ApiEnum;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

@Repository
class FileRepository {

    private final DSLContext dsl;

    FileRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** The blob's row, made by the first record that uses these bytes. */
    void upsertBlob(String sha256, long size, Instant now) {
        dsl.insertInto(BLOBS)
                .set(BLOBS.SHA256, sha256)
                .set(BLOBS.SIZE_BYTES, size)
                .set(BLOBS.CREATED_AT, now)
                .onConflict(BLOBS.SHA256).doNothing()
                .execute();
    }

    boolean blobExists(String sha256) {
        return dsl.fetchExists(BLOBS, BLOBS.SHA256.eq(sha256));
    }

    /** Deletes the blob row unless a record still references it; true when it went. */
    boolean deleteBlobIfUnreferenced(String sha256) {
        return dsl.deleteFrom(BLOBS)
                .where(BLOBS.SHA256.eq(sha256))
                .andNotExists(DSL.selectOne().from(FILES).where(FILES.SHA256.eq(sha256)))
                .execute() == 1;
    }

    /** Blob rows no record references any more (their records went with a project or a user). */
    List<String> unreferencedBlobs(int limit) {
        return dsl.select(BLOBS.SHA256).from(BLOBS)
                .whereNotExists(DSL.selectOne().from(FILES).where(FILES.SHA256.eq(BLOBS.SHA256)))
                .orderBy(BLOBS.SHA256)
                .limit(limit)
                .fetch(BLOBS.SHA256);
    }

    void insert(StoredFile f) {
        FilesRecord r = dsl.newRecord(FILES);
        r.setId(f.id());
        r.setProjectId(f.projectId());
        r.setUserId(f.userId());
        r.setFilename(f.filename());
        r.setPurpose(f.purpose().apiValue());
        r.setMediaType(f.mediaType());
        r.setSizeBytes(f.sizeBytes());
        r.setSha256(f.blob());
        r.setExternalLocation(f.externalLocation());
        r.setVersion(f.version());
        r.setOrderIndex(f.orderIndex());
        r.setMetadata(JsonColumns.json(f.metadata()));
        r.setCreatedAt(f.createdAt());
        dsl.insertInto(FILES).set(r).execute();
    }

    Optional<StoredFile> find(UUID id) {
        return dsl.selectFrom(FILES).where(FILES.ID.eq(id)).fetchOptional(FileRepository::toFile);
    }

    boolean delete(UUID id) {
        return dsl.deleteFrom(FILES).where(FILES.ID.eq(id)).execute() == 1;
    }

    /** A project's files, newest version first, then newest upload, keyset on (version, id) descending. */
    List<StoredFile> listProject(UUID projectId, FilePurpose purpose, Integer version, VersionKey after, int limit) {
        Condition condition = FILES.PROJECT_ID.eq(projectId);
        if (purpose != null) {
            condition = condition.and(FILES.PURPOSE.eq(purpose.apiValue()));
        }
        if (version != null) {
            condition = condition.and(FILES.VERSION.eq(version));
        }
        if (after != null) {
            condition = condition.and(DSL.row(FILES.VERSION, FILES.ID).lt(after.version(), after.id()));
        }
        return dsl.selectFrom(FILES).where(condition)
                .orderBy(FILES.VERSION.desc(), FILES.ID.desc())
                .limit(limit)
                .fetch(FileRepository::toFile);
    }

    record VersionKey(int version, UUID id) {
    }

    Optional<StoredFile> latest(UUID projectId, FilePurpose purpose) {
        return dsl.selectFrom(FILES)
                .where(FILES.PROJECT_ID.eq(projectId))
                .and(purpose == null ? DSL.noCondition() : FILES.PURPOSE.eq(purpose.apiValue()))
                .orderBy(FILES.VERSION.desc(), FILES.ID.desc())
                .limit(1)
                .fetchOptional(FileRepository::toFile);
    }

    /** The newest file of each purpose in the project (highest version, then newest upload). */
    List<StoredFile> latestPerPurpose(UUID projectId) {
        return newestPerPurpose(projectId, 1);
    }

    /** Up to {@code perPurpose} newest files of each purpose, grouped by purpose, newest first within. */
    List<StoredFile> newestPerPurpose(UUID projectId, int perPurpose) {
        var ranked = dsl.select(FILES.asterisk(), DSL.rowNumber().over(DSL.partitionBy(FILES.PURPOSE)
                                .orderBy(FILES.VERSION.desc(), FILES.ID.desc())).as("rank"))
                .from(FILES)
                .where(FILES.PROJECT_ID.eq(projectId))
                .asTable("ranked");
        var rank = ranked.field("rank", Integer.class);
        return dsl.select(ranked.fields(FILES.fields())).from(ranked)
                .where(rank.le(perPurpose))
                .orderBy(ranked.field(FILES.PURPOSE), rank)
                .fetch(r -> toFile(r.into(FILES)));
    }

    /** The caller's library: files without a project, newest first. */
    List<StoredFile> listLibrary(UUID userId, UUID afterId, int limit) {
        return dsl.selectFrom(FILES)
                .where(FILES.USER_ID.eq(userId).and(FILES.PROJECT_ID.isNull()))
                .and(afterId == null ? DSL.noCondition() : FILES.ID.lt(afterId))
                .orderBy(FILES.ID.desc())
                .limit(limit)
                .fetch(FileRepository::toFile);
    }

    long countForProject(UUID projectId) {
        return dsl.fetchCount(FILES, FILES.PROJECT_ID.eq(projectId));
    }

    /**
     * A live conversation as the caller sees it: its owner, project and the caller's role in
     * that project (null when not a member). Empty when it does not exist or is soft-deleted.
     */
    Optional<ConversationSeen> conversation(UUID conversationId, UUID userId) {
        return dsl.select(CONVERSATIONS.USER_ID, CONVERSATIONS.PROJECT_ID, PROJECT_MEMBERS.ROLE)
                .from(CONVERSATIONS)
                .leftJoin(PROJECT_MEMBERS).on(PROJECT_MEMBERS.PROJECT_ID.eq(CONVERSATIONS.PROJECT_ID)
                        .and(PROJECT_MEMBERS.USER_ID.eq(userId)))
                .where(CONVERSATIONS.ID.eq(conversationId).and(CONVERSATIONS.DELETED_AT.isNull()))
                .fetchOptional(r -> new ConversationSeen(conversationId, r.value1(), r.value2(), r.value3()));
    }

    record ConversationSeen(UUID id, UUID ownerId, UUID projectId, String role) {
    }

    /** Whether the file is attached to a live conversation the user owns or whose project it is a member of. */
    boolean attachedToVisibleConversation(UUID fileId, UUID userId) {
        return dsl.fetchExists(DSL.selectOne()
                .from(CONVERSATION_DOCUMENTS)
                .join(CONVERSATIONS).on(CONVERSATIONS.ID.eq(CONVERSATION_DOCUMENTS.CONVERSATION_ID))
                .where(CONVERSATION_DOCUMENTS.FILE_ID.eq(fileId))
                .and(CONVERSATIONS.DELETED_AT.isNull())
                .and(CONVERSATIONS.USER_ID.eq(userId).or(CONVERSATIONS.PROJECT_ID.in(
                        DSL.select(PROJECT_MEMBERS.PROJECT_ID).from(PROJECT_MEMBERS)
                                .where(PROJECT_MEMBERS.USER_ID.eq(userId))))));
    }

    /** Attaches; false when it was attached already. */
    boolean attach(UUID conversationId, UUID fileId, UUID userId, Instant now) {
        return dsl.insertInto(CONVERSATION_DOCUMENTS)
                .set(CONVERSATION_DOCUMENTS.CONVERSATION_ID, conversationId)
                .set(CONVERSATION_DOCUMENTS.FILE_ID, fileId)
                .set(CONVERSATION_DOCUMENTS.USER_ID, userId)
                .set(CONVERSATION_DOCUMENTS.CREATED_AT, now)
                .onConflict(CONVERSATION_DOCUMENTS.CONVERSATION_ID, CONVERSATION_DOCUMENTS.FILE_ID).doNothing()
                .execute() == 1;
    }

    /** Detaches from the conversation every document that is a file of the project. */
    void detachProjectFiles(UUID conversationId, UUID projectId) {
        dsl.deleteFrom(CONVERSATION_DOCUMENTS)
                .where(CONVERSATION_DOCUMENTS.CONVERSATION_ID.eq(conversationId))
                .and(CONVERSATION_DOCUMENTS.FILE_ID.in(
                        DSL.select(FILES.ID).from(FILES).where(FILES.PROJECT_ID.eq(projectId))))
                .execute();
    }

    boolean detach(UUID conversationId, UUID fileId) {
        return dsl.deleteFrom(CONVERSATION_DOCUMENTS)
                .where(CONVERSATION_DOCUMENTS.CONVERSATION_ID.eq(conversationId)
                        .and(CONVERSATION_DOCUMENTS.FILE_ID.eq(fileId)))
                .execute() == 1;
    }

    Optional<StoredFile> document(UUID conversationId, UUID fileId) {
        return dsl.select(FILES.fields()).from(FILES)
                .join(CONVERSATION_DOCUMENTS).on(CONVERSATION_DOCUMENTS.FILE_ID.eq(FILES.ID))
                .where(CONVERSATION_DOCUMENTS.CONVERSATION_ID.eq(conversationId).and(FILES.ID.eq(fileId)))
                .fetchOptional(r -> toFile(r.into(FILES)));
    }

    /** A conversation's documents in the order they were attached, keyset on (attached at, file id). */
    List<Document> documents(UUID conversationId, DocumentKey after, int limit) {
        return dsl.select(FILES.fields()).select(CONVERSATION_DOCUMENTS.CREATED_AT)
                .from(FILES)
                .join(CONVERSATION_DOCUMENTS).on(CONVERSATION_DOCUMENTS.FILE_ID.eq(FILES.ID))
                .where(CONVERSATION_DOCUMENTS.CONVERSATION_ID.eq(conversationId))
                .and(after == null ? DSL.noCondition()
                        : DSL.row(CONVERSATION_DOCUMENTS.CREATED_AT, CONVERSATION_DOCUMENTS.FILE_ID)
                        .gt(after.attachedAt(), after.fileId()))
                .orderBy(CONVERSATION_DOCUMENTS.CREATED_AT, CONVERSATION_DOCUMENTS.FILE_ID)
                .limit(limit)
                .fetch(r -> new Document(toFile(r.into(FILES)), r.get(CONVERSATION_DOCUMENTS.CREATED_AT)));
    }

    record Document(StoredFile file, Instant attachedAt) {
    }

    record DocumentKey(Instant attachedAt, UUID fileId) {
    }

    private static StoredFile toFile(Record record) {
        FilesRecord r = record.into(FILES);
        return new StoredFile(r.getId(), r.getProjectId(), r.getUserId(), r.getFilename(),
                ApiEnum.parse(FilePurpose.class, r.getPurpose()), r.getMediaType(), r.getSizeBytes(), r.getSha256(),
                r.getVersion(), r.getOrderIndex(), JsonColumns.object(r.getMetadata()), r.getCreatedAt(),
                r.getExternalLocation());
    }
}
