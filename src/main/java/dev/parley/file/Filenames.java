package dev.parley.file;

import java.nio.charset.StandardCharsets;

import dev.parley.web.TextRules;
import dev.parley.web.ValidationException;
import org.springframework.http.ContentDisposition;

/**
 * File names are data, never paths: stored as given (any Unicode) within limits, and made
 * harmless only where they leave the server, in {@code Content-Disposition}.
 */
final class Filenames {

    static final int MAX_LENGTH = 255;

    private Filenames() {
    }

    /** Refuses names no header or database should carry: empty, too long, control characters. */
    static String check(String name) {
        if (name == null || name.isBlank()) {
            throw new ValidationException("filename", "must not be blank");
        }
        String unstorable = TextRules.unstorable(name);
        if (unstorable != null) {
            throw new ValidationException("filename", unstorable);
        }
        if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
            throw new ValidationException("filename", "must be at most " + MAX_LENGTH + " characters");
        }
        if (name.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL)) {
            throw new ValidationException("filename", "must not contain control characters");
        }
        return name;
    }

    /**
     * {@code attachment} with the name made inert: path separators, quotes, backslashes and
     * line breaks become {@code _}, and the rest is RFC 5987-encoded by Spring.
     */
    static ContentDisposition attachment(String name) {
        StringBuilder safe = new StringBuilder(name.length());
        name.codePoints().forEach(c -> {
            if (c == '/' || c == '\\' || c == '"' || c == '\r' || c == '\n' || Character.getType(c) == Character.CONTROL) {
                safe.append('_');
            } else {
                safe.appendCodePoint(c);
            }
        });
        return ContentDisposition.attachment().filename(safe.toString(), StandardCharsets.UTF_8).build();
    }
}
