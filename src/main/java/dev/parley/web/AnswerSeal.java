package dev.parley.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

/**
 * Seals the answers kept for idempotent requests (AES-256-GCM). An answer can carry tokens (a
 * login, a refresh, a password change), and a copy of the database must not hand them out: each
 * answer's key is derived from the server secret (which never lives in the database) and the
 * row's scope, key and request fingerprint, so the database alone opens nothing.
 */
@Component
class AnswerSeal {

    private static final String PREFIX = "sealed:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] master;

    AnswerSeal(ServerSecret secret) {
        this.master = secret.derive("idempotency-answers");
    }

    /** The answer as it is stored for the request {@code binding} names (scope, key, fingerprint). */
    String seal(String binding, String answer) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(binding), new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(answer.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal an idempotent answer", e);
        }
    }

    /**
     * The stored answer in clear; empty when it cannot be opened (the secret changed since).
     * Answers stored before sealing existed are returned as they are.
     */
    Optional<String> open(String binding, String stored) {
        if (!stored.startsWith(PREFIX)) {
            return Optional.of(stored);
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(binding), new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            return Optional.of(new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES),
                    StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private SecretKeySpec key(String binding) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(master, "HmacSHA256"));
        return new SecretKeySpec(mac.doFinal(binding.getBytes(StandardCharsets.UTF_8)), "AES");
    }
}
