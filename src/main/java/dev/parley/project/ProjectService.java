package dev.parley.project;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.parley.user.UserService;
import dev.parley.web.Caller;
import dev.parley.web.Cursor;
import dev.parley.web.ForbiddenException;
import dev.parley.web.Ids;
import dev.parley.web.JsonRules;
import dev.parley.web.NotFoundException;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import dev.parley.web.ValidationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The projects module's API. Besides managing projects and members it answers, for every
 * other module, whether a caller may see ({@code VIEWER}), write ({@code EDITOR}) or manage
 * ({@code OWNER}) a project. A project the caller is no member of does not exist for it.
 */
@Service
public class ProjectService {

    static final List<String> COUNTED = List.of("conversations", "messages", "files", "artifacts", "logs", "tasks");
    /** The most any list section of {@code /complete} holds. */
    static final int COMPLETE_LIMIT = 100;

    /** The settings a PATCH may clear with {@code null}. */
    private static final List<String> CLEARABLE = List.of("description", "goals", "custom_instructions",
            "default_model");

    private final ProjectRepository projects;
    private final UserService users;
    private final List<ProjectContentCounter> counters;
    private final ObjectProvider<ProjectLatestFiles> latestFiles;
    private final List<ProjectCompletePart> completeParts;

    ProjectService(ProjectRepository projects, UserService users, List<ProjectContentCounter> counters,
                   ObjectProvider<ProjectLatestFiles> latestFiles, List<ProjectCompletePart> completeParts) {
        this.projects = projects;
        this.users = users;
        this.counters = counters;
        this.latestFiles = latestFiles;
        this.completeParts = completeParts;
    }

    /**
     * Checks the caller's role in a project: 404 when it is not a member (an admin is an
     * owner everywhere), 403 when its role is below {@code required}.
     */
    public ProjectAccess require(Caller caller, UUID projectId, ProjectRole required) {
        ProjectRole role = roleOf(caller, projectId).orElseThrow(() -> new NotFoundException("project"));
        return checked(projectId, role, required);
    }

    /**
     * The same rule for a caller whose membership was read along with a row of an existing
     * project (a conversation's, say), which saves the extra query on every request.
     */
    public ProjectAccess require(Caller caller, UUID projectId, Optional<ProjectRole> memberRole,
                                 ProjectRole required) {
        ProjectRole role = caller.admin() ? ProjectRole.OWNER
                : memberRole.orElseThrow(() -> new NotFoundException("project"));
        return checked(projectId, role, required);
    }

    private static ProjectAccess checked(UUID projectId, ProjectRole role, ProjectRole required) {
        if (!role.atLeast(required)) {
            throw new ForbiddenException("this needs the " + required.apiValue() + " role in the project");
        }
        return new ProjectAccess(projectId, role);
    }

    /** The caller's role in the project, empty when it may not see it. */
    public Optional<ProjectRole> roleOf(Caller caller, UUID projectId) {
        if (caller.admin()) {
            return projects.exists(projectId) ? Optional.of(ProjectRole.OWNER) : Optional.empty();
        }
        return projects.memberRole(projectId, caller.userId());
    }

    /** Whether the user is a member of the project, in any role. */
    public boolean isMember(UUID projectId, UUID userId) {
        return projects.memberRole(projectId, userId).isPresent();
    }

    /** The project, for a caller already checked with {@link #require}. */
    public Project get(ProjectAccess access) {
        return projects.find(access.projectId()).orElseThrow(() -> new NotFoundException("project"));
    }

    /** Adds recorded model usage to the project's counter, atomically. */
    public void addTokenUsage(UUID projectId, long tokens) {
        if (tokens > 0) {
            projects.addTokenUsage(projectId, tokens);
        }
    }

