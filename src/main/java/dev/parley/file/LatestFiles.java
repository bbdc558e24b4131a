package dev.parley.file;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.parley.project.ProjectLatestFiles;
import org.springframework.stereotype.Component;

/** Feeds the summary's {@code latest_files}: the newest record of each purpose present. */
@Component
class LatestFiles implements ProjectLatestFiles {

    private final FileRepository files;

    LatestFiles(FileRepository files) {
        this.files = files;
    }

    @Override
    public Map<String, Object> latestFiles(UUID projectId) {
        Map<String, Object> latest = new LinkedHashMap<>();
        files.latestPerPurpose(projectId).forEach(file -> latest.put(file.purpose().apiValue(), file));
        return latest;
    }
}
