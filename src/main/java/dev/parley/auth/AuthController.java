package dev.parley.auth;

import java.net.URI;

import dev.parley.user.UserResponse;
import dev.parley.web.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
class AuthController {

    private final AuthService auth;

    AuthController(AuthService auth) {
        this.auth = auth;
    }

    @PostMapping("/auth/register")
    ResponseEntity<UserResponse> register(@Valid @RequestBody AuthRequests.Register request) {
        UserResponse user = UserResponse.of(auth.register(request));
        return ResponseEntity.created(URI.create("/api/v1/me")).body(user);
    }

    @PostMapping("/auth/login")
    TokenPair login(@Valid @RequestBody AuthRequests.Login request) {
        return auth.login(request);
    }

    @PostMapping("/auth/refresh")
    TokenPair refresh(@Valid @RequestBody AuthRequests.Refresh request) {
        return auth.refresh(request);
    }

    @PostMapping("/auth/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logout(HttpServletRequest request) {
        auth.logout(BearerTokenFilter.token(request));
    }

    @PostMapping("/auth/logout-all")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logoutAll(Caller caller) {
        auth.logoutAll(caller);
    }

    @PostMapping("/me/password")
    TokenPair changePassword(HttpServletRequest http, @Valid @RequestBody AuthRequests.ChangePassword request) {
        return auth.changePassword(BearerTokenFilter.token(http), request);
    }
}
