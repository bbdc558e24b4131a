package dev.parley.user;

import static dev.parley.db.Tables.USERS;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.parley.db.tables.records.UsersRecord;
import dev.parley.storage.JsonColumns;
import dev.parley.web.ApiEnum;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;

@Repository
class UserRepository {

    private final DSLContext dsl;

    UserRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    Optional<User> find(UUID id) {
        return dsl.selectFrom(USERS).where(USERS.ID.eq(id)).fetchOptional(UserRepository::toUser);
    }

    Optional<User> findByUsername(String username) {
        return dsl.selectFrom(USERS)
                .where(DSL.lower(USERS.USERNAME).eq(username.toLowerCase(java.util.Locale.ROOT)))
                .fetchOptional(UserRepository::toUser);
    }

    boolean any() {
        return dsl.fetchExists(USERS);
    }

    void insert(User user) {
        dsl.insertInto(USERS)
                .set(USERS.ID, user.id())
                .set(USERS.USERNAME, user.username())
                .set(USERS.EMAIL, user.email())
                .set(USERS.FULL_NAME, user.fullName())
                .set(USERS.PASSWORD_HASH, user.passwordHash())
                .set(USERS.ROLE, user.role().apiValue())
                .set(USERS.IS_ACTIVE, user.active())
                .set(USERS.IS_VERIFIED, user.verified())
                .set(USERS.PREFERENCES, JsonColumns.json(user.preferences()))
                .set(USERS.TOKEN_VERSION, user.tokenVersion())
                .set(USERS.CREATED_AT, user.createdAt())
                .set(USERS.UPDATED_AT, user.updatedAt())
                .execute();
    }

    void updateProfile(UUID id, String email, String fullName, JsonNode preferences, Instant now) {
        dsl.update(USERS)
                .set(USERS.EMAIL, email)
                .set(USERS.FULL_NAME, fullName)
                .set(USERS.PREFERENCES, JsonColumns.json(preferences))
                .set(USERS.UPDATED_AT, now)
                .where(USERS.ID.eq(id))
                .execute();
    }

    void updateRoleAndActive(UUID id, UserRole role, boolean active, Instant now) {
        dsl.update(USERS)
                .set(USERS.ROLE, role.apiValue())
                .set(USERS.IS_ACTIVE, active)
                .set(USERS.UPDATED_AT, now)
                .where(USERS.ID.eq(id))
                .execute();
    }

    void updatePassword(UUID id, String passwordHash, Instant now) {
        dsl.update(USERS)
                .set(USERS.PASSWORD_HASH, passwordHash)
                .set(USERS.UPDATED_AT, now)
                .where(USERS.ID.eq(id))
                .execute();
    }

    void bumpTokenVersion(UUID id) {
        dsl.update(USERS).set(USERS.TOKEN_VERSION, USERS.TOKEN_VERSION.plus(1)).where(USERS.ID.eq(id)).execute();
    }

    /**
     * Takes the row locks of the given users until the transaction ends (a no-op update locks
     * on PostgreSQL; SQLite's write transactions are serial anyway), in one statement so that
     * two transactions asking for the same pair cannot each hold half of it.
     */
    void lock(UUID... ids) {
        dsl.update(USERS).set(USERS.ID, USERS.ID).where(USERS.ID.in(ids)).execute();
    }

    void touchLogin(UUID id, Instant now) {
        dsl.update(USERS).set(USERS.LAST_LOGIN_AT, now).where(USERS.ID.eq(id)).execute();
    }

    /** Users in id order (ids are time-ordered, so oldest first), after the given id. */
    List<User> list(UUID after, int limit) {
        return dsl.selectFrom(USERS)
                .where(after == null ? DSL.noCondition() : USERS.ID.gt(after))
                .orderBy(USERS.ID)
                .limit(limit)
                .fetch(UserRepository::toUser);
    }

    long countActiveAdmins() {
        return dsl.fetchCount(USERS, USERS.ROLE.eq(UserRole.ADMIN.apiValue()).and(USERS.IS_ACTIVE.isTrue()));
    }

    private static User toUser(UsersRecord r) {
        return new User(r.getId(), r.getUsername(), r.getEmail(), r.getFullName(), r.getPasswordHash(),
                ApiEnum.parse(UserRole.class, r.getRole()), r.getIsActive(), r.getIsVerified(),
                JsonColumns.object(r.getPreferences()), r.getTokenVersion(), r.getCreatedAt(), r.getUpdatedAt(),
                r.getLastLoginAt());
    }
}
