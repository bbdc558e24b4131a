package dev.parley.task;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import dev.parley.conversation.ConversationMoved;
import dev.parley.project.ProjectRole;
import dev.parley.project.ProjectService;
import dev.parley.web.Caller;
import dev.parley.web.Cursor;
import dev.parley.web.ForbiddenException;
import dev.parley.web.Ids;
import dev.parley.web.NotFoundException;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import dev.parley.web.ValidationException;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The tasks module's API. Who may do what:
 * <ul>
 * <li>a task in a project is read by the project's viewers and created, changed and deleted
 *     by its editors (owners and admins included), whoever created it;</li>
 * <li>a task outside any project is its creator's alone: to anyone else, an admin included,
 *     it does not exist (404);</li>
 * <li>a task may name the conversation it came from, which must be one the caller can see
 *     (not deleted; the caller's own or in a project the caller is a member of) and must
 *     be in the task's project: a task created without {@code project_id} from a project's
 *     conversation goes into that project, and a task outside any project only points at
 *     a conversation outside any project. Keeping both in one project keeps every row of
 *     a project under the project's rules and shard key.</li>
 * </ul>
 * Lists are newest first: the caller's own tasks (in projects it still belongs to, or in
 * none), or with {@code project_id} every task of that project.
 */
@Service
public class TaskService {

    private final TaskRepository tasks;
    private final ProjectService projects;

    TaskService(TaskRepository tasks, ProjectService projects) {
        this.tasks = tasks;
        this.projects = projects;
    }

    /**
     * A conversation that leaves a project leaves that project's tasks behind, unlinked: a
     * task's conversation is one of its own project.
     */
    @EventListener
    void onMoved(ConversationMoved moved) {
        if (moved.fromProjectId() != null) {
            tasks.unlinkConversation(moved.conversationId(), moved.fromProjectId());
        }
    }

    /** The list filters; each is ignored when null. */
    record Filter(Boolean completed, UUID projectId, UUID conversationId) {
    }

    @Transactional
    Task create(Caller caller, TaskRequests.Create request) {
        UUID projectId = request.projectId();
        // the project answers first, so that a stranger to it learns nothing from the conversation check
        if (projectId != null) {
            projects.require(caller, projectId, ProjectRole.EDITOR);
        }
        if (request.conversationId() != null) {
            TaskRepository.LinkedConversation conversation = tasks
                    .visibleConversation(request.conversationId(), caller.userId(), caller.admin())
                    .orElseThrow(() -> new ValidationException("conversation_id",
                            "is not a conversation you can see"));
            if (projectId == null && conversation.projectId() != null) {
                projectId = conversation.projectId();
                projects.require(caller, projectId, ProjectRole.EDITOR);
            } else if (!Objects.equals(projectId, conversation.projectId())) {
                throw new ValidationException("conversation_id", "must be a conversation of the task's project");
            }
        }
        Instant now = Ids.now();
        Task task = new Task(Ids.newId(), caller.userId(), projectId, request.conversationId(), request.title().strip(),
                request.description(), Boolean.TRUE.equals(request.completed()), now, now);
        tasks.insert(task);
        return task;
    }

    Page<Task> list(Caller caller, Filter filter, PageRequest page) {
        UUID after = page.after().map(cursor -> cursor.expect(1).uuid(0)).orElse(null);
        if (filter.projectId() != null) {
            projects.require(caller, filter.projectId(), ProjectRole.VIEWER);
            return Page.of(tasks.listForProject(filter.projectId(), filter.completed(), filter.conversationId(), after,
                    page.fetchSize()), page, t -> Cursor.of(t.id()));
        }
        return Page.of(tasks.listForUser(caller.userId(), caller.admin(), filter.completed(), filter.conversationId(),
                after, page.fetchSize()), page, t -> Cursor.of(t.id()));
    }

    Task get(Caller caller, UUID id) {
        return visible(caller, id, ProjectRole.VIEWER);
    }

    @Transactional
    Task update(Caller caller, UUID id, TaskRequests.Update request) {
        Task current = visible(caller, id, ProjectRole.EDITOR);
        if (request.title() != null && request.title().isBlank()) {
            throw new ValidationException("title", "must not be blank");
        }
        Task updated = new Task(current.id(), current.userId(), current.projectId(), current.conversationId(),
                request.title() != null ? request.title().strip() : current.title(),
                request.clears("description") ? null
                        : request.description() != null ? request.description() : current.description(),
                request.completed() != null ? request.completed() : current.completed(),
                current.createdAt(), Ids.now());
        tasks.update(updated);
        return updated;
    }

    @Transactional
    void delete(Caller caller, UUID id) {
        visible(caller, id, ProjectRole.EDITOR);
        tasks.delete(id);
    }

    /**
     * The task, when the caller may see it (else 404) and has {@code required} for it (else
     * 403). A task outside any project needs nothing but being its creator.
     */
    private Task visible(Caller caller, UUID id, ProjectRole required) {
        Task task = tasks.find(id).orElseThrow(() -> new NotFoundException("task"));
        if (task.projectId() == null) {
            if (!Objects.equals(task.userId(), caller.userId())) {
                throw new NotFoundException("task");
            }
            return task;
        }
        ProjectRole role = projects.roleOf(caller, task.projectId()).orElseThrow(() -> new NotFoundException("task"));
        if (!role.atLeast(required)) {
            throw new ForbiddenException("this needs the " + required.apiValue() + " role in the task's project");
        }
        return task;
    }
}
