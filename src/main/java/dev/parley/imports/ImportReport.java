package dev.parley.imports;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * What an import, dry run, verification or rollback did.
 *
 * @param status   {@code completed}, {@code dry_run}, {@code verified}, {@code verify_mismatch},
 *                 {@code failed} or {@code rolled_back}
 * @param userRule the rule users were mapped by, in words
 * @param counts   per entity kind: rows in the source, rows created, rows skipped because an
 *                 earlier batch already imported them, rows a rollback removed
 */
public record ImportReport(@Nullable UUID batchId, String source, String location, String mode, String status,
                           String userRule, List<UserMapping> users, Map<String, Count> counts,
                           @Nullable Verification verify, Map<String, Problems.Kind> problems, long durationMs,
                           double messagesPerSecond) {

    public static final String USER_RULE = "a source user whose username (made valid for Parley) exists is that "
            + "user; any other is created inactive with a random password";

    public record UserMapping(String sourceId, String username, @Nullable UUID parleyId, String action) {
    }

    public record Count(long source, long created, long skipped, long removed) {
    }

    public record Expected(long expected, long actual) {
    }

    public record Verification(boolean ok, Map<String, Expected> counts, String sourceChecksum,
                               String parleyChecksum) {
    }

    /** The process exit code of the command that produced this report. */
    public int exitCode() {
        return switch (status) {
            case "completed", "dry_run", "verified", "rolled_back" -> 0;
            default -> 1;
        };
    }
}
