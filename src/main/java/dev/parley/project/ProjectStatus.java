package dev.parley.project;

import dev.parley.web.ApiEnum;

public enum ProjectStatus implements ApiEnum {
    DRAFT, PROCESSING, COMPLETED, ERROR
}
