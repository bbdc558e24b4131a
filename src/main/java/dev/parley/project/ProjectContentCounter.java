package dev.parley.project;

import java.util.Map;
import java.util.UUID;

/**
 * Implemented by the modules that keep content in a project (conversations, files, tasks,
 * ...) so that the project summary can count it without the project module depending on them.
 */
public interface ProjectContentCounter {

    /** Counts by the summary's keys, e.g. {@code conversations}, {@code messages}. */
    Map<String, Long> count(UUID projectId);
}
