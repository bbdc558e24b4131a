package dev.parley.file;

import java.net.URI;
import java.util.UUID;

import dev.parley.web.Caller;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/conversations/{id}/documents")
class DocumentController {

    private final DocumentService documents;

    DocumentController(DocumentService documents) {
        this.documents = documents;
    }

    @GetMapping
    Page<StoredFile> list(Caller caller, @PathVariable UUID id, PageRequest page) {
        return documents.list(caller, id, page);
    }

    @GetMapping("/{fileId}")
    StoredFile get(Caller caller, @PathVariable UUID id, @PathVariable UUID fileId) {
        return documents.get(caller, id, fileId);
    }

    /** 201 when newly attached, 200 when it already was. */
    @PutMapping("/{fileId}")
    ResponseEntity<StoredFile> attach(Caller caller, @PathVariable UUID id, @PathVariable UUID fileId) {
        DocumentService.Attached attached = documents.attach(caller, id, fileId);
        return attached.created()
                ? ResponseEntity.created(URI.create("/api/v1/conversations/" + id + "/documents/" + fileId))
                .body(attached.file())
                : ResponseEntity.ok(attached.file());
    }

    @DeleteMapping("/{fileId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void detach(Caller caller, @PathVariable UUID id, @PathVariable UUID fileId) {
        documents.detach(caller, id, fileId);
    }
}
