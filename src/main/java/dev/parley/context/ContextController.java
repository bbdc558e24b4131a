package dev.parley.context;

import java.util.UUID;

import dev.parley.web.Caller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ContextController {

    private final ContextService context;

    ContextController(ContextService context) {
        this.context = context;
    }

    @GetMapping("/api/v1/conversations/{id}/context")
    ContextResponse context(Caller caller, @PathVariable UUID id,
                            @RequestParam(name = "max_tokens", required = false) Integer maxTokens,
                            @RequestParam(required = false) String model,
                            @RequestParam(required = false) String query) {
        return context.build(caller, id, maxTokens, model, query);
    }
}
