package dev.parley.log;

import java.net.URI;
import java.util.UUID;

import dev.parley.web.Caller;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects/{projectId}/logs")
class LogController {

    private final LogService logs;

    LogController(LogService logs) {
        this.logs = logs;
    }

    @PostMapping
    ResponseEntity<ProcessingLog> append(Caller caller, @PathVariable UUID projectId,
                                         @Valid @RequestBody CreateLogRequest request) {
        ProcessingLog log = logs.append(caller, projectId, request);
        return ResponseEntity.created(URI.create("/api/v1/projects/" + projectId + "/logs/" + log.id())).body(log);
    }

    @GetMapping
    Page<ProcessingLog> list(Caller caller, @PathVariable UUID projectId,
                             @RequestParam(required = false) @Min(1) @Max(1_000_000) Integer version,
                             @RequestParam(required = false) LogLevel level, PageRequest page) {
        return logs.list(caller, projectId, version, level, page);
    }
}
