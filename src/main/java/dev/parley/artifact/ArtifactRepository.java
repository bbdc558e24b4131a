package dev.parley.artifact;

import static dev.parley.db.Tables.ARTIFACTS;
import static dev.parley.db.Tables.ARTIFACT_VERSIONS;
import static dev.parley.db.Tables.CONVERSATIONS;
import static dev.parley.db.Tables.MESSAGES;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.parley.storage.JsonColumns;
import dev.parley.web.ApiEnum;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

@Repository
class ArtifactRepository {

    private final DSLContext dsl;

    ArtifactRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    void insert(Artifact a) {
        dsl.insertInto(ARTIFACTS)
                .set(ARTIFACTS.ID, a.id())
                .set(ARTIFACTS.PROJECT_ID, a.projectId())
                .set(ARTIFACTS.USER_ID, a.userId())
                .set(ARTIFACTS.CONVERSATION_ID, a.conversationId())
                .set(ARTIFACTS.MESSAGE_ID, a.messageId())
                .set(ARTIFACTS.NAME, a.name())
                .set(ARTIFACTS.KIND, a.kind().apiValue())
                .set(ARTIFACTS.VERSION, a.version())
                .set(ARTIFACTS.METADATA, JsonColumns.json(a.metadata()))
                .set(ARTIFACTS.CREATED_AT, a.createdAt())
                .set(ARTIFACTS.UPDATED_AT, a.updatedAt())
                .execute();
    }

    void insertVersion(UUID projectId, ArtifactVersion v, String content) {
        dsl.insertInto(ARTIFACT_VERSIONS)
                .set(ARTIFACT_VERSIONS.ARTIFACT_ID, v.artifactId())
                .set(ARTIFACT_VERSIONS.VERSION, v.version())
                .set(ARTIFACT_VERSIONS.PROJECT_ID, projectId)
                .set(ARTIFACT_VERSIONS.USER_ID, v.userId())
                .set(ARTIFACT_VERSIONS.MEDIA_TYPE, v.mediaType())
                .set(ARTIFACT_VERSIONS.CONTENT, content)
                .set(ARTIFACT_VERSIONS.SIZE_BYTES, v.sizeBytes())
                .set(ARTIFACT_VERSIONS.CREATED_AT, v.createdAt())
                .execute();
    }

    /** Takes the next version number; the row lock orders concurrent content changes. */
    int nextVersion(UUID id, Instant now) {
        return dsl.update(ARTIFACTS)
                .set(ARTIFACTS.VERSION, ARTIFACTS.VERSION.plus(1))
                .set(ARTIFACTS.UPDATED_AT, now)
                .where(ARTIFACTS.ID.eq(id))
                .returning(ARTIFACTS.VERSION)
                .fetchOne(ARTIFACTS.VERSION);
    }

    /** Changes what is not content: name, kind, links, metadata. */
    void updateDetails(Artifact a) {
        dsl.update(ARTIFACTS)
                .set(ARTIFACTS.NAME, a.name())
                .set(ARTIFACTS.KIND, a.kind().apiValue())
                .set(ARTIFACTS.CONVERSATION_ID, a.conversationId())
                .set(ARTIFACTS.MESSAGE_ID, a.messageId())
                .set(ARTIFACTS.METADATA, JsonColumns.json(a.metadata()))
                .set(ARTIFACTS.UPDATED_AT, a.updatedAt())
                .where(ARTIFACTS.ID.eq(a.id()))
                .execute();
    }

    boolean delete(UUID projectId, UUID id) {
        return dsl.deleteFrom(ARTIFACTS).where(ARTIFACTS.ID.eq(id).and(ARTIFACTS.PROJECT_ID.eq(projectId)))
                .execute() == 1;
    }

    /** The artifact with the content of its current version. */
    Optional<Artifact> find(UUID projectId, UUID id) {
        return dsl.select(ARTIFACTS.fields()).select(ARTIFACT_VERSIONS.MEDIA_TYPE, ARTIFACT_VERSIONS.CONTENT,
                        ARTIFACT_VERSIONS.SIZE_BYTES)
                .from(ARTIFACTS)
                .join(ARTIFACT_VERSIONS).on(ARTIFACT_VERSIONS.ARTIFACT_ID.eq(ARTIFACTS.ID)
                        .and(ARTIFACT_VERSIONS.VERSION.eq(ARTIFACTS.VERSION)))
                .where(ARTIFACTS.ID.eq(id).and(ARTIFACTS.PROJECT_ID.eq(projectId)))
                .fetchOptional(r -> toArtifact(r, r.get(ARTIFACT_VERSIONS.CONTENT)));
    }

    /** A project's artifacts, most recently updated first, without content. */
    List<Artifact> list(UUID projectId, ArtifactKind kind, UUID conversationId, UpdatedKey after, int limit) {
        return dsl.select(ARTIFACTS.fields()).select(ARTIFACT_VERSIONS.MEDIA_TYPE, ARTIFACT_VERSIONS.SIZE_BYTES)
                .from(ARTIFACTS)
                .join(ARTIFACT_VERSIONS).on(ARTIFACT_VERSIONS.ARTIFACT_ID.eq(ARTIFACTS.ID)
                        .and(ARTIFACT_VERSIONS.VERSION.eq(ARTIFACTS.VERSION)))
                .where(ARTIFACTS.PROJECT_ID.eq(projectId))
                .and(kind == null ? DSL.noCondition() : ARTIFACTS.KIND.eq(kind.apiValue()))
                .and(conversationId == null ? DSL.noCondition() : ARTIFACTS.CONVERSATION_ID.eq(conversationId))
                .and(after == null ? DSL.noCondition()
                        : DSL.row(ARTIFACTS.UPDATED_AT, ARTIFACTS.ID).lt(after.updatedAt(), after.id()))
                .orderBy(ARTIFACTS.UPDATED_AT.desc(), ARTIFACTS.ID.desc())
                .limit(limit)
                .fetch(r -> toArtifact(r, null));
    }

