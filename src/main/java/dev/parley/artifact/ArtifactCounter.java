package dev.parley.artifact;

import java.util.Map;
import java.util.UUID;

import dev.parley.project.ProjectContentCounter;
import org.springframework.stereotype.Component;

/** The artifacts count of a project summary. */
@Component
class ArtifactCounter implements ProjectContentCounter {

    private final ArtifactRepository artifacts;

    ArtifactCounter(ArtifactRepository artifacts) {
        this.artifacts = artifacts;
    }

    @Override
    public Map<String, Long> count(UUID projectId) {
        return Map.of("artifacts", artifacts.countForProject(projectId));
    }
}
