package dev.parley.artifact;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.parley.conversation.ConversationMoved;
import dev.parley.project.ProjectRole;
import dev.parley.project.ProjectService;
import dev.parley.web.Caller;
import dev.parley.web.Cursor;
import dev.parley.web.Ids;
import dev.parley.web.JsonRules;
import dev.parley.web.NotFoundException;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import dev.parley.web.ValidationException;
import org.springframework.context.event.EventListener;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The artifacts module's API. Viewers read, editors create, change and delete. A change of
 * content (or of its media type) takes the next version number on the artifact's row, whose
 * lock orders concurrent changes, and adds a version; a change of name, kind, links or
 * metadata alone changes the artifact without making a version.
 */
@Service
public class ArtifactService {

    /**
     * How many bytes of content one page of {@code /versions} carries: a page ends early (with
     * a cursor) rather than hold a hundred 10 MiB versions in memory and in one answer.
     */
    static final long VERSIONS_PAGE_BYTES = 16L * 1024 * 1024;

    private final ArtifactRepository artifacts;
    private final ProjectService projects;

    ArtifactService(ArtifactRepository artifacts, ProjectService projects) {
        this.artifacts = artifacts;
        this.projects = projects;
    }

    @Transactional
    Artifact create(Caller caller, UUID projectId, ArtifactRequests.Create request) {
        projects.require(caller, projectId, ProjectRole.EDITOR);
        JsonRules.requireObject("metadata", request.metadata());
        if (request.name().isBlank()) {
            throw new ValidationException("name", "must not be blank");
        }
        String mediaType = mediaType(request.kind(), request.mediaType());
        long size = checkContent(request.kind(), request.content());
        checkLinks(projectId, request.conversationId(), request.messageId());
        Instant now = Ids.now();
        UUID conversationId = linkedConversation(projectId, request.conversationId(), request.messageId());
        Artifact artifact = new Artifact(Ids.newId(), projectId, caller.userId(), conversationId, request.messageId(),
                request.name().strip(), request.kind(), mediaType, request.content(), size, 1,
                request.metadata() == null ? JsonNodeFactory.instance.objectNode() : request.metadata(), now, now);
        artifacts.insert(artifact);
        artifacts.insertVersion(projectId, new ArtifactVersion(artifact.id(), 1, mediaType, null, size,
                caller.userId(), now), request.content());
        return artifact;
    }

    Artifact get(Caller caller, UUID projectId, UUID id) {
        projects.require(caller, projectId, ProjectRole.VIEWER);
        return find(projectId, id);
    }

    private Artifact find(UUID projectId, UUID id) {
        return artifacts.find(projectId, id).orElseThrow(() -> new NotFoundException("artifact"));
    }

    Page<Artifact> list(Caller caller, UUID projectId, ArtifactKind kind, UUID conversationId, PageRequest page) {
        projects.require(caller, projectId, ProjectRole.VIEWER);
        ArtifactRepository.UpdatedKey after = page.after().map(c -> {
            c.expect(2);
            return new ArtifactRepository.UpdatedKey(c.instant(0), c.uuid(1));
        }).orElse(null);
        return Page.of(artifacts.list(projectId, kind, conversationId, after, page.fetchSize()), page,
                a -> Cursor.of(a.updatedAt(), a.id()));
    }

    @Transactional
    Artifact update(Caller caller, UUID projectId, UUID id, ArtifactRequests.Update request) {
        projects.require(caller, projectId, ProjectRole.EDITOR);
        Artifact current = find(projectId, id);
        JsonRules.requireObject("metadata", request.metadata());
        if (request.name() != null && request.name().isBlank()) {
            throw new ValidationException("name", "must not be blank");
        }
        ArtifactKind kind = request.kind() != null ? request.kind() : current.kind();
        String mediaType = request.mediaType() != null ? mediaType(kind, request.mediaType()) : current.mediaType();
        String content = request.content() != null ? request.content() : current.content();
        long size = checkContent(kind, content);
        boolean unlinking = request.clears("conversation_id");
        if (unlinking && request.messageId() != null) {
            throw new ValidationException("conversation_id", "cannot be cleared while message_id links a message");
        }
        // a message link implies its conversation: taking the conversation away takes the message too
        UUID messageId = unlinking || request.clears("message_id") ? null
                : request.messageId() != null ? request.messageId() : current.messageId();
        UUID requestedConversation = unlinking ? null
                : request.conversationId() != null ? request.conversationId()
                : request.messageId() != null ? null : current.conversationId();
        checkLinks(projectId, requestedConversation, messageId);
        UUID conversationId = linkedConversation(projectId, requestedConversation, messageId);
        Instant now = Ids.now();
        Artifact details = new Artifact(current.id(), projectId, current.userId(), conversationId, messageId,
                request.name() != null ? request.name().strip() : current.name(), kind, mediaType, content, size,
                current.version(), request.metadata() != null ? request.metadata() : current.metadata(),
                current.createdAt(), now);
        artifacts.updateDetails(details);
        if (!content.equals(current.content()) || !mediaType.equals(current.mediaType())) {
            int version = artifacts.nextVersion(id, now);
            artifacts.insertVersion(projectId, new ArtifactVersion(id, version, mediaType, null, size,
                    caller.userId(), now), content);
        }
        return find(projectId, id);
    }

