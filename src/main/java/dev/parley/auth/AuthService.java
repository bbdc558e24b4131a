package dev.parley.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import dev.parley.user.NewUser;
import dev.parley.user.User;
import dev.parley.user.UserDeactivated;
import dev.parley.user.UserService;
import dev.parley.web.ApiException;
import dev.parley.web.Caller;
import dev.parley.web.ConflictException;
import dev.parley.web.ErrorCode;
import dev.parley.web.Ids;
import dev.parley.web.TooManyRequestsException;
import dev.parley.web.ValidationException;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Credentials and sessions. A session is a refresh-token family: login starts one, each
 * refresh rotates its token, logout ends it, and presenting a token that was already
 * rotated away ends it too (someone else holds a copy). Access tokens live only as long as
 * their family and the user's token version.
 */
@Service
public class AuthService {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_USERNAME = 100;

    private final UserService users;
    private final TokenRepository tokens;
    private final LoginThrottleRepository throttle;
    private final AccessTokens accessTokens;
    private final PasswordEncoder passwords;
    private final AuthProperties properties;
    private final String dummyHash;

    AuthService(UserService users, TokenRepository tokens, LoginThrottleRepository throttle, AccessTokens accessTokens,
                PasswordEncoder passwords, AuthProperties properties) {
        this.users = users;
        this.tokens = tokens;
        this.throttle = throttle;
        this.accessTokens = accessTokens;
        this.passwords = passwords;
        this.properties = properties;
        // checked against when the username is unknown, so both failures take as long
        this.dummyHash = passwords.encode("parley-timing-equaliser");
    }

    @Transactional
    User register(AuthRequests.Register request) {
        // a closed instance still takes its very first user, who becomes its admin
        if (!properties.openRegistration() && users.anyUser()) {
            throw new ApiException(ErrorCode.REGISTRATION_CLOSED, "registration is closed on this server");
        }
        if (users.findByUsername(request.username()).isPresent()) {
            throw new ConflictException(ErrorCode.USERNAME_TAKEN, "the username " + request.username() + " is taken");
        }
        try {
            return users.create(new NewUser(request.username(), passwords.encode(request.password()),
                    request.email(), request.fullName(), true));
        } catch (DuplicateKeyException e) {
            throw new ConflictException(ErrorCode.USERNAME_TAKEN, "the username " + request.username() + " is taken");
        }
    }

    TokenPair login(AuthRequests.Login request) {
        String key = throttleKey(request.username());
        Instant now = Ids.now();
        Optional<LoginThrottleRepository.Throttle> state = throttle.find(key);
        if (state.isPresent() && state.get().lockedUntil() != null && state.get().lockedUntil().isAfter(now)) {
            long seconds = Math.max(1, Duration.between(now, state.get().lockedUntil()).toSeconds());
            throw new TooManyRequestsException(
                    "too many failed logins for this username; try again in " + seconds + " s", seconds);
        }
        Optional<User> user = users.findByUsername(request.username());
        boolean matches = passwords.matches(request.password(), user.map(User::passwordHash).orElse(dummyHash));
        if (user.isEmpty() || !matches) {
            recordFailure(key, now);
            throw new ApiException(ErrorCode.INVALID_CREDENTIALS, "the username or password is wrong");
        }
        if (!user.get().active()) {
            throw new ApiException(ErrorCode.ACCOUNT_INACTIVE, "this account has been deactivated");
        }
        if (state.isPresent()) {
            throttle.clear(key);
        }
        users.recordLogin(user.get().id());
        return startSession(user.get(), now);
    }

    /**
     * The name failures are counted under. Real usernames are ASCII and keep their length; other
     * text can grow when lower-cased ("İ" becomes two characters) and is cut to the column's size,
     * since no account can have such a name anyway.
     */
    private static String throttleKey(String username) {
        String key = username.toLowerCase(Locale.ROOT);
        return key.length() <= MAX_USERNAME ? key : key.substring(0, MAX_USERNAME);
    }

