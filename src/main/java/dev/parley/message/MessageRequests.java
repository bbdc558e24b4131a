package dev.parley.message;

import java.util.List;
import java.util.UUID;

import dev.parley.web.ApiEnum;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Bodies of the message routes; {@link NewMessage} is also how other modules append. */
public final class MessageRequests {

    public static final int MAX_CONTENT = 100_000;
    public static final int MAX_BATCH = 1000;

    private MessageRequests() {
    }

    /**
     * A message to append. Rules across fields (empty content only with tool calls, tool
     * calls only on assistant messages, {@code tool_call_id} exactly on tool messages) are
     * checked by the service.
     */
    public record NewMessage(@NotNull MessageRole role,
                             @Nullable @Size(max = MAX_CONTENT) String content,
                             @Nullable UUID parentId,
                             @Nullable @Size(max = 128) List<@NotNull @Valid ToolCall> toolCalls,
                             @Nullable @Size(min = 1, max = 200) String toolCallId,
                             @Nullable @Size(min = 1, max = 200) String name,
                             @Nullable JsonNode metadata,
                             @Nullable JsonNode contextUsed,
                             @Nullable @Valid Usage usage) {
    }

    /** An OpenAI tool call: {@code {id, type: "function", function: {name, arguments}}}. */
    public record ToolCall(@NotBlank @Size(max = 200) String id,
                           @NotNull ToolCallType type,
                           @NotNull @Valid FunctionCall function) {
    }

    public enum ToolCallType implements ApiEnum {
        FUNCTION
    }

    /** {@code arguments} is a string (JSON text, as the model wrote it), kept byte for byte. */
    public record FunctionCall(@NotBlank @Size(max = 200) String name,
                               @NotNull @Size(max = MAX_CONTENT) String arguments) {
    }

    public record Usage(@NotNull @PositiveOrZero @Max(1_000_000_000L) Long promptTokens,
                        @NotNull @PositiveOrZero @Max(1_000_000_000L) Long completionTokens) {
    }

    record Batch(@NotNull @Size(min = 1, max = MAX_BATCH) List<@NotNull @Valid NewMessage> messages) {
    }

    /** An edit: new content and/or metadata; an absent field stays as it is. */
    record Edit(@Nullable @Size(max = MAX_CONTENT) String content, @Nullable JsonNode metadata) {
    }
}
