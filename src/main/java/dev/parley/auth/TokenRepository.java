package dev.parley.auth;

import static dev.parley.db.Tables.REFRESH_TOKENS;
import static dev.parley.db.Tables.REVOKED_ACCESS_TOKENS;
import static dev.parley.db.Tables.USERS;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import dev.parley.storage.CompiledStatements;
import dev.parley.user.UserRole;
import dev.parley.web.Caller;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

@Repository
class TokenRepository {

    private final DSLContext dsl;
    /** Runs on every authenticated request: rendered once (see {@link CompiledStatements}). */
    private final CompiledStatements.Statement liveCaller;

    TokenRepository(DSLContext dsl, CompiledStatements statements) {
        this.dsl = dsl;
        this.liveCaller = statements.compile(dsl.select(USERS.USERNAME, USERS.ROLE)
                .from(USERS)
                .where(USERS.ID.eq(DSL.param("user", USERS.ID))
                        .and(USERS.IS_ACTIVE.isTrue())
                        .and(USERS.TOKEN_VERSION.eq(DSL.param("version", USERS.TOKEN_VERSION)))
                        .and(DSL.notExists(DSL.selectOne().from(REVOKED_ACCESS_TOKENS)
                                .where(REVOKED_ACCESS_TOKENS.JTI.eq(DSL.param("jti", REVOKED_ACCESS_TOKENS.JTI)))))
                        .and(DSL.exists(DSL.selectOne().from(REFRESH_TOKENS)
                                .where(REFRESH_TOKENS.FAMILY_ID.eq(DSL.param("family", REFRESH_TOKENS.FAMILY_ID)))
                                .and(REFRESH_TOKENS.REVOKED_AT.isNull())
                                .and(REFRESH_TOKENS.EXPIRES_AT.gt(DSL.param("now", REFRESH_TOKENS.EXPIRES_AT)))))),
                "user", "version", "jti", "family", "now");
    }

    record RefreshToken(UUID id, UUID familyId, UUID userId, Instant expiresAt, Instant revokedAt) {
    }

    void insertRefresh(UUID id, UUID familyId, UUID userId, String tokenHash, Instant now, Instant expiresAt) {
        dsl.insertInto(REFRESH_TOKENS)
                .set(REFRESH_TOKENS.ID, id)
                .set(REFRESH_TOKENS.FAMILY_ID, familyId)
                .set(REFRESH_TOKENS.USER_ID, userId)
                .set(REFRESH_TOKENS.TOKEN_HASH, tokenHash)
                .set(REFRESH_TOKENS.CREATED_AT, now)
                .set(REFRESH_TOKENS.EXPIRES_AT, expiresAt)
                .execute();
    }

    Optional<RefreshToken> findRefresh(String tokenHash) {
        return dsl.select(REFRESH_TOKENS.ID, REFRESH_TOKENS.FAMILY_ID, REFRESH_TOKENS.USER_ID,
                        REFRESH_TOKENS.EXPIRES_AT, REFRESH_TOKENS.REVOKED_AT)
                .from(REFRESH_TOKENS)
                .where(REFRESH_TOKENS.TOKEN_HASH.eq(tokenHash))
                .fetchOptional(r -> new RefreshToken(r.value1(), r.value2(), r.value3(), r.value4(), r.value5()));
    }

    /** Revokes one refresh token unless already revoked; false when another request got there first. */
    boolean revokeRefresh(UUID id, Instant now) {
        return dsl.update(REFRESH_TOKENS)
                .set(REFRESH_TOKENS.REVOKED_AT, now)
                .where(REFRESH_TOKENS.ID.eq(id).and(REFRESH_TOKENS.REVOKED_AT.isNull()))
                .execute() == 1;
    }

    void revokeFamily(UUID familyId, Instant now) {
        dsl.update(REFRESH_TOKENS)
                .set(REFRESH_TOKENS.REVOKED_AT, now)
                .where(REFRESH_TOKENS.FAMILY_ID.eq(familyId).and(REFRESH_TOKENS.REVOKED_AT.isNull()))
                .execute();
    }

    void revokeAllOfUser(UUID userId, Instant now) {
        dsl.update(REFRESH_TOKENS)
                .set(REFRESH_TOKENS.REVOKED_AT, now)
                .where(REFRESH_TOKENS.USER_ID.eq(userId).and(REFRESH_TOKENS.REVOKED_AT.isNull()))
                .execute();
    }

    void revokeAccess(UUID jti, UUID userId, Instant expiresAt) {
        dsl.insertInto(REVOKED_ACCESS_TOKENS)
                .set(REVOKED_ACCESS_TOKENS.JTI, jti)
                .set(REVOKED_ACCESS_TOKENS.USER_ID, userId)
                .set(REVOKED_ACCESS_TOKENS.EXPIRES_AT, expiresAt)
                .onConflictDoNothing()
                .execute();
    }

    /**
     * The caller an access token stands for, if the token is live: its user exists, is
     * active and still at the token's version, its own jti is not revoked, and its refresh
     * family still has an unrevoked token (logging out or a detected reuse kills every access
     * token of the family at once). Every authenticated request asks this, so it is one
     * statement; it reads the user columns it needs rather than going through the users
     * module's full row.
     */
    Optional<Caller> liveCaller(UUID userId, int tokenVersion, UUID jti, UUID familyId, Instant now) {
        return liveCaller.fetchOptional(r -> new Caller(userId, r.get(USERS.USERNAME),
                UserRole.ADMIN.apiValue().equals(r.get(USERS.ROLE))), userId, tokenVersion, jti, familyId, now);
    }

    int deleteExpired(Instant now) {
        int revoked = dsl.deleteFrom(REVOKED_ACCESS_TOKENS).where(REVOKED_ACCESS_TOKENS.EXPIRES_AT.lt(now)).execute();
        return revoked + dsl.deleteFrom(REFRESH_TOKENS).where(REFRESH_TOKENS.EXPIRES_AT.lt(now)).execute();
    }
}
