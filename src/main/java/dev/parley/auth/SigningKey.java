package dev.parley.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.parley.config.ParleyProperties;
import dev.parley.web.ServerSecret;
import org.springframework.stereotype.Component;

/**
 * The HMAC key that signs access tokens: configured ({@code parley.auth.jwt-secret}), or
 * generated once into {@code <data-dir>/keys/jwt-hs256.key} (owner-only permissions) so that
 * no secret ever lives in the repository and restarts keep tokens valid.
 */
@Component
class SigningKey implements ServerSecret {

    private static final int KEY_BYTES = 32;

    private final byte[] key;

    SigningKey(AuthProperties properties, ParleyProperties parley) {
        this.key = properties.jwtSecret().isBlank()
                ? loadOrCreate(parley.dataDir().toAbsolutePath().resolve("keys").resolve("jwt-hs256.key"))
                : decode(properties.jwtSecret());
    }

    byte[] bytes() {
        return key.clone();
    }

    /** HMAC-SHA256 of the purpose under this key: a key per purpose, none of which signs tokens. */
    @Override
    public byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(("parley/" + purpose).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] decode(String secret) {
        byte[] bytes = Base64.getDecoder().decode(secret.trim());
        if (bytes.length < KEY_BYTES) {
            throw new IllegalStateException("parley.auth.jwt-secret must be base64 of at least 32 bytes");
        }
        return bytes;
    }

    private static byte[] loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file, StandardCharsets.US_ASCII));
            }
            Files.createDirectories(file.getParent());
            byte[] fresh = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(fresh);
            Path temp = Files.createTempFile(file.getParent(), "jwt", ".tmp");
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's own protection applies
            }
            Files.writeString(temp, Base64.getEncoder().encodeToString(fresh), StandardCharsets.US_ASCII);
            try {
                // two instances starting on one data directory agree on whichever key landed first
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.deleteIfExists(temp);
            }
            return decode(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the token signing key " + file, e);
        }
    }
}
