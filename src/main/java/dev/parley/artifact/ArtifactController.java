package dev.parley.artifact;

import java.net.URI;
import java.util.UUID;

import dev.parley.web.Caller;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects/{projectId}/artifacts")
class ArtifactController {

    private final ArtifactService artifacts;

    ArtifactController(ArtifactService artifacts) {
        this.artifacts = artifacts;
    }

    @PostMapping
    ResponseEntity<Artifact> create(Caller caller, @PathVariable UUID projectId,
                                    @Valid @RequestBody ArtifactRequests.Create request) {
        Artifact created = artifacts.create(caller, projectId, request);
        return ResponseEntity.created(URI.create("/api/v1/projects/" + projectId + "/artifacts/" + created.id()))
                .body(created);
    }

    @GetMapping
    Page<Artifact> list(Caller caller, @PathVariable UUID projectId,
                        @RequestParam(required = false) ArtifactKind kind,
                        @RequestParam(name = "conversation_id", required = false) UUID conversationId,
                        PageRequest page) {
        return artifacts.list(caller, projectId, kind, conversationId, page).map(Artifact::withoutContent);
    }

    @GetMapping("/{id}")
    Artifact get(Caller caller, @PathVariable UUID projectId, @PathVariable UUID id) {
        return artifacts.get(caller, projectId, id);
    }

    @PatchMapping("/{id}")
    Artifact update(Caller caller, @PathVariable UUID projectId, @PathVariable UUID id,
                    @Valid @RequestBody ArtifactRequests.Update request) {
        return artifacts.update(caller, projectId, id, request);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Caller caller, @PathVariable UUID projectId, @PathVariable UUID id) {
        artifacts.delete(caller, projectId, id);
    }

    @GetMapping("/{id}/versions")
    Page<ArtifactVersion> versions(Caller caller, @PathVariable UUID projectId, @PathVariable UUID id,
                                   PageRequest page) {
        return artifacts.versions(caller, projectId, id, page);
    }

    @GetMapping("/{id}/versions/{version}")
    ArtifactVersion version(Caller caller, @PathVariable UUID projectId, @PathVariable UUID id,
                            @PathVariable int version) {
        return artifacts.version(caller, projectId, id, version);
    }
}
