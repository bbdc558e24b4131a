package dev.parley.file;

import java.util.Map;
import java.util.UUID;

import dev.parley.project.ProjectContentCounter;
import org.springframework.stereotype.Component;

/** The files count of a project summary. */
@Component
class FileCounter implements ProjectContentCounter {

    private final FileRepository files;

    FileCounter(FileRepository files) {
        this.files = files;
    }

    @Override
    public Map<String, Long> count(UUID projectId) {
        return Map.of("files", files.countForProject(projectId));
    }
}
