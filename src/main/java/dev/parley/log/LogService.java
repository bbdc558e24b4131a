package dev.parley.log;

import java.util.UUID;

import dev.parley.file.FileService;
import dev.parley.project.ProjectAccess;
import dev.parley.project.ProjectRole;
import dev.parley.project.ProjectService;
import dev.parley.web.Caller;
import dev.parley.web.Cursor;
import dev.parley.web.Ids;
import dev.parley.web.JsonRules;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import dev.parley.web.ValidationException;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The processing logs' API: editors append, viewers read. The known metadata keys are
 * checked ({@code processing_time} a non-negative number of seconds, {@code worker_id} a
 * string, {@code exit_code} an integer); other keys are kept as given.
 */
@Service
public class LogService {

    static final int MAX_WORKER_ID = 200;

    private final LogRepository logs;
    private final ProjectService projects;
    private final FileService files;

    LogService(LogRepository logs, ProjectService projects, FileService files) {
        this.logs = logs;
        this.projects = projects;
        this.files = files;
    }

    ProcessingLog append(Caller caller, UUID projectId, CreateLogRequest request) {
        ProjectAccess access = projects.require(caller, projectId, ProjectRole.EDITOR);
        JsonNode metadata = request.metadata() == null ? JsonNodeFactory.instance.objectNode() : request.metadata();
        JsonRules.requireObject("metadata", metadata);
        checkMetadata(metadata);
        if (request.fileId() != null && !files.inProject(request.fileId(), projectId)) {
            throw new ValidationException("file_id", "is not a file of this project");
        }
        int version = request.version() != null ? request.version() : projects.get(access).currentVersion();
        ProcessingLog log = new ProcessingLog(Ids.newId(), projectId, version, request.level(), request.summary(),
                request.fileId(), metadata, Ids.now());
        logs.insert(log, caller.userId());
        return log;
    }

    Page<ProcessingLog> list(Caller caller, UUID projectId, Integer version, LogLevel level, PageRequest page) {
        projects.require(caller, projectId, ProjectRole.VIEWER);
        UUID after = page.after().map(c -> c.expect(1).uuid(0)).orElse(null);
        return Page.of(logs.list(projectId, version, level, after, page.fetchSize()), page, l -> Cursor.of(l.id()));
    }

    private static void checkMetadata(JsonNode metadata) {
        JsonNode time = metadata.get("processing_time");
        if (time != null && !time.isNull() && (!time.isNumber() || time.asDouble() < 0)) {
            throw new ValidationException("metadata.processing_time", "must be a non-negative number of seconds");
        }
        JsonNode worker = metadata.get("worker_id");
        if (worker != null && !worker.isNull() && (!worker.isString() || worker.asString().length() > MAX_WORKER_ID)) {
            throw new ValidationException("metadata.worker_id", "must be a string of at most " + MAX_WORKER_ID
                    + " characters");
        }
        JsonNode exit = metadata.get("exit_code");
        if (exit != null && !exit.isNull() && !(exit.isIntegralNumber() && exit.canConvertToInt())) {
            throw new ValidationException("metadata.exit_code", "must be an integer");
        }
    }
}