    @Transactional
    Project create(Caller caller, ProjectRequests.Create request) {
        Instant now = Ids.now();
        JsonRules.requireObject("metadata", request.metadata());
        boolean archived = Boolean.TRUE.equals(request.archived());
        boolean pinned = Boolean.TRUE.equals(request.pinned());
        boolean isDefault = Boolean.TRUE.equals(request.isDefault());
        checkFlags(archived, pinned, isDefault, request.pinned(), request.isDefault());
        Project project = new Project(Ids.newId(), caller.userId(), request.name().strip(), request.description(),
                request.goals(), request.customInstructions(), request.defaultModel(),
                request.status() == null ? ProjectStatus.DRAFT : request.status(),
                request.currentVersion() == null ? 1 : request.currentVersion(), pinned, archived, isDefault, 0,
                request.maxTokens() == null ? 200_000 : request.maxTokens(),
                request.metadata() == null ? JsonNodeFactory.instance.objectNode() : request.metadata(), now, now);
        if (isDefault) {
            projects.clearDefault(caller.userId(), project.id(), now);
        }
        projects.insert(project);
        projects.upsertMember(project.id(), caller.userId(), ProjectRole.OWNER, now);
        return project;
    }

    Page<Project> list(Caller caller, Boolean archived, Boolean pinned, PageRequest page) {
        ProjectRepository.ProjectKey after = page.after().map(cursor -> {
            cursor.expect(3);
            return new ProjectRepository.ProjectKey(cursor.number(0) == 1, cursor.instant(1), cursor.uuid(2));
        }).orElse(null);
        return Page.of(projects.listForMember(caller.userId(), archived, pinned, after, page.fetchSize()), page,
                p -> Cursor.of(p.pinned() ? 1 : 0, p.updatedAt(), p.id()));
    }

    Project get(Caller caller, UUID id) {
        return get(require(caller, id, ProjectRole.VIEWER));
    }

    /**
     * Editors may move a project through its processing states ({@code status},
     * {@code current_version}); every other setting is the owners'.
     */
    @Transactional
    Project update(Caller caller, UUID id, ProjectRequests.Update request) {
        boolean settings = request.name() != null || request.description() != null || request.goals() != null
                || request.customInstructions() != null || request.defaultModel() != null || request.pinned() != null
                || request.archived() != null || request.isDefault() != null || request.maxTokens() != null
                || request.metadata() != null || CLEARABLE.stream().anyMatch(request::clears);
        ProjectAccess access = require(caller, id, settings ? ProjectRole.OWNER : ProjectRole.EDITOR);
        // the whole row is written back: concurrent PATCHes of different fields must not undo each other
        projects.lock(id);
        Project current = get(access);
        JsonRules.requireObject("metadata", request.metadata());
        if (request.name() != null && request.name().isBlank()) {
            throw new ValidationException("name", "must not be blank");
        }
        boolean archiving = Boolean.TRUE.equals(request.archived());
        // archiving clears pinned and is_default, but asking for either together with archived contradicts itself
        if (archiving) {
            checkFlags(true, Boolean.TRUE.equals(request.pinned()), Boolean.TRUE.equals(request.isDefault()),
                    request.pinned(), request.isDefault());
        }
        boolean archived = request.archived() != null ? request.archived() : current.archived();
        boolean pinned = archiving ? false : request.pinned() != null ? request.pinned() : current.pinned();
        boolean isDefault = archiving ? false : request.isDefault() != null ? request.isDefault() : current.isDefault();
        checkFlags(archived, pinned, isDefault, request.pinned(), request.isDefault());
        Instant now = Ids.now();
        JsonNode metadata = request.metadata() != null ? request.metadata() : current.metadata();
        Project updated = new Project(current.id(), current.userId(),
                request.name() != null ? request.name().strip() : current.name(),
                patched(request, "description", request.description(), current.description()),
                patched(request, "goals", request.goals(), current.goals()),
                patched(request, "custom_instructions", request.customInstructions(), current.customInstructions()),
                patched(request, "default_model", request.defaultModel(), current.defaultModel()),
                request.status() != null ? request.status() : current.status(),
                request.currentVersion() != null ? request.currentVersion() : current.currentVersion(),
                pinned, archived, isDefault, current.tokenUsage(),
                request.maxTokens() != null ? request.maxTokens() : current.maxTokens(),
                metadata, current.createdAt(), now);
        if (isDefault && !current.isDefault()) {
            projects.clearDefault(current.userId(), current.id(), now);
        }
        projects.update(updated);
        return get(access);
    }

