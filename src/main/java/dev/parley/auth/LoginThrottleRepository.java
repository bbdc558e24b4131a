package dev.parley.auth;

import static dev.parley.db.Tables.LOGIN_THROTTLE;

import java.time.Instant;
import java.util.Optional;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

@Repository
class LoginThrottleRepository {

    private final DSLContext dsl;

    LoginThrottleRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    record Throttle(int failures, Instant windowStart, Instant lockedUntil) {
    }

    Optional<Throttle> find(String usernameKey) {
        return dsl.select(LOGIN_THROTTLE.FAILURES, LOGIN_THROTTLE.WINDOW_START, LOGIN_THROTTLE.LOCKED_UNTIL)
                .from(LOGIN_THROTTLE)
                .where(LOGIN_THROTTLE.USERNAME_KEY.eq(usernameKey))
                .fetchOptional(r -> new Throttle(r.value1(), r.value2(), r.value3()));
    }

    /**
     * Counts one failure in a single statement, so that failures arriving in parallel are all
     * counted: a window that started before {@code staleBefore} starts over at {@code now}.
     */
    void addFailure(String usernameKey, Instant now, Instant staleBefore) {
        Condition stale = LOGIN_THROTTLE.WINDOW_START.lt(staleBefore);
        dsl.insertInto(LOGIN_THROTTLE)
                .set(LOGIN_THROTTLE.USERNAME_KEY, usernameKey)
                .set(LOGIN_THROTTLE.FAILURES, 1)
                .set(LOGIN_THROTTLE.WINDOW_START, now)
                .onConflict(LOGIN_THROTTLE.USERNAME_KEY)
                .doUpdate()
                .set(LOGIN_THROTTLE.FAILURES, DSL.when(stale, DSL.inline(1)).otherwise(LOGIN_THROTTLE.FAILURES.plus(1)))
                .set(LOGIN_THROTTLE.WINDOW_START,
                        DSL.when(stale, DSL.val(now, LOGIN_THROTTLE.WINDOW_START)).otherwise(LOGIN_THROTTLE.WINDOW_START))
                .execute();
    }

    void lock(String usernameKey, Instant until) {
        dsl.update(LOGIN_THROTTLE)
                .set(LOGIN_THROTTLE.LOCKED_UNTIL, until)
                .where(LOGIN_THROTTLE.USERNAME_KEY.eq(usernameKey))
                .execute();
    }

    void clear(String usernameKey) {
        dsl.deleteFrom(LOGIN_THROTTLE).where(LOGIN_THROTTLE.USERNAME_KEY.eq(usernameKey)).execute();
    }

    int deleteStale(Instant before) {
        return dsl.deleteFrom(LOGIN_THROTTLE)
                .where(LOGIN_THROTTLE.WINDOW_START.lt(before))
                .and(LOGIN_THROTTLE.LOCKED_UNTIL.isNull().or(LOGIN_THROTTLE.LOCKED_UNTIL.lt(before)))
                .execute();
    }
}
