package dev.parley.project;

import java.util.UUID;

/**
 * What a caller may do in a project: its role there (an admin acts as an owner everywhere).
 * Handed out only by {@link ProjectService#require}, so holding one means the check passed.
 */
public record ProjectAccess(UUID projectId, ProjectRole role) {

    public boolean can(ProjectRole required) {
        return role.atLeast(required);
    }
}
