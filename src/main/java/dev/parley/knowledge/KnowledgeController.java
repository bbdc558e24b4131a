package dev.parley.knowledge;

import java.net.URI;
import java.util.UUID;

import dev.parley.knowledge.KnowledgeResponses.KnowledgeBaseResponse;
import dev.parley.knowledge.KnowledgeResponses.SearchResponse;
import dev.parley.web.Caller;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects/{projectId}/knowledge-base")
class KnowledgeController {

    private final KnowledgeService knowledge;

    KnowledgeController(KnowledgeService knowledge) {
        this.knowledge = knowledge;
    }

    /** 201 with a Location when it made the knowledge base, 200 when it changed the existing one. */
    @PutMapping
    ResponseEntity<KnowledgeBaseResponse> put(Caller caller, @PathVariable UUID projectId,
                                              @Valid @RequestBody KnowledgeRequests.Put request) {
        KnowledgeService.PutResult result = knowledge.put(caller, projectId, request);
        if (result.created()) {
            return ResponseEntity.created(URI.create("/api/v1/projects/" + projectId + "/knowledge-base"))
                    .body(result.knowledgeBase());
        }
        return ResponseEntity.ok(result.knowledgeBase());
    }

    @GetMapping
    KnowledgeBaseResponse get(Caller caller, @PathVariable UUID projectId) {
        return knowledge.get(caller, projectId);
    }

    /** 202: indexing runs in the background; adding a file that is already there answers 200 and its state. */
    @PostMapping("/files")
    ResponseEntity<KnowledgeFile> addFile(Caller caller, @PathVariable UUID projectId,
                                          @Valid @RequestBody KnowledgeRequests.AddFile request) {
        KnowledgeService.Added added = knowledge.addFile(caller, projectId, request.fileId());
        return ResponseEntity.status(added.added() ? HttpStatus.ACCEPTED : HttpStatus.OK).body(added.file());
    }

    @GetMapping("/files")
    Page<KnowledgeFile> files(Caller caller, @PathVariable UUID projectId, PageRequest page) {
        return knowledge.files(caller, projectId, page);
    }

    @DeleteMapping("/files/{fileId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeFile(Caller caller, @PathVariable UUID projectId, @PathVariable UUID fileId) {
        knowledge.removeFile(caller, projectId, fileId);
    }

    @PostMapping("/search")
    SearchResponse search(Caller caller, @PathVariable UUID projectId,
                          @Valid @RequestBody KnowledgeRequests.Search request) {
        return new SearchResponse(knowledge.search(caller, projectId, request));
    }

    @PostMapping("/reindex")
    @ResponseStatus(HttpStatus.ACCEPTED)
    KnowledgeBaseResponse reindex(Caller caller, @PathVariable UUID projectId) {
        return knowledge.reindex(caller, projectId);
    }
}
