package dev.parley.auth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param openRegistration  whether anyone may register ({@code PARLEY_AUTH_OPENREGISTRATION}); the
 *                          first user of an empty instance may always register
 * @param accessTokenTtl    lifetime of an access token
 * @param refreshTokenTtl   lifetime of a refresh token
 * @param issuer            the {@code iss} of issued tokens
 * @param jwtSecret         base64 HMAC key (≥ 32 bytes) shared by a cluster; when empty a key is
 *                          generated into the data directory on first start
 * @param loginMaxFailures  failed logins for one username before it is locked
 * @param loginLockout      how long such a lock lasts
 * @param allowedOrigins    origins allowed by CORS; none by default
 */
@ConfigurationProperties("parley.auth")
record AuthProperties(@DefaultValue("true") boolean openRegistration,
                      @DefaultValue("15m") Duration accessTokenTtl,
                      @DefaultValue("30d") Duration refreshTokenTtl,
                      @DefaultValue("parley") String issuer,
                      @DefaultValue("") String jwtSecret,
                      @DefaultValue("5") int loginMaxFailures,
                      @DefaultValue("15m") Duration loginLockout,
                      @DefaultValue("") java.util.List<String> allowedOrigins) {
}
