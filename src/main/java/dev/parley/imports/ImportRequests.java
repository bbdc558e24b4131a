package dev.parley.imports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import dev.parley.config.ParleyProperties;
import dev.parley.web.Caller;
import dev.parley.web.ValidationException;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The body of {@code POST /admin/imports} and what it may name. Over HTTP a source file or
 * directory must lie inside the imports directory ({@code <data-dir>/imports}): an admin
 * session should not be able to read any file the server can. PostgreSQL sources are named by
 * their JDBC URL. The command line has no such limit.
 */
@Component
class ImportRequests {

    /**
     * @param source     {@code projects-db}, {@code threads-db}, {@code todo-db}, {@code mongo-export},
     *                   {@code chatgpt} or {@code parley}
     * @param location   a path relative to the imports directory, or a {@code jdbc:postgresql:} URL
     * @param dryRun     read and check, write nothing
     * @param verifyOnly compare the source with Parley, write nothing
     * @param rollback   remove the rows of this batch instead of importing
     * @param projectId  the project that receives conversations the source puts in no project
     * @param owner      the username that owns what the source attributes to nobody (default: the caller)
     */
    @Schema(name = "ImportRun")
    record Run(@NotNull SourceKind source,
               @NotBlank @Size(max = 2000) String location,
               @Nullable Boolean dryRun,
               @Nullable Boolean verifyOnly,
               @Nullable UUID rollback,
               @Nullable UUID projectId,
               @Nullable @Size(max = 100) String owner) {
    }

    private final Path directory;

    ImportRequests(ParleyProperties parley) {
        this.directory = parley.dataDir().resolve("imports").toAbsolutePath().normalize();
    }

    ImportOptions options(Caller caller, Run run) {
        String location = run.location();
        if (run.rollback() == null) {
            location = checkedLocation(location);
        }
        return new ImportOptions(run.source(), location, Boolean.TRUE.equals(run.dryRun()),
                Boolean.TRUE.equals(run.verifyOnly()), run.rollback(), run.projectId(),
                run.owner() == null ? caller.username() : run.owner(), caller.userId());
    }

    private String checkedLocation(String location) {
        if (location.startsWith("jdbc:postgresql:")) {
            return location;
        }
        String path = location.startsWith("jdbc:sqlite:") ? location.substring("jdbc:sqlite:".length()) : location;
        Path resolved;
        try {
            resolved = directory.resolve(path).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            throw new ValidationException("location", "is not a valid path");
        }
        if (!resolved.startsWith(directory)) {
            throw new ValidationException("location", "must be inside the imports directory");
        }
        if (!Files.exists(resolved)) {
            throw new ValidationException("location", "does not exist in the imports directory");
        }
        return location.startsWith("jdbc:sqlite:") ? "jdbc:sqlite:" + resolved : resolved.toString();
    }

    Path directory() {
        return directory;
    }
}
