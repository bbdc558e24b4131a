package dev.parley.web;

import static dev.parley.db.Tables.IDEMPOTENCY_KEYS;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

@Repository
class IdempotencyRepository {

    private final DSLContext dsl;

    IdempotencyRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Whose keys these are: a signed-in user's, or, for an anonymous request (register, login,
     * refresh), that one request's: its fingerprint stands in for the caller.
     */
    record Scope(String name, UUID userId) {

        static Scope of(UUID userId) {
            return new Scope("user:" + userId, userId);
        }

        static Scope anonymous(String requestHash) {
            return new Scope("anonymous:" + requestHash, null);
        }
    }

    /** A stored key: the request it was first used with and, once finished, the answer given. */
    record StoredKey(String method, String path, String requestHash, Integer status, String contentType,
                     String location, String responseBody, Instant createdAt) {
    }

    /** Claims the key for a request now starting; false when the key is already taken. */
    boolean claim(Scope scope, String key, String method, String path, String requestHash, Instant now) {
        return dsl.insertInto(IDEMPOTENCY_KEYS)
                .set(IDEMPOTENCY_KEYS.SCOPE, scope.name())
                .set(IDEMPOTENCY_KEYS.USER_ID, scope.userId())
                .set(IDEMPOTENCY_KEYS.IDEM_KEY, key)
                .set(IDEMPOTENCY_KEYS.METHOD, method)
                .set(IDEMPOTENCY_KEYS.PATH, path)
                .set(IDEMPOTENCY_KEYS.REQUEST_HASH, requestHash)
                .set(IDEMPOTENCY_KEYS.CREATED_AT, now)
                .onConflictDoNothing()
                .execute() == 1;
    }

    Optional<StoredKey> find(Scope scope, String key) {
        return dsl.select(IDEMPOTENCY_KEYS.METHOD, IDEMPOTENCY_KEYS.PATH, IDEMPOTENCY_KEYS.REQUEST_HASH,
                        IDEMPOTENCY_KEYS.STATUS, IDEMPOTENCY_KEYS.CONTENT_TYPE, IDEMPOTENCY_KEYS.LOCATION,
                        IDEMPOTENCY_KEYS.RESPONSE_BODY, IDEMPOTENCY_KEYS.CREATED_AT)
                .from(IDEMPOTENCY_KEYS)
                .where(IDEMPOTENCY_KEYS.SCOPE.eq(scope.name()).and(IDEMPOTENCY_KEYS.IDEM_KEY.eq(key)))
                .fetchOptional(r -> new StoredKey(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(),
                        r.value6(), r.value7(), r.value8()));
    }

    void complete(Scope scope, String key, int status, String contentType, String location, String body) {
        dsl.update(IDEMPOTENCY_KEYS)
                .set(IDEMPOTENCY_KEYS.STATUS, status)
                .set(IDEMPOTENCY_KEYS.CONTENT_TYPE, contentType)
                .set(IDEMPOTENCY_KEYS.LOCATION, location)
                .set(IDEMPOTENCY_KEYS.RESPONSE_BODY, body)
                .where(IDEMPOTENCY_KEYS.SCOPE.eq(scope.name()).and(IDEMPOTENCY_KEYS.IDEM_KEY.eq(key)))
                .execute();
    }

    void release(Scope scope, String key) {
        dsl.deleteFrom(IDEMPOTENCY_KEYS)
                .where(IDEMPOTENCY_KEYS.SCOPE.eq(scope.name()).and(IDEMPOTENCY_KEYS.IDEM_KEY.eq(key)))
                .execute();
    }
}
