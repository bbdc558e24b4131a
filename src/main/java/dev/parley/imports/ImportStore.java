package dev.parley.imports;

import static dev.parley.db.Tables.ARTIFACTS;
import static dev.parley.db.Tables.ARTIFACT_VERSIONS;
import static dev.parley.db.Tables.BLOBS;
import static dev.parley.db.Tables.CONVERSATIONS;
import static dev.parley.db.Tables.CONVERSATION_DOCUMENTS;
import static dev.parley.db.Tables.FILES;
import static dev.parley.db.Tables.IMPORT_BATCHES;
import static dev.parley.db.Tables.IMPORT_ROWS;
import static dev.parley.db.Tables.MESSAGES;
import static dev.parley.db.Tables.PROCESSING_LOGS;
import static dev.parley.db.Tables.PROJECTS;
import static dev.parley.db.Tables.PROJECT_MEMBERS;
import static dev.parley.db.Tables.TASKS;
import static dev.parley.db.Tables.USERS;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import dev.parley.db.tables.records.ImportRowsRecord;
import dev.parley.db.tables.records.MessagesRecord;
import dev.parley.storage.JsonColumns;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSON;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;

/** The SQL of imports: batches, the source-to-Parley mapping, and the rows an import writes. */
@Repository
class ImportStore {

    /** Ids per IN list, well below SQLite's and PostgreSQL's bind limits. */
    private static final int CHUNK = 500;

    private final DSLContext dsl;

    ImportStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    // ------------------------------------------------------------------ batches and mapping

    void createBatch(UUID id, SourceKind kind, String sourceKey, JsonNode options, UUID createdBy, Instant now) {
        dsl.insertInto(IMPORT_BATCHES)
                .set(IMPORT_BATCHES.ID, id)
                .set(IMPORT_BATCHES.SOURCE_KIND, kind.apiValue())
                .set(IMPORT_BATCHES.SOURCE_KEY, sourceKey)
                .set(IMPORT_BATCHES.OPTIONS, JsonColumns.json(options))
                .set(IMPORT_BATCHES.STATUS, "running")
                .set(IMPORT_BATCHES.CREATED_BY, createdBy)
                .set(IMPORT_BATCHES.STARTED_AT, now)
                .execute();
    }

    void finishBatch(UUID id, String status, JsonNode report, Instant now) {
        dsl.update(IMPORT_BATCHES)
                .set(IMPORT_BATCHES.STATUS, status)
                .set(IMPORT_BATCHES.REPORT, JsonColumns.json(report))
                .set(IMPORT_BATCHES.FINISHED_AT, now)
                .where(IMPORT_BATCHES.ID.eq(id))
                .execute();
    }

    Optional<String> batchStatus(UUID id) {
        return dsl.select(IMPORT_BATCHES.STATUS).from(IMPORT_BATCHES).where(IMPORT_BATCHES.ID.eq(id))
                .fetchOptional(IMPORT_BATCHES.STATUS);
    }

    /** Source id to Parley id of everything already imported from this source, of one kind. */
    Map<String, UUID> mappings(String sourceKey, String kind) {
        Map<String, UUID> result = new HashMap<>();
        dsl.select(IMPORT_ROWS.SOURCE_ID, IMPORT_ROWS.PARLEY_ID).from(IMPORT_ROWS)
                .where(IMPORT_ROWS.SOURCE_KEY.eq(sourceKey).and(IMPORT_ROWS.ENTITY_KIND.eq(kind)))
                .forEach(r -> result.put(r.value1(), r.value2()));
        return result;
    }

    void map(Collection<ImportRowsRecord> rows) {
        if (!rows.isEmpty()) {
            dsl.batchInsert(rows).execute();
        }
    }

    static ImportRowsRecord row(UUID batch, String sourceKey, String kind, String sourceId, UUID parleyId,
                                boolean created) {
        ImportRowsRecord r = new ImportRowsRecord();
        r.setBatchId(batch);
        r.setSourceKey(sourceKey);
        r.setEntityKind(kind);
        r.setSourceId(sourceId);
        r.setParleyId(parleyId);
        r.setCreated(created);
        return r;
    }

