package dev.parley.message;

import dev.parley.web.ApiEnum;

/** Who speaks, as in an OpenAI-style chat: {@code system|user|assistant|tool}. */
public enum MessageRole implements ApiEnum {
    SYSTEM, USER, ASSISTANT, TOOL
}
