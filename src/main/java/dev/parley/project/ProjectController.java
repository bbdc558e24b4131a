package dev.parley.project;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import dev.parley.project.ProjectResponses.MemberResponse;
import dev.parley.project.ProjectResponses.ProjectResponse;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects")
class ProjectController {

    private final ProjectService projects;

    ProjectController(ProjectService projects) {
        this.projects = projects;
    }

    @PostMapping
    ResponseEntity<ProjectResponse> create(Caller caller, @Valid @RequestBody ProjectRequests.Create request) {
        Project project = projects.create(caller, request);
        return ResponseEntity.created(URI.create("/api/v1/projects/" + project.id())).body(ProjectResponse.of(project));
    }

    @GetMapping
    Page<ProjectResponse> list(Caller caller, @RequestParam(required = false) Boolean archived,
                               @RequestParam(required = false) Boolean pinned, PageRequest page) {
        return projects.list(caller, archived, pinned, page).map(ProjectResponse::of);
    }

    @GetMapping("/{id}")
    ProjectResponse get(Caller caller, @PathVariable UUID id) {
        return ProjectResponse.of(projects.get(caller, id));
    }

    @PatchMapping("/{id}")
    ProjectResponse update(Caller caller, @PathVariable UUID id, @Valid @RequestBody ProjectRequests.Update request) {
        return ProjectResponse.of(projects.update(caller, id, request));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Caller caller, @PathVariable UUID id) {
        projects.delete(caller, id);
    }

    @GetMapping("/{id}/summary")
    ProjectResponses.Summary summary(Caller caller, @PathVariable UUID id) {
        return projects.summary(caller, id);
    }

    @GetMapping("/{id}/complete")
    Map<String, Object> complete(Caller caller, @PathVariable UUID id) {
        return projects.complete(caller, id);
    }

    @GetMapping("/{id}/members")
    Page<MemberResponse> members(Caller caller, @PathVariable UUID id, PageRequest page) {
        return projects.members(caller, id, page).map(MemberResponse::of);
    }

    @PutMapping("/{id}/members/{userId}")
    ResponseEntity<MemberResponse> putMember(Caller caller, @PathVariable UUID id, @PathVariable UUID userId,
                                             @Valid @RequestBody ProjectRequests.PutMember request) {
        ProjectService.MemberChange change = projects.putMember(caller, id, userId, request.role());
        MemberResponse body = MemberResponse.of(change.member());
        return change.created()
                ? ResponseEntity.created(URI.create("/api/v1/projects/" + id + "/members/" + userId)).body(body)
                : ResponseEntity.ok(body);
    }

    @DeleteMapping("/{id}/members/{userId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeMember(Caller caller, @PathVariable UUID id, @PathVariable UUID userId) {
        projects.removeMember(caller, id, userId);
    }
}
