package dev.parley.task;

import static dev.parley.db.Tables.CONVERSATIONS;
import static dev.parley.db.Tables.PROJECT_MEMBERS;
import static dev.parley.db.Tables.TASKS;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.parley.db.tables.records.TasksRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

@Repository
class TaskRepository {

    private final DSLContext dsl;

    TaskRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    void insert(Task t) {
        dsl.insertInto(TASKS).set(record(t)).execute();
    }

    Optional<Task> find(UUID id) {
        return dsl.selectFrom(TASKS).where(TASKS.ID.eq(id)).fetchOptional(TaskRepository::toTask);
    }

    /** Writes what a PATCH may change; owner, links and creation time stay. */
    void update(Task t) {
        dsl.update(TASKS)
                .set(TASKS.TITLE, t.title())
                .set(TASKS.DESCRIPTION, t.description())
                .set(TASKS.COMPLETED, t.completed())
                .set(TASKS.UPDATED_AT, t.updatedAt())
                .where(TASKS.ID.eq(t.id()))
                .execute();
    }

    void unlinkConversation(UUID conversationId, UUID projectId) {
        dsl.update(TASKS)
                .setNull(TASKS.CONVERSATION_ID)
                .where(TASKS.CONVERSATION_ID.eq(conversationId).and(TASKS.PROJECT_ID.eq(projectId)))
                .execute();
    }

    void delete(UUID id) {
        dsl.deleteFrom(TASKS).where(TASKS.ID.eq(id)).execute();
    }

    /**
     * The user's own tasks, newest first after the given id: those outside any project and
     * those in projects the user is still a member of (an admin sees all of its own).
     */
    List<Task> listForUser(UUID userId, boolean admin, Boolean completed, UUID conversationId, UUID afterId,
                           int limit) {
        Condition condition = TASKS.USER_ID.eq(userId);
        if (!admin) {
            condition = condition.and(TASKS.PROJECT_ID.isNull().or(TASKS.PROJECT_ID.in(
                    DSL.select(PROJECT_MEMBERS.PROJECT_ID).from(PROJECT_MEMBERS)
                            .where(PROJECT_MEMBERS.USER_ID.eq(userId)))));
        }
        return list(condition, completed, conversationId, afterId, limit);
    }

    /** Every task of the project, whoever made it, newest first after the given id. */
    List<Task> listForProject(UUID projectId, Boolean completed, UUID conversationId, UUID afterId, int limit) {
        return list(TASKS.PROJECT_ID.eq(projectId), completed, conversationId, afterId, limit);
    }

    private List<Task> list(Condition condition, Boolean completed, UUID conversationId, UUID afterId, int limit) {
        if (completed != null) {
            condition = condition.and(TASKS.COMPLETED.eq(completed));
        }
        if (conversationId != null) {
            condition = condition.and(TASKS.CONVERSATION_ID.eq(conversationId));
        }
        if (afterId != null) {
            condition = condition.and(TASKS.ID.lt(afterId));
        }
        return dsl.selectFrom(TASKS)
                .where(condition)
                .orderBy(TASKS.ID.desc())
                .limit(limit)
                .fetch(TaskRepository::toTask);
    }

    long countForProject(UUID projectId) {
        return dsl.fetchCount(TASKS, TASKS.PROJECT_ID.eq(projectId));
    }

    /** A conversation a task may point at, reduced to what the task needs to know. */
    record LinkedConversation(UUID id, UUID projectId) {
    }

    /**
     * The conversation, when it is not deleted and the user can see it: its own, or in a
     * project the user is a member of (an admin is a member of every project). This reads
     * the conversations table directly so that tasks do not wait on the conversation module.
     */
    Optional<LinkedConversation> visibleConversation(UUID conversationId, UUID userId, boolean admin) {
        Condition member = admin ? CONVERSATIONS.PROJECT_ID.isNotNull()
                : CONVERSATIONS.PROJECT_ID.in(DSL.select(PROJECT_MEMBERS.PROJECT_ID).from(PROJECT_MEMBERS)
                        .where(PROJECT_MEMBERS.USER_ID.eq(userId)));
        return dsl.select(CONVERSATIONS.ID, CONVERSATIONS.PROJECT_ID)
                .from(CONVERSATIONS)
                .where(CONVERSATIONS.ID.eq(conversationId))
                .and(CONVERSATIONS.DELETED_AT.isNull())
                .and(CONVERSATIONS.USER_ID.eq(userId).or(member))
                .fetchOptional(r -> new LinkedConversation(r.value1(), r.value2()));
    }

    private TasksRecord record(Task t) {
        TasksRecord r = dsl.newRecord(TASKS);
        r.setId(t.id());
        r.setUserId(t.userId());
        r.setProjectId(t.projectId());
        r.setConversationId(t.conversationId());
        r.setTitle(t.title());
        r.setDescription(t.description());
        r.setCompleted(t.completed());
        r.setCreatedAt(t.createdAt());
        r.setUpdatedAt(t.updatedAt());
        return r;
    }

    private static Task toTask(TasksRecord r) {
        return new Task(r.getId(), r.getUserId(), r.getProjectId(), r.getConversationId(), r.getTitle(),
                r.getDescription(), r.getCompleted(), r.getCreatedAt(), r.getUpdatedAt());
    }
}
