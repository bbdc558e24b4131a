package dev.parley.auth;

import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.springframework.stereotype.Component;

/**
 * Signs and verifies access tokens: HS256 JWTs carrying the user, a unique {@code jti}, the
 * user's token version ({@code ver}) and the refresh family ({@code fam}) they belong to.
 * Only HS256 with Parley's key is accepted; {@code alg: none} and every other algorithm fail.
 */
@Component
class AccessTokens {

    private final AuthProperties properties;
    private final MACSigner signer;
    private final MACVerifier verifier;

    AccessTokens(AuthProperties properties, SigningKey key) {
        this.properties = properties;
        try {
            this.signer = new MACSigner(key.bytes());
            this.verifier = new MACVerifier(key.bytes());
        } catch (JOSEException e) {
            throw new IllegalStateException("the token signing key is unusable", e);
        }
    }

    record Claims(UUID userId, UUID jti, int tokenVersion, UUID familyId, Instant expiresAt) {
    }

    String issue(UUID userId, int tokenVersion, UUID familyId, Instant now) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(properties.issuer())
                .subject(userId.toString())
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(properties.accessTokenTtl())))
                .claim("ver", tokenVersion)
                .claim("fam", familyId.toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
        return jwt.serialize();
    }

    /** The token's claims when it is well-formed, signed by us, unexpired and ours; empty otherwise. */
    Optional<Claims> verify(String token, Instant now) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expires = claims.getExpirationTime();
            if (expires == null || !expires.toInstant().isAfter(now)
                    || !properties.issuer().equals(claims.getIssuer())) {
                return Optional.empty();
            }
            Long version = claims.getLongClaim("ver");
            String family = claims.getStringClaim("fam");
            if (version == null || family == null || claims.getSubject() == null || claims.getJWTID() == null) {
                return Optional.empty();
            }
            return Optional.of(new Claims(UUID.fromString(claims.getSubject()), UUID.fromString(claims.getJWTID()),
                    version.intValue(), UUID.fromString(family), expires.toInstant()));
        } catch (ParseException | JOSEException | IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
    }
}
