package dev.parley.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The position after the last row of a page: the values of that row's sort key, in order.
 * Encoded as base64url of the values joined by a separator no value can contain, so it is
 * opaque to clients yet cheap to make. A cursor that does not decode into the expected
 * shape is a client error, never a server one.
 */
public record Cursor(List<String> values) {

    private static final char SEPARATOR = '\u001f';

    public static Cursor of(Object... values) {
        List<String> text = new ArrayList<>(values.length);
        for (Object value : values) {
            text.add(value instanceof Instant instant ? Long.toString(instant.getEpochSecond()) + "." + instant.getNano()
                    : String.valueOf(value));
        }
        return new Cursor(List.copyOf(text));
    }

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(String.join(String.valueOf(SEPARATOR), values).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String encoded) {
        if (encoded.length() > 1024) {
            throw invalid();
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
            return new Cursor(List.of(text.split(String.valueOf(SEPARATOR), -1)));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    public int size() {
        return values.size();
    }

    public UUID uuid(int index) {
        try {
            return UUID.fromString(value(index));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    public long number(int index) {
        try {
            return Long.parseLong(value(index));
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    public Instant instant(int index) {
        String text = value(index);
        int dot = text.indexOf('.');
        try {
            if (dot < 0) {
                throw invalid();
            }
            return Instant.ofEpochSecond(Long.parseLong(text.substring(0, dot)), Long.parseLong(text.substring(dot + 1)));
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    public String text(int index) {
        return value(index);
    }

    /** Checks the cursor has exactly the number of key values this list sorts by. */
    public Cursor expect(int size) {
        if (values.size() != size) {
            throw invalid();
        }
        return this;
    }

    private String value(int index) {
        if (index >= values.size()) {
            throw invalid();
        }
        return values.get(index);
    }

    static BadRequestException invalid() {
        return new BadRequestException(ErrorCode.INVALID_CURSOR, "after", "is not a cursor this list gave out");
    }
}
