package dev.parley.project;

import java.util.Map;
import java.util.UUID;

/**
 * Implemented by the modules that keep content in a project to contribute sections to
 * {@code GET /projects/{id}/complete} without the project module depending on them: the
 * files module gives {@code files} and {@code files_by_purpose}, the logs module {@code logs},
 * the conversation module {@code conversations} and {@code messages}. Each list section is
 * the newest rows in the list shape ({@code data, has_more, next_cursor}), at most
 * {@code limit} of them.
 */
public interface ProjectCompletePart {

    Map<String, Object> sections(UUID projectId, int limit);
}
