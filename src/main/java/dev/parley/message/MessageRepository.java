package dev.parley.message;

import static dev.parley.db.Tables.CONVERSATIONS;
import static dev.parley.db.Tables.MESSAGES;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.parley.db.tables.records.MessagesRecord;
import dev.parley.storage.CompiledStatements;
import dev.parley.storage.JsonColumns;
import dev.parley.storage.MultiRowInsert;
import dev.parley.web.ApiEnum;
import org.jooq.CommonTableExpression;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.Record3;
import org.jooq.ResultQuery;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;

@Repository
class MessageRepository {

    private final DSLContext dsl;
    // a single append's insert and the ?last=N / context walk, rendered once (see CompiledStatements)
    private final CompiledStatements.Statement insertOne;
    private final CompiledStatements.Statement branch;

    MessageRepository(DSLContext dsl, CompiledStatements statements) {
        this.dsl = dsl;
        Field<?>[] columns = MESSAGES.fields();
        this.insertOne = statements.compile(dsl.insertInto(MESSAGES, columns)
                        .values(Arrays.stream(columns).map(column -> DSL.param(column.getName(), column)).toList()),
                Arrays.stream(columns).map(Field::getName).toArray(String[]::new));
        this.branch = statements.compile(branchQuery(dsl), "conversation", "from", "max");
    }

    /**
     * Inserts the messages: a single append with its compiled statement, a batch with
     * multi-row {@code INSERT}s (jOOQ's batchInsert renders each record on its own, which cost
     * more CPU than the insert itself on the append path).
     */
    void insert(List<Message> messages) {
        if (messages.size() == 1) {
            // the values in the order of MESSAGES.fields(), as the statement was compiled
            insertOne.execute(record(messages.getFirst()).intoArray());
            return;
        }
        MultiRowInsert.insert(dsl, MESSAGES, messages.stream().map(this::record).toList());
    }

    Optional<Message> find(UUID conversationId, UUID id) {
        return dsl.selectFrom(MESSAGES)
                .where(MESSAGES.ID.eq(id).and(MESSAGES.CONVERSATION_ID.eq(conversationId)))
                .fetchOptional(MessageRepository::toMessage);
    }

    /** The depth of a message of the conversation, if it is one. */
    Optional<Long> depth(UUID conversationId, UUID id) {
        return dsl.select(MESSAGES.DEPTH).from(MESSAGES)
                .where(MESSAGES.ID.eq(id).and(MESSAGES.CONVERSATION_ID.eq(conversationId)))
                .fetchOptional(Record1::value1);
    }

    boolean exists(UUID id) {
        return dsl.fetchExists(MESSAGES, MESSAGES.ID.eq(id));
    }

    void edit(UUID id, String content, JsonNode metadata, Instant editedAt) {
        dsl.update(MESSAGES)
                .set(MESSAGES.CONTENT, content)
                .set(MESSAGES.METADATA, JsonColumns.json(metadata))
                .set(MESSAGES.EDITED_AT, editedAt)
                .where(MESSAGES.ID.eq(id))
                .execute();
    }

    /** Every message of the conversation in append order (all branches), keyset on seq. */
    List<Message> list(UUID conversationId, boolean descending, Long afterSeq, int limit) {
        return dsl.selectFrom(MESSAGES)
                .where(MESSAGES.CONVERSATION_ID.eq(conversationId))
                .and(afterSeq == null ? DSL.noCondition()
                        : descending ? MESSAGES.SEQ.lt(afterSeq) : MESSAGES.SEQ.gt(afterSeq))
                .orderBy(descending ? MESSAGES.SEQ.desc() : MESSAGES.SEQ.asc())
                .limit(limit)
                .fetch(MessageRepository::toMessage);
    }

    /**
     * The branch ending at {@code fromId}, newest first, at most {@code max} messages: a
     * recursive walk up the parent links, bounded by {@code max} steps, so its cost does not
     * depend on the conversation's length.
     */
    List<Message> branch(UUID conversationId, UUID fromId, int max) {
        return branch.fetch(r -> toMessage(r.into(MESSAGES)), conversationId, fromId, max);
    }

