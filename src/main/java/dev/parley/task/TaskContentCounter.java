package dev.parley.task;

import java.util.Map;
import java.util.UUID;

import dev.parley.project.ProjectContentCounter;
import org.springframework.stereotype.Component;

/** Feeds the {@code tasks} count of a project's summary. */
@Component
class TaskContentCounter implements ProjectContentCounter {

    private final TaskRepository tasks;

    TaskContentCounter(TaskRepository tasks) {
        this.tasks = tasks;
    }

    @Override
    public Map<String, Long> count(UUID projectId) {
        return Map.of("tasks", tasks.countForProject(projectId));
    }
}
