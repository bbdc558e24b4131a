package dev.parley.project;

import java.util.Map;
import java.util.UUID;

/**
 * Implemented by the files module so that the project summary can show the newest file of
 * each purpose without the project module depending on files.
 */
public interface ProjectLatestFiles {

    /** The newest file record of each purpose present, keyed by purpose. */
    Map<String, Object> latestFiles(UUID projectId);
}