    /** The rows a batch created, by kind. */
    Map<String, List<UUID>> createdRows(UUID batch) {
        Map<String, List<UUID>> result = new HashMap<>();
        dsl.select(IMPORT_ROWS.ENTITY_KIND, IMPORT_ROWS.PARLEY_ID).from(IMPORT_ROWS)
                .where(IMPORT_ROWS.BATCH_ID.eq(batch).and(IMPORT_ROWS.CREATED.isTrue()))
                .forEach(r -> result.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(r.value2()));
        return result;
    }

    void deleteMappings(UUID batch) {
        dsl.deleteFrom(IMPORT_ROWS).where(IMPORT_ROWS.BATCH_ID.eq(batch)).execute();
    }

    /** How many of the Parley rows mapped from this source, of one kind, still exist. */
    long existingMapped(String sourceKey, String kind) {
        Table<?> table = tableOf(kind);
        if (table == null) {
            return dsl.fetchCount(IMPORT_ROWS, IMPORT_ROWS.SOURCE_KEY.eq(sourceKey).and(IMPORT_ROWS.ENTITY_KIND.eq(kind)));
        }
        @SuppressWarnings("unchecked")
        Field<UUID> id = (Field<UUID>) table.field("id");
        return dsl.fetchCount(DSL.select(IMPORT_ROWS.PARLEY_ID).from(IMPORT_ROWS).join(table)
                .on(id.eq(IMPORT_ROWS.PARLEY_ID))
                .where(IMPORT_ROWS.SOURCE_KEY.eq(sourceKey).and(IMPORT_ROWS.ENTITY_KIND.eq(kind))));
    }

    /** The contents of the messages imported from this source, one at a time. */
    void mappedMessageContents(String sourceKey, Consumer<String> each) {
        try (var cursor = dsl.select(MESSAGES.CONTENT).from(IMPORT_ROWS).join(MESSAGES)
                .on(MESSAGES.ID.eq(IMPORT_ROWS.PARLEY_ID))
                .where(IMPORT_ROWS.SOURCE_KEY.eq(sourceKey).and(IMPORT_ROWS.ENTITY_KIND.eq("message")))
                .fetchSize(1000)
                .fetchLazy()) {
            cursor.forEach(r -> each.accept(r.value1()));
        }
    }

    private static Table<?> tableOf(String kind) {
        return switch (kind) {
            case "user" -> USERS;
            case "project" -> PROJECTS;
            case "conversation" -> CONVERSATIONS;
            case "message" -> MESSAGES;
            case "file" -> FILES;
            case "artifact" -> ARTIFACTS;
            case "log" -> PROCESSING_LOGS;
            case "task" -> TASKS;
            default -> null;
        };
    }

    // ------------------------------------------------------------------ lookups

    Optional<UUID> userByUsername(String username) {
        return dsl.select(USERS.ID).from(USERS)
                .where(DSL.lower(USERS.USERNAME).eq(username.toLowerCase(java.util.Locale.ROOT)))
                .fetchOptional(USERS.ID);
    }

    Optional<String> usernameOf(UUID id) {
        return dsl.select(USERS.USERNAME).from(USERS).where(USERS.ID.eq(id)).fetchOptional(USERS.USERNAME);
    }

    boolean projectExists(UUID id) {
        return dsl.fetchExists(PROJECTS, PROJECTS.ID.eq(id));
    }

    /** Which of these ids are already used in a table, so an import can keep a source's ids when they are free. */
    Set<UUID> taken(String kind, Collection<UUID> ids) {
        Table<?> table = tableOf(kind);
        @SuppressWarnings("unchecked")
        Field<UUID> id = (Field<UUID>) table.field("id");
        Set<UUID> result = new HashSet<>();
        List<UUID> all = List.copyOf(ids);
        for (int i = 0; i < all.size(); i += CHUNK) {
            result.addAll(dsl.select(id).from(table).where(id.in(all.subList(i, Math.min(all.size(), i + CHUNK))))
                    .fetch(id));
        }
        return result;
    }

    // ------------------------------------------------------------------ writes

    void insertUser(UUID id, String username, String email, String fullName, String passwordHash, Instant createdAt) {
        dsl.insertInto(USERS)
                .set(USERS.ID, id)
                .set(USERS.USERNAME, username)
                .set(USERS.EMAIL, email)
                .set(USERS.FULL_NAME, fullName)
                .set(USERS.PASSWORD_HASH, passwordHash)
                .set(USERS.ROLE, "user")
                // imported accounts cannot sign in until an admin activates them
                .set(USERS.IS_ACTIVE, false)
                .set(USERS.IS_VERIFIED, false)
                .set(USERS.PREFERENCES, JsonColumns.emptyObject())
                .set(USERS.TOKEN_VERSION, 0)
                .set(USERS.CREATED_AT, createdAt)
                .set(USERS.UPDATED_AT, createdAt)
                .execute();
    }