    record UpdatedKey(Instant updatedAt, UUID id) {
    }

    /** Every version, newest first, without content (the caller fetches what fits a page). */
    List<ArtifactVersion> versions(UUID artifactId, Integer beforeVersion, int limit) {
        return dsl.select(ARTIFACT_VERSIONS.ARTIFACT_ID, ARTIFACT_VERSIONS.VERSION, ARTIFACT_VERSIONS.MEDIA_TYPE,
                        ARTIFACT_VERSIONS.SIZE_BYTES, ARTIFACT_VERSIONS.USER_ID, ARTIFACT_VERSIONS.CREATED_AT)
                .from(ARTIFACT_VERSIONS)
                .where(ARTIFACT_VERSIONS.ARTIFACT_ID.eq(artifactId))
                .and(beforeVersion == null ? DSL.noCondition() : ARTIFACT_VERSIONS.VERSION.lt(beforeVersion))
                .orderBy(ARTIFACT_VERSIONS.VERSION.desc())
                .limit(limit)
                .fetch(r -> new ArtifactVersion(r.value1(), r.value2(), r.value3(), null, r.value4(), r.value5(),
                        r.value6()));
    }

    /** The content of each of the given versions of the artifact, by version number. */
    Map<Integer, String> contents(UUID artifactId, List<Integer> versions) {
        return dsl.select(ARTIFACT_VERSIONS.VERSION, ARTIFACT_VERSIONS.CONTENT)
                .from(ARTIFACT_VERSIONS)
                .where(ARTIFACT_VERSIONS.ARTIFACT_ID.eq(artifactId).and(ARTIFACT_VERSIONS.VERSION.in(versions)))
                .fetchMap(ARTIFACT_VERSIONS.VERSION, ARTIFACT_VERSIONS.CONTENT);
    }

    Optional<ArtifactVersion> version(UUID artifactId, int version) {
        return dsl.selectFrom(ARTIFACT_VERSIONS)
                .where(ARTIFACT_VERSIONS.ARTIFACT_ID.eq(artifactId).and(ARTIFACT_VERSIONS.VERSION.eq(version)))
                .fetchOptional(r -> new ArtifactVersion(r.getArtifactId(), r.getVersion(), r.getMediaType(),
                        r.getContent(), r.getSizeBytes(), r.getUserId(), r.getCreatedAt()));
    }

    void unlinkConversation(UUID conversationId, UUID projectId) {
        dsl.update(ARTIFACTS)
                .setNull(ARTIFACTS.CONVERSATION_ID)
                .setNull(ARTIFACTS.MESSAGE_ID)
                .where(ARTIFACTS.CONVERSATION_ID.eq(conversationId).and(ARTIFACTS.PROJECT_ID.eq(projectId)))
                .execute();
    }

    /** Whether the conversation is a live one of the project. */
    boolean conversationInProject(UUID conversationId, UUID projectId) {
        return dsl.fetchExists(CONVERSATIONS, CONVERSATIONS.ID.eq(conversationId)
                .and(CONVERSATIONS.PROJECT_ID.eq(projectId)).and(CONVERSATIONS.DELETED_AT.isNull()));
    }

    /** The conversation of a message of the project, if it is one. */
    Optional<UUID> messageConversation(UUID messageId, UUID projectId) {
        return dsl.select(MESSAGES.CONVERSATION_ID).from(MESSAGES)
                .join(CONVERSATIONS).on(CONVERSATIONS.ID.eq(MESSAGES.CONVERSATION_ID))
                .where(MESSAGES.ID.eq(messageId).and(CONVERSATIONS.PROJECT_ID.eq(projectId))
                        .and(CONVERSATIONS.DELETED_AT.isNull()))
                .fetchOptional(MESSAGES.CONVERSATION_ID);
    }

    long countForProject(UUID projectId) {
        return dsl.fetchCount(ARTIFACTS, ARTIFACTS.PROJECT_ID.eq(projectId));
    }

    private static Artifact toArtifact(Record r, String content) {
        return new Artifact(r.get(ARTIFACTS.ID), r.get(ARTIFACTS.PROJECT_ID), r.get(ARTIFACTS.USER_ID),
                r.get(ARTIFACTS.CONVERSATION_ID), r.get(ARTIFACTS.MESSAGE_ID), r.get(ARTIFACTS.NAME),
                ApiEnum.parse(ArtifactKind.class, r.get(ARTIFACTS.KIND)), r.get(ARTIFACT_VERSIONS.MEDIA_TYPE), content,
                r.get(ARTIFACT_VERSIONS.SIZE_BYTES), r.get(ARTIFACTS.VERSION),
                JsonColumns.object(r.get(ARTIFACTS.METADATA)), r.get(ARTIFACTS.CREATED_AT),
                r.get(ARTIFACTS.UPDATED_AT));
    }
}
