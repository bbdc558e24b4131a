package dev.parley.message;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import dev.parley.web.ApiEnum;
import dev.parley.web.BadRequestException;
import dev.parley.web.Caller;
import dev.parley.web.ErrorCode;
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
@RequestMapping("/api/v1")
class MessageController {

    private final MessageService messages;

    MessageController(MessageService messages) {
        this.messages = messages;
    }

    @PostMapping("/conversations/{id}/messages")
    ResponseEntity<MessageResponse> append(Caller caller, @PathVariable UUID id,
                                           @Valid @RequestBody MessageRequests.NewMessage request) {
        Message message = messages.append(caller, id, request);
        return ResponseEntity.created(URI.create("/api/v1/conversations/" + id + "/messages/" + message.id()))
                .body(MessageResponse.of(message));
    }

    /** 201 with the created messages in the list shape; the Location is the conversation's messages. */
    @PostMapping("/conversations/{id}/messages/batch")
    ResponseEntity<Page<MessageResponse>> appendBatch(Caller caller, @PathVariable UUID id,
                                                      @Valid @RequestBody MessageRequests.Batch request) {
        List<MessageResponse> created = messages.appendBatch(caller, id, request.messages()).stream()
                .map(MessageResponse::of).toList();
        return ResponseEntity.created(URI.create("/api/v1/conversations/" + id + "/messages"))
                .body(new Page<>(created, false, null));
    }

    /** {@code ?last=N} reads the active branch; it takes no cursor, order or limit. */
    @GetMapping("/conversations/{id}/messages")
    Page<MessageResponse> list(Caller caller, @PathVariable UUID id,
                               @RequestParam(required = false) Integer last,
                               @RequestParam(required = false) Order order,
                               @RequestParam(name = "limit", required = false) String limitGiven, PageRequest page) {
        if (last != null) {
            if (page.after().isPresent() || order != null || limitGiven != null) {
                throw new BadRequestException(ErrorCode.INVALID_PARAMETER, "last",
                        "cannot be combined with after, order or limit");
            }
            return messages.last(caller, id, last).map(MessageResponse::of);
        }
        return messages.list(caller, id, order == Order.DESC, page).map(MessageResponse::of);
    }

    enum Order implements ApiEnum {
        ASC, DESC
    }

    @GetMapping("/conversations/{id}/messages/{messageId}")
    MessageResponse get(Caller caller, @PathVariable UUID id, @PathVariable UUID messageId) {
        return MessageResponse.of(messages.get(caller, id, messageId));
    }

    @PatchMapping("/conversations/{id}/messages/{messageId}")
    MessageResponse edit(Caller caller, @PathVariable UUID id, @PathVariable UUID messageId,
                         @Valid @RequestBody MessageRequests.Edit request) {
        return MessageResponse.of(messages.edit(caller, id, messageId, request));
    }

    @DeleteMapping("/conversations/{id}/messages/{messageId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Caller caller, @PathVariable UUID id, @PathVariable UUID messageId) {
        messages.delete(caller, id, messageId);
    }

    @GetMapping("/projects/{projectId}/messages")
    Page<MessageResponse> listInProject(Caller caller, @PathVariable UUID projectId, PageRequest page) {
        return messages.listInProject(caller, projectId, page).map(MessageResponse::of);
    }
}
