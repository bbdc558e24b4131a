package dev.parley.auth;

import java.util.List;

import dev.parley.web.ErrorCode;
import dev.parley.web.ProblemWriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Who may call what: the auth routes, health and the API description are public; metrics
 * are for admins; everything else needs a live access token. Stateless (no session, no
 * CSRF cookie), CORS closed unless origins are configured, and every failure is a problem
 * document.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /**
     * No observation per security filter: with the actuator present Spring Security wraps
     * every filter of the chain in a Micrometer observation, which cost more CPU on each
     * request than the authentication itself. The request as a whole is still timed
     * ({@code http.server.requests}).
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    }

    @Bean
    // the import command runs without a web server, and so without a filter chain
    @org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication
    SecurityFilterChain api(HttpSecurity http, AuthService auth, ProblemWriter problems, AuthProperties properties)
            throws Exception {
        http
                .csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .cors(cors -> cors.configurationSource(cors(properties)))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(
                                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                        + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)))
                .addFilterBefore(new BearerTokenFilter(auth), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.POST, "/api/v1/auth/register", "/api/v1/auth/login",
                                "/api/v1/auth/refresh").permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/v1/health", "/api/v1/openapi.json",
                                "/api/v1/openapi.json/**", "/api/v1/docs", "/api/v1/docs/**",
                                // the docs page redirects to its assets under the API base path
                                "/api/v1/swagger-ui/**", "/swagger-ui/**", "/swagger-ui.html").permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers("/metrics").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> {
                            boolean badToken = request.getAttribute(BearerTokenFilter.FAILURE_ATTRIBUTE) != null;
                            response.setHeader("WWW-Authenticate", badToken
                                    ? "Bearer error=\"invalid_token\"" : "Bearer");
                            problems.write(request, response, badToken ? ErrorCode.INVALID_TOKEN : ErrorCode.UNAUTHORIZED,
                                    badToken ? "the access token is invalid, expired or revoked"
                                            : "an access token is required");
                        })
                        .accessDeniedHandler((request, response, e) ->
                                problems.write(request, response, ErrorCode.FORBIDDEN, "this needs the admin role")));
        return http.build();
    }

    private static CorsConfigurationSource cors(AuthProperties properties) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        List<String> origins = properties.allowedOrigins().stream().filter(origin -> !origin.isBlank()).toList();
        if (!origins.isEmpty()) {
            CorsConfiguration config = new CorsConfiguration();
            config.setAllowedOrigins(origins);
            config.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
            config.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key", "If-None-Match", "Range"));
            config.setExposedHeaders(List.of("Location", "ETag", "Retry-After"));
            config.setMaxAge(3600L);
            source.registerCorsConfiguration("/api/**", config);
        }
        return source;
    }
}
