package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.config.ParleyProperties;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Forged and broken access tokens, security headers and CORS. Every forged token is made
 * next to a control token built the same way that does work, so a test cannot pass because
 * the forgery was clumsy.
 */
abstract class SecurityApiTests extends ApiTest {

    @Autowired
    ParleyProperties parley;

    private byte[] key() throws Exception {
        Path file = parley.dataDir().toAbsolutePath().resolve("keys").resolve("jwt-hs256.key");
        return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
    }

    private static Session bearer(String token) {
        return new Session(null, null, token, null);
    }

    private int me(String token) {
        return api.get("/api/v1/me", bearer(token)).status();
    }

    /** The claims of a real token of {@code user}, changed by {@code edit}. */
    private static JWTClaimsSet claims(Session user, Consumer<JWTClaimsSet.Builder> edit) throws Exception {
        JWTClaimsSet real = SignedJWT.parse(user.accessToken()).getJWTClaimsSet();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder(real).jwtID(UUID.randomUUID().toString());
        edit.accept(builder);
        return builder.build();
    }

    private static String sign(JWTClaimsSet claims, byte[] key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner(key));
        return jwt.serialize();
    }

    @Test
    void aTokenSignedWithTheServerKeyWorksSoTheForgeriesBelowAreFair() throws Exception {
        Session user = api.newUser("control");
        assertThat(me(sign(claims(user, b -> { }), key()))).isEqualTo(200);
    }

    @Test
    void anUnsignedTokenWithAlgNoneIs401() throws Exception {
        Session user = api.newUser("algnone");
        String none = new PlainJWT(claims(user, b -> { })).serialize();
        Response response = api.get("/api/v1/me", bearer(none));
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("invalid_token");
        assertThat(response.header("WWW-Authenticate")).contains("invalid_token");
        // the same claims with a signature part left empty or copied from a real token
        String copied = none + user.accessToken().substring(user.accessToken().lastIndexOf('.') + 1);
        assertThat(me(copied)).isEqualTo(401);
    }

    @Test
    void aTokenSignedWithAnotherKeyIs401() throws Exception {
        Session user = api.newUser("wrongkey");
        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        assertThat(me(sign(claims(user, b -> { }), other))).isEqualTo(401);
    }

    @Test
    void anExpiredTokenIs401() throws Exception {
        Session user = api.newUser("expired");
        Instant now = Instant.now();
        String expired = sign(claims(user, b -> b.issueTime(Date.from(now.minusSeconds(3600)))
                .expirationTime(Date.from(now.minusSeconds(5)))), key());
        assertThat(me(expired)).isEqualTo(401);
        String noExpiry = sign(claims(user, b -> b.expirationTime(null)), key());
        assertThat(me(noExpiry)).isEqualTo(401);
    }

    @Test
    void aTokenOfAnotherIssuerIs401() throws Exception {
        Session user = api.newUser("issuer");
        assertThat(me(sign(claims(user, b -> b.issuer("someone-else")), key()))).isEqualTo(401);
    }

    @Test
    void changingTheSubjectOfARealTokenBreaksItsSignature() throws Exception {
        Session user = api.newUser("tamper");
        Session victim = api.newUser("victim");
        String[] parts = user.accessToken().split("\\.");
        JWTClaimsSet tampered = new JWTClaimsSet.Builder(SignedJWT.parse(user.accessToken()).getJWTClaimsSet())
                .subject(victim.userId().toString()).build();
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(tampered.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(me(parts[0] + "." + payload + "." + parts[2])).isEqualTo(401);
        assertThat(me(user.accessToken())).isEqualTo(200);
    }

    @Test
    void aForgedTokenOfAnOlderTokenVersionIs401() throws Exception {
        Session user = api.newUser("version");
        String stale = sign(claims(user, b -> b.claim("ver", -1)), key());
        assertThat(me(stale)).isEqualTo(401);
    }

    @Test
    void garbageTokensAre401NotErrors() {
        for (String garbage : new String[] {"abc", "a.b.c", "....", "x".repeat(5000), "eyJhbGciOiJIUzI1NiJ9.e30."}) {
            Response response = api.get("/api/v1/me", bearer(garbage));
            assertThat(response.status()).as(garbage).isEqualTo(401);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        }
    }

    @Test
    void answersCarryTheSecurityHeaders() {
        Session user = api.newUser("headers");
        for (Response response : new Response[] {api.get("/api/v1/me", user), api.get("/api/v1/projects", user),
                api.get("/api/v1/me", null), api.get("/api/v1/health", null)}) {
            assertThat(response.header("X-Content-Type-Options")).as(response.toString()).isEqualTo("nosniff");
            assertThat(response.header("Content-Security-Policy")).as(response.toString())
                    .contains("default-src").contains("frame-ancestors 'none'");
            assertThat(response.header("X-Frame-Options")).as(response.toString()).isEqualTo("DENY");
        }
        assertThat(api.get("/api/v1/me", user).header("Cache-Control")).contains("no-store");
        assertThat(api.get("/api/v1/projects", user).header("Cache-Control")).contains("no-store");
    }

    @Test
    void aPreflightFromAnUnknownOriginIsNotAllowed() {
        Response preflight = api.send("OPTIONS", "/api/v1/projects", null, null, Map.of(
                "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization, content-type"));
        // no CORS is configured by default: nothing in the answer lets a browser go on
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        assertThat(preflight.header("Access-Control-Allow-Methods")).isNull();
        assertThat(preflight.header("Access-Control-Allow-Headers")).isNull();
        assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();

        Session user = api.newUser("cors");
        Response simple = api.send("GET", "/api/v1/me", user, null, Map.of("Origin", "https://evil.example"));
        assertThat(simple.header("Access-Control-Allow-Origin")).isNull();
    }

    @OnSqlite
    static class OnSqliteTest extends SecurityApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends SecurityApiTests {
    }
}
