package dev.parley.log;

import java.util.Map;
import java.util.UUID;

import dev.parley.project.ProjectContentCounter;
import org.springframework.stereotype.Component;

/** The logs count of a project summary. */
@Component
class LogCounter implements ProjectContentCounter {

    private final LogRepository logs;

    LogCounter(LogRepository logs) {
        this.logs = logs;
    }

    @Override
    public Map<String, Long> count(UUID projectId) {
        return Map.of("logs", logs.countForProject(projectId));
    }
}
