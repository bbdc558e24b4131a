package dev.parley.user;

import java.util.UUID;

import dev.parley.web.Caller;
import dev.parley.web.ForbiddenException;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
class UserController {

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
    }

    @GetMapping("/me")
    UserResponse me(Caller caller) {
        return UserResponse.of(users.get(caller.userId()));
    }

    @PatchMapping("/me")
    UserResponse updateMe(Caller caller, @Valid @RequestBody UpdateMeRequest request) {
        return UserResponse.of(users.updateMe(caller, request));
    }

    @GetMapping("/admin/users")
    Page<UserResponse> list(Caller caller, PageRequest page) {
        requireAdmin(caller);
        return users.list(page).map(UserResponse::of);
    }

    @PatchMapping("/admin/users/{id}")
    UserResponse update(Caller caller, @PathVariable UUID id, @Valid @RequestBody AdminUpdateUserRequest request) {
        requireAdmin(caller);
        return UserResponse.of(users.adminUpdate(caller, id, request));
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.admin()) {
            throw new ForbiddenException("only an admin may manage users");
        }
    }
}
