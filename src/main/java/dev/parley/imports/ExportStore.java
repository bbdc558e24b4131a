package dev.parley.imports;

import static dev.parley.db.Tables.ARTIFACTS;
import static dev.parley.db.Tables.ARTIFACT_VERSIONS;
import static dev.parley.db.Tables.CONVERSATIONS;
import static dev.parley.db.Tables.CONVERSATION_DOCUMENTS;
import static dev.parley.db.Tables.FILES;
import static dev.parley.db.Tables.MESSAGES;
import static dev.parley.db.Tables.PROCESSING_LOGS;
import static dev.parley.db.Tables.PROJECTS;
import static dev.parley.db.Tables.PROJECT_MEMBERS;
import static dev.parley.db.Tables.TASKS;
import static dev.parley.db.Tables.USERS;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSON;
import org.jooq.Record;
import org.jooq.TableRecord;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reads of a project export. Rows become JSON objects column by column, in the table's
 * column order and under the column's name, so the export holds every column and the same
 * data always gives the same bytes.
 */
@Repository
class ExportStore {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final DSLContext dsl;

    ExportStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    ObjectNode project(UUID id) {
        return json(dsl.selectFrom(PROJECTS).where(PROJECTS.ID.eq(id)).fetchSingle());
    }

    List<ObjectNode> members(UUID projectId) {
        return dsl.select(PROJECT_MEMBERS.USER_ID, USERS.USERNAME, PROJECT_MEMBERS.ROLE, PROJECT_MEMBERS.CREATED_AT)
                .from(PROJECT_MEMBERS).join(USERS).on(USERS.ID.eq(PROJECT_MEMBERS.USER_ID))
                .where(PROJECT_MEMBERS.PROJECT_ID.eq(projectId))
                .orderBy(PROJECT_MEMBERS.USER_ID)
                .fetch(ExportStore::json);
    }

    /** Everyone a row of the project names, without secrets: id, username, email, full name, creation. */
    List<ObjectNode> users(Collection<UUID> ids) {
        return dsl.select(USERS.ID, USERS.USERNAME, USERS.EMAIL, USERS.FULL_NAME, USERS.CREATED_AT).from(USERS)
                .where(USERS.ID.in(ids)).orderBy(USERS.ID).fetch(ExportStore::json);
    }

    List<UUID> userIdsOfProject(UUID projectId) {
        var ids = dsl.select(PROJECT_MEMBERS.USER_ID).from(PROJECT_MEMBERS).where(PROJECT_MEMBERS.PROJECT_ID.eq(projectId))
                .union(dsl.select(PROJECTS.USER_ID).from(PROJECTS).where(PROJECTS.ID.eq(projectId)))
                .union(dsl.select(CONVERSATIONS.USER_ID).from(CONVERSATIONS).where(CONVERSATIONS.PROJECT_ID.eq(projectId)))
                .union(dsl.selectDistinct(MESSAGES.USER_ID).from(MESSAGES).where(MESSAGES.PROJECT_ID.eq(projectId)))
                .union(dsl.select(FILES.USER_ID).from(FILES).where(FILES.PROJECT_ID.eq(projectId)))
                .union(dsl.select(ARTIFACT_VERSIONS.USER_ID).from(ARTIFACT_VERSIONS)
                        .where(ARTIFACT_VERSIONS.PROJECT_ID.eq(projectId)))
                .union(dsl.select(ARTIFACTS.USER_ID).from(ARTIFACTS).where(ARTIFACTS.PROJECT_ID.eq(projectId)))
                .union(dsl.select(PROCESSING_LOGS.USER_ID).from(PROCESSING_LOGS)
                        .where(PROCESSING_LOGS.PROJECT_ID.eq(projectId)))
                .union(dsl.select(TASKS.USER_ID).from(TASKS).where(TASKS.PROJECT_ID.eq(projectId)))
                .union(dsl.select(CONVERSATION_DOCUMENTS.USER_ID).from(CONVERSATION_DOCUMENTS)
                        .join(CONVERSATIONS).on(CONVERSATIONS.ID.eq(CONVERSATION_DOCUMENTS.CONVERSATION_ID))
                        .where(CONVERSATIONS.PROJECT_ID.eq(projectId)))
                .fetch(0, UUID.class);
        return ids;
    }

