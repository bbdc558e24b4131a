package dev.parley.auth;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** The bodies of the auth routes. */
final class AuthRequests {

    private AuthRequests() {
    }

    record Register(
            @NotNull @Size(min = 3, max = 100) @Pattern(regexp = "[A-Za-z0-9_.-]*",
                    message = "may contain only letters, digits, '_', '.' and '-'") String username,
            @NotNull @Size(min = 8, max = 256) String password,
            @Nullable @Email @Size(max = 320)
            @Pattern(regexp = "(?s).*\\S.*", message = "must be an email address") String email,
            @Nullable @Size(max = 200) String fullName) {
    }

    record Login(@NotBlank @Size(max = 100) String username, @NotNull @Size(max = 256) String password) {
    }

    record Refresh(@NotBlank @Size(max = 512) String refreshToken) {
    }

    record ChangePassword(@NotNull @Size(max = 256) String currentPassword,
                          @NotNull @Size(min = 8, max = 256) String newPassword) {
    }
}