    private static ResultQuery<Record> branchQuery(DSLContext dsl) {
        Field<UUID> conversationId = DSL.param("conversation", MESSAGES.CONVERSATION_ID);
        Field<UUID> fromId = DSL.param("from", MESSAGES.ID);
        Field<Integer> max = DSL.param("max", SQLDataType.INTEGER);
        Field<UUID> id = DSL.field(DSL.name("id"), MESSAGES.ID.getDataType());
        Field<UUID> parent = DSL.field(DSL.name("parent_id"), MESSAGES.PARENT_ID.getDataType());
        Field<Integer> hops = DSL.field(DSL.name("hops"), SQLDataType.INTEGER);
        CommonTableExpression<Record3<UUID, UUID, Integer>> walk = DSL.name("walk").fields("id", "parent_id", "hops")
                .as(DSL.select(MESSAGES.ID, MESSAGES.PARENT_ID, DSL.inline(1))
                        .from(MESSAGES)
                        .where(MESSAGES.ID.eq(fromId).and(MESSAGES.CONVERSATION_ID.eq(conversationId)))
                        .unionAll(DSL.select(MESSAGES.ID, MESSAGES.PARENT_ID, walk(hops).plus(DSL.inline(1)))
                                .from(MESSAGES)
                                .join(DSL.table(DSL.name("walk"))).on(MESSAGES.ID.eq(walk(parent)))
                                .where(walk(hops).lt(max))));
        return dsl.withRecursive(walk)
                .select(MESSAGES.fields())
                .from(MESSAGES)
                .join(walk).on(MESSAGES.ID.eq(walk.field(id)))
                .orderBy(walk.field(hops).asc());
    }

    private static <T> Field<T> walk(Field<T> field) {
        return DSL.field(DSL.name("walk", field.getName()), field.getDataType());
    }

    /**
     * Re-attaches every descendant of {@code rootId} directly to it and answers how many there
     * are, so that deleting the root then cascades one level deep (SQLite runs cascades as
     * nested triggers, at most 1000 levels).
     */
    int flattenBelow(UUID rootId) {
        Field<UUID> id = DSL.field(DSL.name("id"), MESSAGES.ID.getDataType());
        CommonTableExpression<Record1<UUID>> below = DSL.name("below").fields("id")
                .as(DSL.select(MESSAGES.ID).from(MESSAGES).where(MESSAGES.PARENT_ID.eq(rootId))
                        .unionAll(DSL.select(MESSAGES.ID)
                                .from(MESSAGES)
                                .join(DSL.table(DSL.name("below")))
                                .on(MESSAGES.PARENT_ID.eq(DSL.field(DSL.name("below", "id"), MESSAGES.ID.getDataType())))));
        return dsl.update(MESSAGES)
                .set(MESSAGES.PARENT_ID, rootId)
                .where(MESSAGES.ID.in(DSL.withRecursive(below).select(below.field(id)).from(below)))
                .execute();
    }

    boolean delete(UUID id) {
        return dsl.deleteFrom(MESSAGES).where(MESSAGES.ID.eq(id)).execute() == 1;
    }

    void moveToProject(UUID conversationId, UUID projectId) {
        dsl.update(MESSAGES).set(MESSAGES.PROJECT_ID, projectId).where(MESSAGES.CONVERSATION_ID.eq(conversationId))
                .execute();
    }

    /** A project's messages in its live conversations, newest first (UUIDv7 ids are time-ordered). */
    List<Message> listInProject(UUID projectId, UUID afterId, int limit) {
        return dsl.select(MESSAGES.fields())
                .from(MESSAGES)
                .join(CONVERSATIONS).on(CONVERSATIONS.ID.eq(MESSAGES.CONVERSATION_ID))
                .where(MESSAGES.PROJECT_ID.eq(projectId).and(CONVERSATIONS.DELETED_AT.isNull()))
                .and(afterId == null ? DSL.noCondition() : MESSAGES.ID.lt(afterId))
                .orderBy(MESSAGES.ID.desc())
                .limit(limit)
                .fetch(r -> toMessage(r.into(MESSAGES)));
    }

    private MessagesRecord record(Message m) {
        MessagesRecord r = dsl.newRecord(MESSAGES);
        r.setId(m.id());
        r.setConversationId(m.conversationId());
        r.setProjectId(m.projectId());
        r.setUserId(m.userId());
        r.setParentId(m.parentId());
        r.setSeq(m.seq());
        r.setDepth(m.depth());
        r.setRole(m.role().apiValue());
        r.setContent(m.content());
        r.setToolCalls(JsonColumns.json(m.toolCalls()));
        r.setToolCallId(m.toolCallId());
        r.setName(m.name());
        r.setMetadata(JsonColumns.json(m.metadata()));
        r.setContextUsed(JsonColumns.json(m.contextUsed()));
        r.setPromptTokens(m.promptTokens());
        r.setCompletionTokens(m.completionTokens());
        r.setCreatedAt(m.createdAt());
        r.setEditedAt(m.editedAt());
        return r;
    }

    private static Message toMessage(MessagesRecord r) {
        return new Message(r.getId(), r.getConversationId(), r.getProjectId(), r.getUserId(), r.getParentId(),
                r.getSeq(), r.getDepth(), ApiEnum.parse(MessageRole.class, r.getRole()), r.getContent(),
                JsonColumns.node(r.getToolCalls()), r.getToolCallId(), r.getName(), JsonColumns.object(r.getMetadata()),
                JsonColumns.node(r.getContextUsed()), r.getPromptTokens(), r.getCompletionTokens(), r.getCreatedAt(),
                r.getEditedAt());
    }
}
