package dev.parley.file;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.parley.project.ProjectCompletePart;
import dev.parley.web.Cursor;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import org.springframework.stereotype.Component;

/**
 * The files of {@code /projects/{id}/complete}: the newest files (newest version first, as
 * the files list orders them, so its cursor continues in that list) and, per purpose present,
 * the newest of that purpose.
 */
@Component
class FileCompletePart implements ProjectCompletePart {

    private final FileRepository files;

    FileCompletePart(FileRepository files) {
        this.files = files;
    }

    @Override
    public Map<String, Object> sections(UUID projectId, int limit) {
        PageRequest page = PageRequest.first(limit);
        Map<String, Page<StoredFile>> byPurpose = new LinkedHashMap<>();
        Map<FilePurpose, List<StoredFile>> grouped = new LinkedHashMap<>();
        files.newestPerPurpose(projectId, page.fetchSize())
                .forEach(f -> grouped.computeIfAbsent(f.purpose(), p -> new java.util.ArrayList<>()).add(f));
        grouped.forEach((purpose, rows) ->
                byPurpose.put(purpose.apiValue(), Page.of(rows, page, f -> Cursor.of(f.version(), f.id()))));
        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put("files", Page.of(files.listProject(projectId, null, null, null, page.fetchSize()), page,
                f -> Cursor.of(f.version(), f.id())));
        sections.put("files_by_purpose", byPurpose);
        return sections;
    }
}
