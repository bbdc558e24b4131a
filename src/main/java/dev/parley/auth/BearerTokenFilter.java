package dev.parley.auth;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import dev.parley.web.Caller;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns {@code Authorization: Bearer <token>} into the request's authentication. A token that
 * fails any check leaves the request anonymous; protected routes then answer 401.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    static final String TOKEN_ATTRIBUTE = BearerTokenFilter.class.getName() + ".token";
    static final String FAILURE_ATTRIBUTE = BearerTokenFilter.class.getName() + ".failure";
    private static final int MAX_TOKEN_LENGTH = 4096;

    private final AuthService auth;

    BearerTokenFilter(AuthService auth) {
        this.auth = auth;
    }

    static AuthenticatedToken token(HttpServletRequest request) {
        return (AuthenticatedToken) request.getAttribute(TOKEN_ATTRIBUTE);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String bearer = header.substring(7).trim();
            var token = bearer.length() > MAX_TOKEN_LENGTH ? java.util.Optional.<AuthenticatedToken>empty()
                    : auth.authenticate(bearer);
            if (token.isPresent()) {
                request.setAttribute(TOKEN_ATTRIBUTE, token.get());
                request.setAttribute(Caller.REQUEST_ATTRIBUTE, token.get().caller());
                var authorities = token.get().caller().admin()
                        ? List.of(new SimpleGrantedAuthority("ROLE_USER"), new SimpleGrantedAuthority("ROLE_ADMIN"))
                        : List.of(new SimpleGrantedAuthority("ROLE_USER"));
                var authentication = UsernamePasswordAuthenticationToken.authenticated(token.get().caller(), null,
                        authorities);
                SecurityContextHolder.getContext().setAuthentication(authentication);
            } else {
                request.setAttribute(FAILURE_ATTRIBUTE, Boolean.TRUE);
            }
        }
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
