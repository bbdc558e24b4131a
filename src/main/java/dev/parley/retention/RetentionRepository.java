package dev.parley.retention;

import static dev.parley.db.Tables.CONVERSATIONS;
import static dev.parley.db.Tables.IDEMPOTENCY_KEYS;

import java.time.Instant;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * The purge's deletes. Each is one statement that picks at most {@code batch} rows and
 * deletes them, so a batch is its own short transaction. The conversations table belongs to
 * the conversation module; deleting expired rows here keeps the retention rule in one place
 * and needs nothing from that module but the schema.
 */
@Repository
class RetentionRepository {

    private final DSLContext dsl;

    RetentionRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Deletes up to {@code batch} conversations soft-deleted before {@code cutoff}, oldest
     * first; their messages (and the tasks' links to them) follow by the foreign keys.
     * The outer condition repeats the cutoff so that a conversation restored meanwhile stays.
     */
    int purgeDeletedConversations(Instant cutoff, int batch) {
        return dsl.deleteFrom(CONVERSATIONS)
                .where(CONVERSATIONS.ID.in(DSL.select(CONVERSATIONS.ID).from(CONVERSATIONS)
                        .where(CONVERSATIONS.DELETED_AT.lt(cutoff))
                        .orderBy(CONVERSATIONS.DELETED_AT)
                        .limit(batch)))
                .and(CONVERSATIONS.DELETED_AT.lt(cutoff))
                .execute();
    }

    /** Deletes up to {@code batch} idempotency records made before {@code cutoff}. */
    int purgeIdempotencyKeys(Instant cutoff, int batch) {
        var keys = IDEMPOTENCY_KEYS.as("k");
        return dsl.deleteFrom(IDEMPOTENCY_KEYS)
                .where(DSL.row(IDEMPOTENCY_KEYS.SCOPE, IDEMPOTENCY_KEYS.IDEM_KEY).in(
                        DSL.select(keys.SCOPE, keys.IDEM_KEY).from(keys)
                                .where(keys.CREATED_AT.lt(cutoff))
                                .orderBy(keys.CREATED_AT)
                                .limit(batch)))
                .and(IDEMPOTENCY_KEYS.CREATED_AT.lt(cutoff))
                .execute();
    }
}
