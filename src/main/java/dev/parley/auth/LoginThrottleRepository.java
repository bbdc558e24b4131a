package dev.parley.auth;

import static dev.parley.db.Tables.LOGIN_THROTTLE;

import java.time.Instant;
import java.util.Optional;

import org.jooq.DSLContext;
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

    void save(String usernameKey, Throttle throttle) {
        dsl.insertInto(LOGIN_THROTTLE)
                .set(LOGIN_THROTTLE.USERNAME_KEY, usernameKey)
                .set(LOGIN_THROTTLE.FAILURES, throttle.failures())
                .set(LOGIN_THROTTLE.WINDOW_START, throttle.windowStart())
                .set(LOGIN_THROTTLE.LOCKED_UNTIL, throttle.lockedUntil())
                .onConflict(LOGIN_THROTTLE.USERNAME_KEY)
                .doUpdate()
                .set(LOGIN_THROTTLE.FAILURES, throttle.failures())
                .set(LOGIN_THROTTLE.WINDOW_START, throttle.windowStart())
                .set(LOGIN_THROTTLE.LOCKED_UNTIL, throttle.lockedUntil())
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