    private void recordFailure(String key, Instant now) {
        Duration window = properties.loginLockout();
        throttle.addFailure(key, now, now.minus(window));
        // read after the atomic increment: parallel failures can only have raised the count
        int failures = throttle.find(key).map(LoginThrottleRepository.Throttle::failures).orElse(1);
        if (failures >= properties.loginMaxFailures()) {
            throttle.lock(key, now.plus(window));
        }
    }

    // a detected reuse must stay revoked although the request fails
    @Transactional(noRollbackFor = ApiException.class)
    TokenPair refresh(AuthRequests.Refresh request) {
        Instant now = Ids.now();
        TokenRepository.RefreshToken token = tokens.findRefresh(hash(request.refreshToken()))
                .orElseThrow(AuthService::invalidRefresh);
        if (token.revokedAt() != null || !tokens.revokeRefresh(token.id(), now)) {
            // a rotated token came back: whoever holds it, the session is no longer safe
            tokens.revokeFamily(token.familyId(), now);
            throw invalidRefresh();
        }
        if (!token.expiresAt().isAfter(now)) {
            throw invalidRefresh();
        }
        User user = users.find(token.userId()).filter(User::active).orElseThrow(AuthService::invalidRefresh);
        return issue(user, token.familyId(), now);
    }

    @Transactional
    void logout(AuthenticatedToken token) {
        Instant now = Ids.now();
        tokens.revokeAccess(token.jti(), token.caller().userId(), token.expiresAt());
        tokens.revokeFamily(token.familyId(), now);
    }

    @Transactional
    void logoutAll(Caller caller) {
        users.revokeAllTokens(caller.userId());
        tokens.revokeAllOfUser(caller.userId(), Ids.now());
    }

    /** A deactivated user's sessions end for good: refresh tokens cannot outlive the deactivation. */
    @EventListener
    void on(UserDeactivated event) {
        tokens.revokeAllOfUser(event.userId(), Ids.now());
    }

    /**
     * Changes the password and ends every other session of the user: every refresh token is
     * revoked, and an access token is only accepted while its family has a live one. The
     * caller's session goes on with a fresh pair issued into its family (so its access token
     * keeps working); its old refresh token is spent like any rotated one, and presenting it
     * again revokes the family.
     */
    @Transactional
    TokenPair changePassword(AuthenticatedToken token, AuthRequests.ChangePassword request) {
        User user = users.get(token.caller().userId());
        if (!passwords.matches(request.currentPassword(), user.passwordHash())) {
            throw new ValidationException("current_password", "is not the current password");
        }
        users.changePassword(user.id(), passwords.encode(request.newPassword()));
        Instant now = Ids.now();
        tokens.revokeAllOfUser(user.id(), now);
        return issue(user, token.familyId(), now);
    }

    /**
     * The caller of a verified access token, or empty when the token is revoked, belongs to
     * an older token version, or its user is gone or deactivated.
     */
    Optional<AuthenticatedToken> authenticate(String bearer) {
        Instant now = Ids.now();
        return accessTokens.verify(bearer, now).flatMap(claims -> tokens
                .liveCaller(claims.userId(), claims.tokenVersion(), claims.jti(), claims.familyId(), now)
                .map(caller -> new AuthenticatedToken(caller, claims.jti(), claims.familyId(), claims.expiresAt())));
    }

    private TokenPair startSession(User user, Instant now) {
        return issue(user, Ids.newId(), now);
    }

    private TokenPair issue(User user, UUID familyId, Instant now) {
        String refresh = newRefreshToken();
        tokens.insertRefresh(Ids.newId(), familyId, user.id(), hash(refresh), now, now.plus(properties.refreshTokenTtl()));
        String access = accessTokens.issue(user.id(), user.tokenVersion(), familyId, now);
        return new TokenPair(access, refresh, "Bearer", properties.accessTokenTtl().toSeconds());
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void deleteExpired() {
        Instant now = Ids.now();
        tokens.deleteExpired(now);
        throttle.deleteStale(now.minus(properties.loginLockout()));
    }

    private static String newRefreshToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Refresh tokens are kept only as SHA-256: a copy of the database cannot be replayed. */
    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiException invalidRefresh() {
        return new ApiException(ErrorCode.INVALID_TOKEN, "the refresh token is invalid, expired or revoked");
    }
}
