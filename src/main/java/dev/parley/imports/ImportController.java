package dev.parley.imports;

import java.io.IOException;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;

import dev.parley.web.Caller;
import dev.parley.web.ForbiddenException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
class ImportController {

    private final ImportService imports;
    private final ImportRequests requests;
    private final ExportService exports;

    ImportController(ImportService imports, ImportRequests requests, ExportService exports) {
        this.imports = imports;
        this.requests = requests;
        this.exports = exports;
    }

    /** Runs an importer, the same code as the {@code import} command, and answers its report. */
    @PostMapping("/admin/imports")
    ImportReport run(Caller caller, @jakarta.validation.Valid @RequestBody ImportRequests.Run request) {
        if (!caller.admin()) {
            throw new ForbiddenException("only an admin may run imports");
        }
        return imports.run(requests.options(caller, request), ImportProgress.NONE);
    }

    /**
     * The project as a zip, written to the response while it is built (never held in memory);
     * any member may export. Written on the request's own thread rather than as an async body,
     * so it runs under the caller's authentication like every other route.
     */
    @GetMapping(path = "/projects/{id}/export", produces = "application/zip")
    @ApiResponse(responseCode = "200", description = "the project as a zip",
            content = @Content(mediaType = "application/zip", schema = @Schema(type = "string", format = "binary")))
    void export(Caller caller, @PathVariable UUID id, HttpServletResponse response) throws IOException {
        exports.requireReadable(caller, id);
        response.setContentType("application/zip");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"project-" + id + ".zip\"");
        response.setHeader("X-Content-Type-Options", "nosniff");
        exports.export(id, response.getOutputStream());
    }
}