    @Transactional
    void delete(Caller caller, UUID projectId, UUID id) {
        projects.require(caller, projectId, ProjectRole.EDITOR);
        if (!artifacts.delete(projectId, id)) {
            throw new NotFoundException("artifact");
        }
    }

    Page<ArtifactVersion> versions(Caller caller, UUID projectId, UUID id, PageRequest page) {
        projects.require(caller, projectId, ProjectRole.VIEWER);
        find(projectId, id);
        Integer after = page.after().map(c -> (int) c.expect(1).number(0)).orElse(null);
        List<ArtifactVersion> listed = artifacts.versions(id, after, page.fetchSize());
        // each version comes with its content, as many as fit in the page's byte budget (at least one)
        int take = 0;
        long bytes = 0;
        while (take < Math.min(listed.size(), page.limit())
                && (take == 0 || bytes + listed.get(take).sizeBytes() <= VERSIONS_PAGE_BYTES)) {
            bytes += listed.get(take).sizeBytes();
            take++;
        }
        List<ArtifactVersion> shown = listed.subList(0, take);
        Map<Integer, String> contents = artifacts.contents(id, shown.stream().map(ArtifactVersion::version).toList());
        List<ArtifactVersion> data = shown.stream().map(v -> v.withContent(contents.get(v.version()))).toList();
        boolean more = listed.size() > take;
        return new Page<>(data, more, more ? Cursor.of(data.getLast().version()).encode() : null);
    }

    ArtifactVersion version(Caller caller, UUID projectId, UUID id, int version) {
        projects.require(caller, projectId, ProjectRole.VIEWER);
        find(projectId, id);
        return artifacts.version(id, version).orElseThrow(() -> new NotFoundException("artifact version"));
    }

    /**
     * A conversation that leaves the project takes its links along: the project's artifacts
     * no longer point at it (or at its messages), in the moving transaction.
     */
    @EventListener
    void onMoved(ConversationMoved moved) {
        if (moved.fromProjectId() != null) {
            artifacts.unlinkConversation(moved.conversationId(), moved.fromProjectId());
        }
    }

    private static String mediaType(ArtifactKind kind, String requested) {
        if (requested == null || requested.isBlank()) {
            return switch (kind) {
                case CODE -> "text/plain";
                case DOCUMENT -> "text/markdown";
                case IMAGE, AUDIO, VIDEO ->
                        throw new ValidationException("media_type", "is required for " + kind.apiValue() + " artifacts");
            };
        }
        try {
            MediaType parsed = MediaType.parseMediaType(requested.trim());
            if (parsed.isWildcardType() || parsed.isWildcardSubtype()) {
                throw new ValidationException("media_type", "must be a concrete media type");
            }
            return parsed.toString().toLowerCase(Locale.ROOT);
        } catch (InvalidMediaTypeException e) {
            throw new ValidationException("media_type", "is not a media type");
        }
    }

    /** The content's UTF-8 size, checked against the limit; binary kinds must be base64. */
    private static long checkContent(ArtifactKind kind, String content) {
        long size = content.getBytes(StandardCharsets.UTF_8).length;
        if (size > ArtifactRequests.MAX_CONTENT_BYTES) {
            throw new ValidationException("content", "must be at most " + ArtifactRequests.MAX_CONTENT_BYTES
                    + " bytes (UTF-8)");
        }
        if (kind.binary()) {
            try {
                Base64.getDecoder().decode(content);
            } catch (IllegalArgumentException e) {
                throw new ValidationException("content", "must be base64 for " + kind.apiValue() + " artifacts");
            }
        }
        return size;
    }

    private void checkLinks(UUID projectId, UUID conversationId, UUID messageId) {
        if (conversationId != null && !artifacts.conversationInProject(conversationId, projectId)) {
            throw new ValidationException("conversation_id", "is not a conversation of this project");
        }
        if (messageId != null) {
            UUID ofMessage = artifacts.messageConversation(messageId, projectId)
                    .orElseThrow(() -> new ValidationException("message_id", "is not a message of this project"));
            if (conversationId != null && !Objects.equals(conversationId, ofMessage)) {
                throw new ValidationException("message_id", "is not a message of conversation_id");
            }
        }
    }

    /** A message link implies its conversation. */
    private UUID linkedConversation(UUID projectId, UUID conversationId, UUID messageId) {
        if (conversationId != null || messageId == null) {
            return conversationId;
        }
        return artifacts.messageConversation(messageId, projectId).orElse(null);
    }
}