    /** The value a PATCH leaves a clearable member with: cleared, given, or kept. */
    private static <T> T patched(ProjectRequests.Update request, String field, T given, T current) {
        return request.clears(field) ? null : given != null ? given : current;
    }

    /** An archived project is neither pinned nor default; asking for both at once is refused. */
    private static void checkFlags(boolean archived, boolean pinned, boolean isDefault, Boolean askedPinned,
                                   Boolean askedDefault) {
        if (archived && pinned) {
            throw new ValidationException(Boolean.TRUE.equals(askedPinned) ? "pinned" : "archived",
                    "an archived project cannot be pinned");
        }
        if (archived && isDefault) {
            throw new ValidationException(Boolean.TRUE.equals(askedDefault) ? "is_default" : "archived",
                    "an archived project cannot be the default project");
        }
    }

    @Transactional
    void delete(Caller caller, UUID id) {
        require(caller, id, ProjectRole.OWNER);
        projects.delete(id);
    }

    ProjectResponses.Summary summary(Caller caller, UUID id) {
        Project project = get(require(caller, id, ProjectRole.VIEWER));
        Map<String, Long> counts = new LinkedHashMap<>();
        COUNTED.forEach(key -> counts.put(key, 0L));
        counters.forEach(counter -> counts.putAll(counter.count(id)));
        return new ProjectResponses.Summary(ProjectResponses.ProjectResponse.of(project), counts, project.tokenUsage(),
                project.maxTokens(), project.withinBudget(),
                latestFiles.getIfAvailable(() -> ignored -> Map.of()).latestFiles(id));
    }

    /**
     * The project with the newest of everything in it, each list section bounded. A section
     * whose module contributes nothing is an empty list, so the shape never changes.
     */
    Map<String, Object> complete(Caller caller, UUID id) {
        Project project = get(require(caller, id, ProjectRole.VIEWER));
        Map<String, Object> complete = new LinkedHashMap<>();
        complete.put("project", ProjectResponses.ProjectResponse.of(project));
        Page<Object> empty = new Page<>(List.of(), false, null);
        for (String section : List.of("conversations", "messages", "files")) {
            complete.put(section, empty);
        }
        complete.put("files_by_purpose", Map.of());
        complete.put("logs", empty);
        completeParts.forEach(part -> complete.putAll(part.sections(id, COMPLETE_LIMIT)));
        return complete;
    }

    Page<ProjectMember> members(Caller caller, UUID id, PageRequest page) {
        require(caller, id, ProjectRole.VIEWER);
        UUID after = page.after().map(cursor -> cursor.expect(1).uuid(0)).orElse(null);
        return Page.of(projects.members(id, after, page.fetchSize()), page, m -> Cursor.of(m.userId()));
    }

    record MemberChange(ProjectMember member, boolean created) {
    }

    @Transactional
    MemberChange putMember(Caller caller, UUID id, UUID userId, ProjectRole role) {
        require(caller, id, ProjectRole.OWNER);
        if (users.find(userId).isEmpty()) {
            throw new NotFoundException("user");
        }
        // two owners stepping down at once would each still count the other: take turns
        projects.lock(id);
        Optional<ProjectMember> existing = projects.member(id, userId);
        if (existing.isPresent() && existing.get().role() == ProjectRole.OWNER && role != ProjectRole.OWNER
                && projects.countOwners(id) <= 1) {
            throw new ValidationException("role", "a project must keep at least one owner");
        }
        projects.upsertMember(id, userId, role, Ids.now());
        return new MemberChange(projects.member(id, userId).orElseThrow(), existing.isEmpty());
    }

    /** Owners remove anyone; any member may leave. The last owner stays. */
    @Transactional
    void removeMember(Caller caller, UUID id, UUID userId) {
        require(caller, id, userId.equals(caller.userId()) ? ProjectRole.VIEWER : ProjectRole.OWNER);
        projects.lock(id);
        ProjectMember member = projects.member(id, userId).orElseThrow(() -> new NotFoundException("member"));
        if (member.role() == ProjectRole.OWNER && projects.countOwners(id) <= 1) {
            throw new ValidationException("user_id", "a project must keep at least one owner");
        }
        projects.deleteMember(id, userId);
    }
}
