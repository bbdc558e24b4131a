package dev.parley.user;

import java.util.Optional;
import java.util.UUID;

import dev.parley.web.Caller;
import dev.parley.web.Cursor;
import dev.parley.web.ForbiddenException;
import dev.parley.web.Ids;
import dev.parley.web.JsonRules;
import dev.parley.web.NotFoundException;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import dev.parley.web.ValidationException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The users module's API: accounts and their state. The first account of an empty
 * instance is its admin.
 */
@Service
public class UserService {

    private final UserRepository users;
    private final ApplicationEventPublisher events;

    UserService(UserRepository users, ApplicationEventPublisher events) {
        this.users = users;
        this.events = events;
    }

    /** Creates a user; the first one becomes admin. A taken username is the caller's to report. */
    @Transactional
    public User create(NewUser request) {
        UserRole role = users.any() ? UserRole.USER : UserRole.ADMIN;
        var now = Ids.now();
        User user = new User(Ids.newId(), request.username(), request.email(), request.fullName(),
                request.passwordHash(), role, request.active(), false, JsonNodeFactory.instance.objectNode(), 0, now,
                now, null);
        users.insert(user);
        return user;
    }

    public boolean anyUser() {
        return users.any();
    }

    public Optional<User> find(UUID id) {
        return users.find(id);
    }

    public Optional<User> findByUsername(String username) {
        return users.findByUsername(username);
    }

    public User get(UUID id) {
        return users.find(id).orElseThrow(() -> new NotFoundException("user"));
    }

    public void recordLogin(UUID id) {
        users.touchLogin(id, Ids.now());
    }

    /** Sets a new password hash; which sessions end is the auth module's decision. */
    @Transactional
    public void changePassword(UUID id, String passwordHash) {
        users.updatePassword(id, passwordHash, Ids.now());
    }

    /** Invalidates every access token issued to the user so far. */
    public void revokeAllTokens(UUID id) {
        users.bumpTokenVersion(id);
    }

    @Transactional
    User updateMe(Caller caller, UpdateMeRequest request) {
        // the profile is written back whole: concurrent PATCHes of different fields must not undo each other
        users.lock(caller.userId());
        User user = get(caller.userId());
        JsonRules.requireObject("preferences", request.preferences());
        users.updateProfile(user.id(),
                request.clears("email") ? null : request.email() != null ? request.email() : user.email(),
                request.clears("full_name") ? null : request.fullName() != null ? request.fullName() : user.fullName(),
                request.preferences() != null ? request.preferences() : user.preferences(),
                Ids.now());
        return get(user.id());
    }

    Page<User> list(PageRequest page) {
        UUID after = page.after().map(cursor -> cursor.expect(1).uuid(0)).orElse(null);
        return Page.of(users.list(after, page.fetchSize()), page, user -> Cursor.of(user.id()));
    }

    @Transactional
    User adminUpdate(Caller admin, UUID id, AdminUpdateUserRequest request) {
        // The caller was an admin when its token was checked; two admins demoting each other at
        // once must not both succeed and leave the instance without one, so the pair takes turns
        // and the caller's role is read again under the lock.
        users.lock(admin.userId(), id);
        User caller = get(admin.userId());
        if (!caller.isAdmin() || !caller.active()) {
            throw new ForbiddenException("only an admin may manage users");
        }
        User user = get(id);
        UserRole role = request.role() != null ? request.role() : user.role();
        boolean active = request.active() != null ? request.active() : user.active();
        if (user.id().equals(admin.userId()) && (role != UserRole.ADMIN || !active)) {
            throw new ValidationException(request.role() != null ? "role" : "is_active",
                    "an admin cannot demote or deactivate themselves");
        }
        users.updateRoleAndActive(id, role, active, Ids.now());
        if (user.active() && !active) {
            // the token check refuses an inactive user already; this keeps the old tokens dead after a reactivation
            users.bumpTokenVersion(id);
            events.publishEvent(new UserDeactivated(id));
        }
        return get(id);
    }
}