    void insertProject(UUID id, UUID ownerId, SourceData.Project p, boolean isDefault) {
        dsl.insertInto(PROJECTS)
                .set(PROJECTS.ID, id)
                .set(PROJECTS.USER_ID, ownerId)
                .set(PROJECTS.NAME, p.name())
                .set(PROJECTS.DESCRIPTION, p.description())
                .set(PROJECTS.GOALS, p.goals())
                .set(PROJECTS.CUSTOM_INSTRUCTIONS, p.customInstructions())
                .set(PROJECTS.DEFAULT_MODEL, p.defaultModel())
                .set(PROJECTS.STATUS, p.status())
                .set(PROJECTS.CURRENT_VERSION, p.currentVersion())
                .set(PROJECTS.PINNED, p.pinned() && !p.archived())
                .set(PROJECTS.ARCHIVED, p.archived())
                .set(PROJECTS.IS_DEFAULT, isDefault && !p.archived())
                // token usage starts at zero and grows with the imported messages' recorded usage
                .set(PROJECTS.TOKEN_USAGE, 0L)
                .set(PROJECTS.MAX_TOKENS, p.maxTokens())
                .set(PROJECTS.METADATA, JsonColumns.json(p.metadata()))
                .set(PROJECTS.CREATED_AT, p.createdAt())
                .set(PROJECTS.UPDATED_AT, p.updatedAt())
                .execute();
    }

    boolean userHasDefaultProject(UUID userId) {
        return dsl.fetchExists(PROJECTS, PROJECTS.USER_ID.eq(userId).and(PROJECTS.IS_DEFAULT.isTrue()));
    }

    void insertMember(UUID projectId, UUID userId, String role, Instant createdAt) {
        dsl.insertInto(PROJECT_MEMBERS)
                .set(PROJECT_MEMBERS.PROJECT_ID, projectId)
                .set(PROJECT_MEMBERS.USER_ID, userId)
                .set(PROJECT_MEMBERS.ROLE, role)
                .set(PROJECT_MEMBERS.CREATED_AT, createdAt)
                .onConflictDoNothing()
                .execute();
    }

    void addTokenUsage(UUID projectId, long tokens) {
        if (tokens != 0) {
            dsl.update(PROJECTS).set(PROJECTS.TOKEN_USAGE, PROJECTS.TOKEN_USAGE.plus(tokens))
                    .where(PROJECTS.ID.eq(projectId)).execute();
        }
    }

    /**
     * A conversation with its counters already final: {@code message_count} and
     * {@code seq_counter} are the number of messages, numbered 1..n, so later appends go on
     * from n + 1 exactly as if the messages had been appended one by one.
     */
    void insertConversation(UUID id, UUID projectId, UUID userId, SourceData.Conversation c, int messages,
                            Instant lastMessageAt) {
        dsl.insertInto(CONVERSATIONS)
                .set(CONVERSATIONS.ID, id)
                .set(CONVERSATIONS.PROJECT_ID, projectId)
                .set(CONVERSATIONS.USER_ID, userId)
                .set(CONVERSATIONS.TITLE, c.title())
                .set(CONVERSATIONS.MODEL_ID, c.modelId())
                .set(CONVERSATIONS.USE_KNOWLEDGE_BASE, false)
                .set(CONVERSATIONS.MESSAGE_COUNT, messages)
                .set(CONVERSATIONS.SEQ_COUNTER, (long) messages)
                .set(CONVERSATIONS.LAST_MESSAGE_AT, lastMessageAt)
                .set(CONVERSATIONS.METADATA, JsonColumns.json(c.metadata()))
                .set(CONVERSATIONS.DELETED_AT, c.deletedAt())
                .set(CONVERSATIONS.CREATED_AT, c.createdAt())
                .set(CONVERSATIONS.UPDATED_AT, c.updatedAt())
                .execute();
    }

    void insertMessages(List<MessagesRecord> records) {
        if (!records.isEmpty()) {
            dsl.batchInsert(records).execute();
        }
    }

