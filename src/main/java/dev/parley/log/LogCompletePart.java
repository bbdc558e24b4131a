package dev.parley.log;

import java.util.Map;
import java.util.UUID;

import dev.parley.project.ProjectCompletePart;
import dev.parley.web.Cursor;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import org.springframework.stereotype.Component;

/** The newest processing logs of {@code /projects/{id}/complete}; the cursor continues in the logs list. */
@Component
class LogCompletePart implements ProjectCompletePart {

    private final LogRepository logs;

    LogCompletePart(LogRepository logs) {
        this.logs = logs;
    }

    @Override
    public Map<String, Object> sections(UUID projectId, int limit) {
        PageRequest page = PageRequest.first(limit);
        return Map.of("logs", Page.of(logs.list(projectId, null, null, null, page.fetchSize()), page,
                l -> Cursor.of(l.id())));
    }
}
