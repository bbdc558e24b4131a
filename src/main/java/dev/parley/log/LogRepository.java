package dev.parley.log;

import static dev.parley.db.Tables.PROCESSING_LOGS;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.parley.db.tables.records.ProcessingLogsRecord;
import dev.parley.storage.JsonColumns;
import dev.parley.web.ApiEnum;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

@Repository
class LogRepository {

    private final DSLContext dsl;

    LogRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    void insert(ProcessingLog log, UUID userId) {
        dsl.insertInto(PROCESSING_LOGS)
                .set(PROCESSING_LOGS.ID, log.id())
                .set(PROCESSING_LOGS.PROJECT_ID, log.projectId())
                .set(PROCESSING_LOGS.USER_ID, userId)
                .set(PROCESSING_LOGS.VERSION, log.version())
                .set(PROCESSING_LOGS.LOG_LEVEL, log.level().apiValue())
                .set(PROCESSING_LOGS.SUMMARY, log.summary())
                .set(PROCESSING_LOGS.FILE_ID, log.fileId())
                .set(PROCESSING_LOGS.METADATA, JsonColumns.json(log.metadata()))
                .set(PROCESSING_LOGS.CREATED_AT, log.createdAt())
                .execute();
    }

    /** Newest first; ids are time-ordered, so the id alone is the keyset. */
    List<ProcessingLog> list(UUID projectId, Integer version, LogLevel level, UUID afterId, int limit) {
        return dsl.selectFrom(PROCESSING_LOGS)
                .where(PROCESSING_LOGS.PROJECT_ID.eq(projectId))
                .and(version == null ? DSL.noCondition() : PROCESSING_LOGS.VERSION.eq(version))
                .and(level == null ? DSL.noCondition() : PROCESSING_LOGS.LOG_LEVEL.eq(level.apiValue()))
                .and(afterId == null ? DSL.noCondition() : PROCESSING_LOGS.ID.lt(afterId))
                .orderBy(PROCESSING_LOGS.ID.desc())
                .limit(limit)
                .fetch(LogRepository::toLog);
    }

    long countForProject(UUID projectId) {
        return dsl.fetchCount(PROCESSING_LOGS, PROCESSING_LOGS.PROJECT_ID.eq(projectId));
    }

    /** Deletes up to {@code batch} entries made before {@code cutoff}, oldest first. */
    int purge(Instant cutoff, int batch) {
        var old = PROCESSING_LOGS.as("old");
        return dsl.deleteFrom(PROCESSING_LOGS)
                .where(PROCESSING_LOGS.ID.in(DSL.select(old.ID).from(old)
                        .where(old.CREATED_AT.lt(cutoff))
                        .orderBy(old.CREATED_AT)
                        .limit(batch)))
                .and(PROCESSING_LOGS.CREATED_AT.lt(cutoff))
                .execute();
    }

    private static ProcessingLog toLog(ProcessingLogsRecord r) {
        return new ProcessingLog(r.getId(), r.getProjectId(), r.getVersion(),
                ApiEnum.parse(LogLevel.class, r.getLogLevel()), r.getSummary(), r.getFileId(),
                JsonColumns.object(r.getMetadata()), r.getCreatedAt());
    }
}