    void setLeaf(UUID conversationId, UUID leafId) {
        dsl.update(CONVERSATIONS).set(CONVERSATIONS.CURRENT_LEAF_ID, leafId)
                .where(CONVERSATIONS.ID.eq(conversationId)).execute();
    }

    void upsertBlob(String sha256, long size, Instant now) {
        dsl.insertInto(BLOBS)
                .set(BLOBS.SHA256, sha256)
                .set(BLOBS.SIZE_BYTES, size)
                .set(BLOBS.CREATED_AT, now)
                .onConflict(BLOBS.SHA256).doNothing()
                .execute();
    }

    void insertFile(UUID id, UUID projectId, UUID userId, SourceData.File f, String sha256, long size) {
        dsl.insertInto(FILES)
                .set(FILES.ID, id)
                .set(FILES.PROJECT_ID, projectId)
                .set(FILES.USER_ID, userId)
                .set(FILES.FILENAME, f.filename())
                .set(FILES.PURPOSE, f.purpose())
                .set(FILES.MEDIA_TYPE, f.mediaType())
                .set(FILES.SIZE_BYTES, size)
                .set(FILES.SHA256, sha256)
                .set(FILES.VERSION, f.version())
                .set(FILES.ORDER_INDEX, f.orderIndex())
                .set(FILES.METADATA, JsonColumns.json(f.metadata()))
                .set(FILES.EXTERNAL_LOCATION, f.externalLocation())
                .set(FILES.CREATED_AT, f.createdAt())
                .execute();
    }

    void insertDocument(UUID conversationId, UUID fileId, UUID userId, Instant createdAt) {
        dsl.insertInto(CONVERSATION_DOCUMENTS)
                .set(CONVERSATION_DOCUMENTS.CONVERSATION_ID, conversationId)
                .set(CONVERSATION_DOCUMENTS.FILE_ID, fileId)
                .set(CONVERSATION_DOCUMENTS.USER_ID, userId)
                .set(CONVERSATION_DOCUMENTS.CREATED_AT, createdAt)
                .onConflictDoNothing()
                .execute();
    }

    void insertArtifact(UUID id, UUID projectId, UUID userId, UUID conversationId, UUID messageId,
                        SourceData.Artifact a, int version) {
        dsl.insertInto(ARTIFACTS)
                .set(ARTIFACTS.ID, id)
                .set(ARTIFACTS.PROJECT_ID, projectId)
                .set(ARTIFACTS.USER_ID, userId)
                .set(ARTIFACTS.CONVERSATION_ID, conversationId)
                .set(ARTIFACTS.MESSAGE_ID, messageId)
                .set(ARTIFACTS.NAME, a.name())
                .set(ARTIFACTS.KIND, a.kind())
                .set(ARTIFACTS.VERSION, version)
                .set(ARTIFACTS.METADATA, JsonColumns.json(a.metadata()))
                .set(ARTIFACTS.CREATED_AT, a.createdAt())
                .set(ARTIFACTS.UPDATED_AT, a.updatedAt())
                .execute();
    }

