package dev.parley.imports;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything a source holds, in Parley's terms but with the source's own ids. References
 * between rows use source ids; the service maps them to Parley ids. Readers fill it and record
 * the problems they found on the way.
 */
public final class SourceData {

    /** Bytes that can be opened any number of times (a file in a zip, a path, a blob column). */
    @FunctionalInterface
    public interface Bytes {
        InputStream open() throws IOException;
    }

    public record User(String sourceId, String username, @Nullable String email, @Nullable String fullName,
                       @Nullable Instant createdAt, @Nullable String preferredId) {
    }

    public record Member(String userSourceId, String role, @Nullable Instant createdAt) {
    }

    public record Project(String sourceId, String ownerSourceId, String name, @Nullable String description,
                          @Nullable String goals, @Nullable String customInstructions, @Nullable String defaultModel,
                          String status, int currentVersion, boolean pinned, boolean archived, boolean isDefault,
                          long maxTokens, ObjectNode metadata, Instant createdAt, Instant updatedAt,
                          List<Member> members, @Nullable String preferredId) {
    }

    public record Message(String sourceId, @Nullable String parentSourceId, @Nullable String userSourceId,
                          String role, String content, @Nullable JsonNode toolCalls, @Nullable String toolCallId,
                          @Nullable String name, ObjectNode metadata, @Nullable JsonNode contextUsed,
                          @Nullable Long promptTokens, @Nullable Long completionTokens, Instant createdAt,
                          @Nullable Instant editedAt, @Nullable String preferredId) {
    }

    public record Conversation(String sourceId, @Nullable String projectSourceId, String userSourceId, String title,
                               @Nullable String modelId, boolean useKnowledgeBase, ObjectNode metadata,
                               @Nullable Instant deletedAt, Instant createdAt, Instant updatedAt,
                               @Nullable String leafSourceId, List<Message> messages, @Nullable String preferredId) {
    }

    /**
     * A file: its {@code bytes}, or for an external file (bytes that stay where the source kept
     * them) its {@code externalLocation} and the {@code declaredSize}; a file with an external
     * location holds no bytes in Parley even when the source has some.
     */
    public record File(String sourceId, @Nullable String projectSourceId, String userSourceId, String filename,
                       String purpose, String mediaType, int version, int orderIndex, ObjectNode metadata,
                       Instant createdAt, @Nullable Bytes bytes, long declaredSize, @Nullable String externalLocation,
                       @Nullable String preferredId) {
    }

    public record DocumentLink(String conversationSourceId, String fileSourceId, String userSourceId,
                               Instant createdAt) {
    }

    public record ArtifactVersion(int version, String userSourceId, String mediaType, String content,
                                  Instant createdAt) {
    }

    public record Artifact(String sourceId, String projectSourceId, String userSourceId,
                           @Nullable String conversationSourceId, @Nullable String messageSourceId, String name,
                           String kind, ObjectNode metadata, Instant createdAt, Instant updatedAt,
                           List<ArtifactVersion> versions, @Nullable String preferredId) {
    }

    public record Log(String sourceId, String projectSourceId, String userSourceId, int version, String level,
                      String summary, @Nullable String fileSourceId, ObjectNode metadata, Instant createdAt,
                      @Nullable String preferredId) {
    }

    public record Task(String sourceId, String userSourceId, @Nullable String projectSourceId,
                       @Nullable String conversationSourceId, String title, @Nullable String description,
                       boolean completed, Instant createdAt, Instant updatedAt, @Nullable String preferredId) {
    }

    public final List<User> users = new ArrayList<>();
    public final List<Project> projects = new ArrayList<>();
    public final List<Conversation> conversations = new ArrayList<>();
    public final List<File> files = new ArrayList<>();
    public final List<DocumentLink> documents = new ArrayList<>();
    public final List<Artifact> artifacts = new ArrayList<>();
    public final List<Log> logs = new ArrayList<>();
    public final List<Task> tasks = new ArrayList<>();
    public final Problems problems = new Problems();

    public int messageCount() {
        return conversations.stream().mapToInt(c -> c.messages().size()).sum();
    }
}
