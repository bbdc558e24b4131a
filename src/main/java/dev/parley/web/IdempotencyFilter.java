package dev.parley.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code Idempotency-Key} for every POST, as one mechanism: the first request with a key
 * claims it (a row per user and key; for an anonymous register, login or refresh, per request
 * and key), its answer is stored sealed ({@link AnswerSeal}: it may hold tokens), and a retry
 * with the same key and the same request gets that answer again ({@code Idempotent-Replayed: true})
 * without running anything. The same key with a different request is refused (422); a retry
 * while the first is still running gets 409. Server errors release the key so a retry can
 * run, and so do answers that only say "not now" (408, 425, 429). Keys are kept for
 * {@code parley.retention.idempotency-keys} (24 h); an anonymous request's answer is replayed
 * for ten minutes only.
 *
 * <p>Runs after Spring Security (it needs the caller) and before the controllers. Multipart
 * uploads are not buffered: they are recognised by their path and media type alone.
 */
@Component
class IdempotencyFilter extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";
    private static final int MAX_KEY_LENGTH = 255;
    /** Answers that say "not now" (timeout, too early, too many requests): a retry must run again. */
    private static final Set<Integer> TRANSIENT = Set.of(408, 425, 429);
    private static final JsonMapper CANONICAL_JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    /** The longest request target kept as it is; a longer one is kept as its hash (the column's size). */
    private static final int MAX_STORED_PATH = 2000;
    /**
     * How long an anonymous request's answer (a login's or a refresh's tokens) is replayed: long
     * enough for a client's retries, short enough that a captured request cannot fetch a live
     * pair a day later without meeting the refresh token's reuse detection.
     */
    private static final Duration KEEP_ANONYMOUS = Duration.ofMinutes(10);

    private final IdempotencyRepository keys;
    private final AnswerSeal seal;
    private final ProblemWriter problems;
    private final Duration keep;

    IdempotencyFilter(IdempotencyRepository keys, AnswerSeal seal, ProblemWriter problems,
                      @Value("${parley.retention.idempotency-keys:24h}") Duration keep) {
        this.keys = keys;
        this.seal = seal;
        this.problems = problems;
        this.keep = keep;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER).trim();
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            problems.write(request, response, ErrorCode.INVALID_PARAMETER, HEADER + ": must be 1 to "
                    + MAX_KEY_LENGTH + " visible ASCII characters", List.of(new FieldMessage(HEADER,
                    "must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters")));
            return;
        }
        String target = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        String path = target.length() <= MAX_STORED_PATH ? target : "sha256:" + hash(target);
        HttpServletRequest body = request;
        String fingerprint;
        if (isMultipart(request)) {
            // a client's retry makes a new multipart boundary (and so may change the length): the
            // upload is recognised by where it goes and what kind of body it is
            String type = request.getContentType();
            fingerprint = hash(path + "\n" + type.substring(0, type.contains(";") ? type.indexOf(';') : type.length()).trim());
        } else {
            byte[] bytes;
            try {
                bytes = request.getInputStream().readAllBytes();
            } catch (RequestSizeFilter.BodyTooLargeException e) {
                problems.write(request, response, ErrorCode.PAYLOAD_TOO_LARGE, "the request body is too large");
                return;
            }
            body = new CachedBody(request, bytes);
            fingerprint = hash(path + "\n" + canonical(bytes));
        }
        // an anonymous caller (register, login, refresh) has no name of its own: the request stands in
        IdempotencyRepository.Scope scope = caller().map(c -> IdempotencyRepository.Scope.of(c.userId()))
                .orElseGet(() -> IdempotencyRepository.Scope.anonymous(fingerprint));
        String binding = scope.name() + "\n" + key + "\n" + fingerprint;

        Instant now = Ids.now();
        if (!keys.claim(scope, key, request.getMethod(), path, fingerprint, now)) {
            Optional<IdempotencyRepository.StoredKey> stored = keys.find(scope, key);
            Duration kept = scope.userId() == null ? KEEP_ANONYMOUS : keep;
            if (stored.isPresent() && (stored.get().createdAt().plus(kept).isBefore(now)
                    || unreadable(stored.get(), path, fingerprint, binding))) {
                keys.release(scope, key);
                stored = keys.claim(scope, key, request.getMethod(), path, fingerprint, now)
                        ? Optional.empty() : keys.find(scope, key);
            }
            if (stored.isPresent()) {
                answerFromStore(request, response, stored.get(), path, fingerprint, binding);
                return;
            }
        }

        ContentCachingResponseWrapper recorded = new ContentCachingResponseWrapper(response);
        boolean completed = false;
        try {
            chain.doFilter(body, recorded);
            int status = recorded.getStatus();
            if (status < 500 && !TRANSIENT.contains(status)) {
                keys.complete(scope, key, status, recorded.getContentType(), recorded.getHeader(HttpHeaders.LOCATION),
                        seal.seal(binding, new String(recorded.getContentAsByteArray(), StandardCharsets.UTF_8)));
                completed = true;
            }
        } finally {
            if (!completed) {
                keys.release(scope, key);
            }
            recorded.copyBodyToResponse();
        }
    }

    /** A finished answer to this very request that cannot be opened (the server secret changed). */
    private boolean unreadable(IdempotencyRepository.StoredKey stored, String path, String fingerprint,
                               String binding) {
        return stored.status() != null && stored.responseBody() != null && stored.path().equals(path)
                && stored.requestHash().equals(fingerprint) && seal.open(binding, stored.responseBody()).isEmpty();
    }

    private void answerFromStore(HttpServletRequest request, HttpServletResponse response,
                                 IdempotencyRepository.StoredKey stored, String path, String fingerprint,
                                 String binding) throws IOException {
        if (!stored.path().equals(path) || !stored.requestHash().equals(fingerprint)) {
            problems.write(request, response, ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "this Idempotency-Key was used with a different request",
                    List.of(new FieldMessage(HEADER, "was used with a different request")));
            return;
        }
        if (stored.status() == null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            problems.write(request, response, ErrorCode.IDEMPOTENCY_IN_PROGRESS,
                    "a request with this Idempotency-Key is still being processed");
            return;
        }
        response.setStatus(stored.status());
        if (stored.contentType() != null) {
            response.setContentType(stored.contentType());
        }
        if (stored.location() != null) {
            response.setHeader(HttpHeaders.LOCATION, stored.location());
        }
        response.setHeader("Idempotent-Replayed", "true");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (stored.responseBody() != null) {
            byte[] bytes = seal.open(binding, stored.responseBody()).orElseThrow().getBytes(StandardCharsets.UTF_8);
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }
    }

    private static Optional<Caller> caller() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof Caller caller
                ? Optional.of(caller) : Optional.empty();
    }

    private static boolean isMultipart(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    /**
     * The body as the request means it: JSON with its members in one order and no spacing, so
     * that a retry which serializes the same object differently is still the same request.
     * A body that is not JSON is taken as it is (the controller will refuse it anyway).
     */
    private static String canonical(byte[] body) {
        try {
            return CANONICAL_JSON.writeValueAsString(CANONICAL_JSON.readValue(body, Object.class));
        } catch (JacksonException e) {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request with its body already read, so the controller can read it again. */
    private static final class CachedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    // the whole body is already here: it is available and complete at once
                    try {
                        listener.onDataAvailable();
                        listener.onAllDataRead();
                    } catch (IOException e) {
                        listener.onError(e);
                    }
                }
            };
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