    void insertArtifactVersion(UUID artifactId, UUID projectId, UUID userId, SourceData.ArtifactVersion v) {
        dsl.insertInto(ARTIFACT_VERSIONS)
                .set(ARTIFACT_VERSIONS.ARTIFACT_ID, artifactId)
                .set(ARTIFACT_VERSIONS.VERSION, v.version())
                .set(ARTIFACT_VERSIONS.PROJECT_ID, projectId)
                .set(ARTIFACT_VERSIONS.USER_ID, userId)
                .set(ARTIFACT_VERSIONS.MEDIA_TYPE, v.mediaType())
                .set(ARTIFACT_VERSIONS.CONTENT, v.content())
                .set(ARTIFACT_VERSIONS.SIZE_BYTES,
                        (long) v.content().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .set(ARTIFACT_VERSIONS.CREATED_AT, v.createdAt())
                .execute();
    }

    void insertLog(UUID id, UUID projectId, UUID userId, UUID fileId, SourceData.Log l) {
        dsl.insertInto(PROCESSING_LOGS)
                .set(PROCESSING_LOGS.ID, id)
                .set(PROCESSING_LOGS.PROJECT_ID, projectId)
                .set(PROCESSING_LOGS.USER_ID, userId)
                .set(PROCESSING_LOGS.VERSION, l.version())
                .set(PROCESSING_LOGS.LOG_LEVEL, l.level())
                .set(PROCESSING_LOGS.SUMMARY, l.summary())
                .set(PROCESSING_LOGS.FILE_ID, fileId)
                .set(PROCESSING_LOGS.METADATA, JsonColumns.json(l.metadata()))
                .set(PROCESSING_LOGS.CREATED_AT, l.createdAt())
                .execute();
    }

    void insertTask(UUID id, UUID userId, UUID projectId, UUID conversationId, SourceData.Task t) {
        dsl.insertInto(TASKS)
                .set(TASKS.ID, id)
                .set(TASKS.USER_ID, userId)
                .set(TASKS.PROJECT_ID, projectId)
                .set(TASKS.CONVERSATION_ID, conversationId)
                .set(TASKS.TITLE, t.title())
                .set(TASKS.DESCRIPTION, t.description())
                .set(TASKS.COMPLETED, t.completed())
                .set(TASKS.CREATED_AT, t.createdAt())
                .set(TASKS.UPDATED_AT, t.updatedAt())
                .execute();
    }

    // ------------------------------------------------------------------ rollback

    /** Recorded usage of a conversation's messages, per project, before the conversation goes. */
    Map<UUID, Long> usageByProject(Collection<UUID> conversationIds) {
        Map<UUID, Long> result = new HashMap<>();
        List<UUID> all = List.copyOf(conversationIds);
        for (int i = 0; i < all.size(); i += CHUNK) {
            dsl.select(MESSAGES.PROJECT_ID,
                            DSL.sum(DSL.coalesce(MESSAGES.PROMPT_TOKENS, 0L).plus(DSL.coalesce(MESSAGES.COMPLETION_TOKENS, 0L))))
                    .from(MESSAGES)
                    .where(MESSAGES.CONVERSATION_ID.in(all.subList(i, Math.min(all.size(), i + CHUNK)))
                            .and(MESSAGES.PROJECT_ID.isNotNull()))
                    .groupBy(MESSAGES.PROJECT_ID)
                    .forEach(r -> result.merge(r.value1(), r.value2() == null ? 0L : r.value2().longValue(), Long::sum));
        }
        return result;
    }

    /** The blob addresses of these files, so unreferenced blob rows can go with them. */
    Set<String> blobsOf(Collection<UUID> fileIds) {
        Set<String> result = new HashSet<>();
        List<UUID> all = List.copyOf(fileIds);
        for (int i = 0; i < all.size(); i += CHUNK) {
            result.addAll(dsl.selectDistinct(FILES.SHA256).from(FILES)
                    .where(FILES.ID.in(all.subList(i, Math.min(all.size(), i + CHUNK)))).fetch(FILES.SHA256));
        }
        return result;
    }

    int delete(String kind, Collection<UUID> ids) {
        Table<?> table = tableOf(kind);
        @SuppressWarnings("unchecked")
        TableField<?, UUID> id = (TableField<?, UUID>) table.field("id");
        int removed = 0;
        List<UUID> all = List.copyOf(ids);
        for (int i = 0; i < all.size(); i += CHUNK) {
            removed += dsl.deleteFrom(table).where(id.in(all.subList(i, Math.min(all.size(), i + CHUNK)))).execute();
        }
        return removed;
    }

    /** A message's tree edges first, so deleting a long branch does not cascade deeply. */
    void flattenConversations(Collection<UUID> conversationIds) {
        List<UUID> all = List.copyOf(conversationIds);
        for (int i = 0; i < all.size(); i += CHUNK) {
            List<UUID> part = all.subList(i, Math.min(all.size(), i + CHUNK));
            dsl.update(CONVERSATIONS).set(CONVERSATIONS.CURRENT_LEAF_ID, (UUID) null)
                    .where(CONVERSATIONS.ID.in(part)).execute();
            dsl.update(MESSAGES).set(MESSAGES.PARENT_ID, (UUID) null).where(MESSAGES.CONVERSATION_ID.in(part)).execute();
            dsl.deleteFrom(MESSAGES).where(MESSAGES.CONVERSATION_ID.in(part)).execute();
        }
    }

    boolean deleteBlobIfUnreferenced(String sha256) {
        return dsl.deleteFrom(BLOBS)
                .where(BLOBS.SHA256.eq(sha256))
                .andNotExists(DSL.selectOne().from(FILES).where(FILES.SHA256.eq(sha256)))
                .execute() == 1;
    }

    static JSON json(JsonNode node) {
        return JsonColumns.json(node);
    }
}
