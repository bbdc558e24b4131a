package dev.parley.project;

import dev.parley.web.ApiEnum;

/** A member's role; each includes the rights of the ones before it. */
public enum ProjectRole implements ApiEnum {
    VIEWER, EDITOR, OWNER;

    public boolean atLeast(ProjectRole required) {
        return compareTo(required) >= 0;
    }
}
