package dev.parley.project;

import static dev.parley.db.Tables.PROJECTS;
import static dev.parley.db.Tables.PROJECT_MEMBERS;
import static dev.parley.db.Tables.USERS;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.parley.db.tables.records.ProjectsRecord;
import dev.parley.storage.CompiledStatements;
import dev.parley.storage.JsonColumns;
import dev.parley.web.ApiEnum;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

@Repository
class ProjectRepository {

    private final DSLContext dsl;
    // every request on a project's data asks these: rendered once (see CompiledStatements)
    private final CompiledStatements.Statement exists;
    private final CompiledStatements.Statement memberRole;

    ProjectRepository(DSLContext dsl, CompiledStatements statements) {
        this.dsl = dsl;
        this.exists = statements.compile(dsl.selectOne().from(PROJECTS)
                .where(PROJECTS.ID.eq(DSL.param("id", PROJECTS.ID))), "id");
        this.memberRole = statements.compile(dsl.select(PROJECT_MEMBERS.ROLE)
                .from(PROJECT_MEMBERS)
                .where(PROJECT_MEMBERS.PROJECT_ID.eq(DSL.param("project", PROJECT_MEMBERS.PROJECT_ID))
                        .and(PROJECT_MEMBERS.USER_ID.eq(DSL.param("user", PROJECT_MEMBERS.USER_ID)))),
                "project", "user");
    }

    void insert(Project p) {
        dsl.insertInto(PROJECTS).set(record(p)).execute();
    }

    void update(Project p) {
        ProjectsRecord record = record(p);
        record.changed(PROJECTS.ID, false);
        record.changed(PROJECTS.USER_ID, false);
        record.changed(PROJECTS.CREATED_AT, false);
        record.changed(PROJECTS.TOKEN_USAGE, false);
        dsl.update(PROJECTS).set(record).where(PROJECTS.ID.eq(p.id())).execute();
    }

    Optional<Project> find(UUID id) {
        return dsl.selectFrom(PROJECTS).where(PROJECTS.ID.eq(id)).fetchOptional(ProjectRepository::toProject);
    }

    boolean exists(UUID id) {
        return exists.fetchOptional(r -> Boolean.TRUE, id).isPresent();
    }

    /**
     * Takes the project's row lock until the transaction ends, so that read-modify-write changes
     * of one project (its settings, its members) run one at a time: a no-op update locks the row
     * on PostgreSQL, and SQLite's write transactions are serial anyway.
     */
    void lock(UUID id) {
        dsl.update(PROJECTS).set(PROJECTS.ID, PROJECTS.ID).where(PROJECTS.ID.eq(id)).execute();
    }

    void delete(UUID id) {
        dsl.deleteFrom(PROJECTS).where(PROJECTS.ID.eq(id)).execute();
    }

    /** Unsets the user's default project, except the given one, so that another can become it. */
    void clearDefault(UUID userId, UUID except, Instant now) {
        dsl.update(PROJECTS)
                .set(PROJECTS.IS_DEFAULT, false)
                .set(PROJECTS.UPDATED_AT, now)
                .where(PROJECTS.USER_ID.eq(userId).and(PROJECTS.IS_DEFAULT.isTrue()).and(PROJECTS.ID.ne(except)))
                .execute();
    }

    /** Adds to the budget counter in place, so concurrent additions never lose one. */
    void addTokenUsage(UUID id, long tokens) {
        dsl.update(PROJECTS).set(PROJECTS.TOKEN_USAGE, PROJECTS.TOKEN_USAGE.plus(tokens)).where(PROJECTS.ID.eq(id))
                .execute();
    }

    Optional<ProjectRole> memberRole(UUID projectId, UUID userId) {
        return memberRole.fetchOptional(r -> ApiEnum.parse(ProjectRole.class, r.get(PROJECT_MEMBERS.ROLE)),
                projectId, userId);
    }

    /**
     * The caller's projects, pinned first, then most recently updated, keyset-paginated on
     * (pinned, updated_at, id) all descending.
     */
    List<Project> listForMember(UUID userId, Boolean archived, Boolean pinned, ProjectKey after, int limit) {
        Condition condition = PROJECTS.ID.in(DSL.select(PROJECT_MEMBERS.PROJECT_ID).from(PROJECT_MEMBERS)
                .where(PROJECT_MEMBERS.USER_ID.eq(userId)));
        if (archived != null) {
            condition = condition.and(PROJECTS.ARCHIVED.eq(archived));
        }
        if (pinned != null) {
            condition = condition.and(PROJECTS.PINNED.eq(pinned));
        }
        if (after != null) {
            condition = condition.and(DSL.row(PROJECTS.PINNED, PROJECTS.UPDATED_AT, PROJECTS.ID)
                    .lt(after.pinned(), after.updatedAt(), after.id()));
        }
        return dsl.selectFrom(PROJECTS)
                .where(condition)
                .orderBy(PROJECTS.PINNED.desc(), PROJECTS.UPDATED_AT.desc(), PROJECTS.ID.desc())
                .limit(limit)
                .fetch(ProjectRepository::toProject);
    }