    List<ObjectNode> conversations(UUID projectId) {
        return dsl.selectFrom(CONVERSATIONS).where(CONVERSATIONS.PROJECT_ID.eq(projectId))
                .orderBy(CONVERSATIONS.ID).fetch(ExportStore::json);
    }

    /** A conversation's messages in append order, one at a time, never all in memory. */
    void messages(UUID conversationId, Consumer<ObjectNode> each) {
        try (var cursor = dsl.selectFrom(MESSAGES).where(MESSAGES.CONVERSATION_ID.eq(conversationId))
                .orderBy(MESSAGES.SEQ).fetchSize(500).fetchLazy()) {
            cursor.forEach(r -> each.accept(json(r)));
        }
    }

    List<ObjectNode> files(UUID projectId) {
        return dsl.selectFrom(FILES).where(FILES.PROJECT_ID.eq(projectId)).orderBy(FILES.ID).fetch(ExportStore::json);
    }

    List<ObjectNode> documents(UUID projectId) {
        return dsl.select(CONVERSATION_DOCUMENTS.fields()).from(CONVERSATION_DOCUMENTS)
                .join(CONVERSATIONS).on(CONVERSATIONS.ID.eq(CONVERSATION_DOCUMENTS.CONVERSATION_ID))
                .where(CONVERSATIONS.PROJECT_ID.eq(projectId))
                .orderBy(CONVERSATION_DOCUMENTS.CONVERSATION_ID, CONVERSATION_DOCUMENTS.FILE_ID)
                .fetch(ExportStore::json);
    }

    List<ObjectNode> artifacts(UUID projectId) {
        List<ObjectNode> artifacts = dsl.selectFrom(ARTIFACTS).where(ARTIFACTS.PROJECT_ID.eq(projectId))
                .orderBy(ARTIFACTS.ID).fetch(ExportStore::json);
        for (ObjectNode artifact : artifacts) {
            var versions = artifact.putArray("versions");
            dsl.selectFrom(ARTIFACT_VERSIONS)
                    .where(ARTIFACT_VERSIONS.ARTIFACT_ID.eq(UUID.fromString(artifact.get("id").asString())))
                    .orderBy(ARTIFACT_VERSIONS.VERSION)
                    .forEach(v -> versions.add(json(v)));
        }
        return artifacts;
    }

    List<ObjectNode> logs(UUID projectId) {
        return dsl.selectFrom(PROCESSING_LOGS).where(PROCESSING_LOGS.PROJECT_ID.eq(projectId))
                .orderBy(PROCESSING_LOGS.ID).fetch(ExportStore::json);
    }

    List<ObjectNode> tasks(UUID projectId) {
        return dsl.selectFrom(TASKS).where(TASKS.PROJECT_ID.eq(projectId)).orderBy(TASKS.ID).fetch(ExportStore::json);
    }

    static ObjectNode json(Record record) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (Field<?> field : record.fields()) {
            Object value = record.get(field);
            String name = field.getName();
            switch (value) {
                case null -> node.putNull(name);
                case UUID u -> node.put(name, u.toString());
                case Instant i -> node.put(name, i.toString());
                case JSON j -> node.set(name, MAPPER.readTree(j.data()));
                case Boolean b -> node.put(name, b);
                case Integer n -> node.put(name, n);
                case Long n -> node.put(name, n);
                case Number n -> node.put(name, n.longValue());
                default -> node.put(name, value.toString());
            }
        }
        return node;
    }

    static boolean isTable(Record record) {
        return record instanceof TableRecord<?>;
    }
}
