package dev.parley.imports;

import dev.parley.web.ApiEnum;

/** The sources Parley imports. */
public enum SourceKind implements ApiEnum {
    PROJECTS_DB("projects-db"),
    THREADS_DB("threads-db"),
    TODO_DB("todo-db"),
    MONGO_EXPORT("mongo-export"),
    CHATGPT("chatgpt"),
    PARLEY("parley");

    private final String apiValue;

    SourceKind(String apiValue) {
        this.apiValue = apiValue;
    }

    @Override
    public String apiValue() {
        return apiValue;
    }
}