    record ProjectKey(boolean pinned, Instant updatedAt, UUID id) {
    }

    void upsertMember(UUID projectId, UUID userId, ProjectRole role, Instant now) {
        dsl.insertInto(PROJECT_MEMBERS)
                .set(PROJECT_MEMBERS.PROJECT_ID, projectId)
                .set(PROJECT_MEMBERS.USER_ID, userId)
                .set(PROJECT_MEMBERS.ROLE, role.apiValue())
                .set(PROJECT_MEMBERS.CREATED_AT, now)
                .onConflict(PROJECT_MEMBERS.PROJECT_ID, PROJECT_MEMBERS.USER_ID)
                .doUpdate()
                .set(PROJECT_MEMBERS.ROLE, role.apiValue())
                .execute();
    }

    boolean deleteMember(UUID projectId, UUID userId) {
        return dsl.deleteFrom(PROJECT_MEMBERS)
                .where(PROJECT_MEMBERS.PROJECT_ID.eq(projectId).and(PROJECT_MEMBERS.USER_ID.eq(userId)))
                .execute() == 1;
    }

    int countOwners(UUID projectId) {
        return dsl.fetchCount(PROJECT_MEMBERS,
                PROJECT_MEMBERS.PROJECT_ID.eq(projectId).and(PROJECT_MEMBERS.ROLE.eq(ProjectRole.OWNER.apiValue())));
    }

    Optional<ProjectMember> member(UUID projectId, UUID userId) {
        return dsl.select(PROJECT_MEMBERS.PROJECT_ID, PROJECT_MEMBERS.USER_ID, USERS.USERNAME, PROJECT_MEMBERS.ROLE,
                        PROJECT_MEMBERS.CREATED_AT)
                .from(PROJECT_MEMBERS).join(USERS).on(USERS.ID.eq(PROJECT_MEMBERS.USER_ID))
                .where(PROJECT_MEMBERS.PROJECT_ID.eq(projectId).and(PROJECT_MEMBERS.USER_ID.eq(userId)))
                .fetchOptional(r -> new ProjectMember(r.value1(), r.value2(), r.value3(),
                        ApiEnum.parse(ProjectRole.class, r.value4()), r.value5()));
    }

    /** Members in user-id order, after the given user id. */
    List<ProjectMember> members(UUID projectId, UUID afterUserId, int limit) {
        return dsl.select(PROJECT_MEMBERS.PROJECT_ID, PROJECT_MEMBERS.USER_ID, USERS.USERNAME, PROJECT_MEMBERS.ROLE,
                        PROJECT_MEMBERS.CREATED_AT)
                .from(PROJECT_MEMBERS).join(USERS).on(USERS.ID.eq(PROJECT_MEMBERS.USER_ID))
                .where(PROJECT_MEMBERS.PROJECT_ID.eq(projectId))
                .and(afterUserId == null ? DSL.noCondition() : PROJECT_MEMBERS.USER_ID.gt(afterUserId))
                .orderBy(PROJECT_MEMBERS.USER_ID)
                .limit(limit)
                .fetch(r -> new ProjectMember(r.value1(), r.value2(), r.value3(),
                        ApiEnum.parse(ProjectRole.class, r.value4()), r.value5()));
    }

    private ProjectsRecord record(Project p) {
        ProjectsRecord r = dsl.newRecord(PROJECTS);
        r.setId(p.id());
        r.setUserId(p.userId());
        r.setName(p.name());
        r.setDescription(p.description());
        r.setGoals(p.goals());
        r.setCustomInstructions(p.customInstructions());
        r.setDefaultModel(p.defaultModel());
        r.setStatus(p.status().apiValue());
        r.setCurrentVersion(p.currentVersion());
        r.setPinned(p.pinned());
        r.setArchived(p.archived());
        r.setIsDefault(p.isDefault());
        r.setTokenUsage(p.tokenUsage());
        r.setMaxTokens(p.maxTokens());
        r.setMetadata(JsonColumns.json(p.metadata()));
        r.setCreatedAt(p.createdAt());
        r.setUpdatedAt(p.updatedAt());
        return r;
    }

    private static Project toProject(ProjectsRecord r) {
        return new Project(r.getId(), r.getUserId(), r.getName(), r.getDescription(), r.getGoals(),
                r.getCustomInstructions(), r.getDefaultModel(), ApiEnum.parse(ProjectStatus.class, r.getStatus()),
                r.getCurrentVersion(), r.getPinned(), r.getArchived(), r.getIsDefault(), r.getTokenUsage(),
                r.getMaxTokens(), JsonColumns.object(r.getMetadata()), r.getCreatedAt(), r.getUpdatedAt());
    }
}
