package dev.parley.task;

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
@RequestMapping("/api/v1/tasks")
class TaskController {

    private final TaskService tasks;

    TaskController(TaskService tasks) {
        this.tasks = tasks;
    }

    @PostMapping
    ResponseEntity<TaskResponse> create(Caller caller, @Valid @RequestBody TaskRequests.Create request) {
        Task task = tasks.create(caller, request);
        return ResponseEntity.created(URI.create("/api/v1/tasks/" + task.id())).body(TaskResponse.of(task));
    }

    @GetMapping
    Page<TaskResponse> list(Caller caller, @RequestParam(required = false) Boolean completed,
                            @RequestParam(name = "project_id", required = false) UUID projectId,
                            @RequestParam(name = "conversation_id", required = false) UUID conversationId,
                            PageRequest page) {
        return tasks.list(caller, new TaskService.Filter(completed, projectId, conversationId), page)
                .map(TaskResponse::of);
    }

    @GetMapping("/{id}")
    TaskResponse get(Caller caller, @PathVariable UUID id) {
        return TaskResponse.of(tasks.get(caller, id));
    }

    @PatchMapping("/{id}")
    TaskResponse update(Caller caller, @PathVariable UUID id, @Valid @RequestBody TaskRequests.Update request) {
        return TaskResponse.of(tasks.update(caller, id, request));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Caller caller, @PathVariable UUID id) {
        tasks.delete(caller, id);
    }
}
