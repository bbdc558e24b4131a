package dev.parley.conversation;

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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
class ConversationController {

    private final ConversationService conversations;

    ConversationController(ConversationService conversations) {
        this.conversations = conversations;
    }

    @PostMapping("/conversations")
    ResponseEntity<ConversationResponse> create(Caller caller,
                                                @Valid @RequestBody ConversationRequests.Create request) {
        Conversation created = conversations.create(caller, request);
        return ResponseEntity.created(URI.create("/api/v1/conversations/" + created.id()))
                .body(ConversationResponse.of(created));
    }

    @GetMapping("/conversations")
    Page<ConversationResponse> list(Caller caller, @RequestParam(name = "project_id", required = false) UUID projectId,
                                    @RequestParam(name = "include_deleted", defaultValue = "false") boolean includeDeleted,
                                    PageRequest page) {
        return conversations.list(caller, projectId, includeDeleted, page).map(ConversationResponse::of);
    }

    @GetMapping("/projects/{projectId}/conversations")
    Page<ConversationResponse> listInProject(Caller caller, @PathVariable UUID projectId,
                                             @RequestParam(name = "include_deleted", defaultValue = "false")
                                             boolean includeDeleted, PageRequest page) {
        return conversations.list(caller, projectId, includeDeleted, page).map(ConversationResponse::of);
    }

    @GetMapping("/conversations/{id}")
    ConversationResponse get(Caller caller, @PathVariable UUID id) {
        return ConversationResponse.of(conversations.get(caller, id));
    }

    @PatchMapping("/conversations/{id}")
    ConversationResponse update(Caller caller, @PathVariable UUID id,
                                @Valid @RequestBody ConversationRequests.Update request) {
        return ConversationResponse.of(conversations.update(caller, id, request));
    }

    @DeleteMapping("/conversations/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Caller caller, @PathVariable UUID id, @RequestParam(defaultValue = "false") boolean purge) {
        conversations.delete(caller, id, purge);
    }

    @PostMapping("/conversations/{id}/restore")
    ConversationResponse restore(Caller caller, @PathVariable UUID id) {
        return ConversationResponse.of(conversations.restore(caller, id));
    }

    @PutMapping("/conversations/{id}/leaf")
    ConversationResponse switchLeaf(Caller caller, @PathVariable UUID id,
                                    @Valid @RequestBody ConversationRequests.SetLeaf request) {
        return ConversationResponse.of(conversations.switchLeaf(caller, id, request.messageId()));
    }
}
