package dev.parley.file;

import java.util.UUID;

import dev.parley.conversation.ConversationMoved;
import dev.parley.project.ProjectRole;
import dev.parley.web.Caller;
import dev.parley.web.Cursor;
import dev.parley.web.ForbiddenException;
import dev.parley.web.Ids;
import dev.parley.web.NotFoundException;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import dev.parley.web.ApiEnum;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Documents: files attached to conversations, many-to-many. A caller sees a conversation it
 * owns or one in a project it is a member of (not soft-deleted); it may change the
 * attachments of one it owns or where it is an editor, and may attach only files it can read.
 */
@Service
class DocumentService {

    private final FileRepository files;
    private final FileService fileService;

    DocumentService(FileRepository files, FileService fileService) {
        this.files = files;
        this.fileService = fileService;
    }

    record Attached(StoredFile file, boolean created) {
    }

    /**
     * A conversation that leaves a project leaves that project's files behind: attached, they
     * would show the project's documents to the members of wherever it went.
     */
    @EventListener
    void onMoved(ConversationMoved moved) {
        if (moved.fromProjectId() != null) {
            files.detachProjectFiles(moved.conversationId(), moved.fromProjectId());
        }
    }

    @Transactional
    Attached attach(Caller caller, UUID conversationId, UUID fileId) {
        FileRepository.ConversationSeen conversation = writable(caller, conversationId);
        StoredFile file = fileService.get(caller, fileId);
        boolean created = files.attach(conversation.id(), file.id(), caller.userId(), Ids.now());
        return new Attached(file, created);
    }

    @Transactional
    void detach(Caller caller, UUID conversationId, UUID fileId) {
        writable(caller, conversationId);
        if (!files.detach(conversationId, fileId)) {
            throw new NotFoundException("document");
        }
    }

    StoredFile get(Caller caller, UUID conversationId, UUID fileId) {
        visible(caller, conversationId);
        return files.document(conversationId, fileId).orElseThrow(() -> new NotFoundException("document"));
    }

    Page<StoredFile> list(Caller caller, UUID conversationId, PageRequest page) {
        visible(caller, conversationId);
        FileRepository.DocumentKey after = page.after().map(c -> {
            c.expect(2);
            return new FileRepository.DocumentKey(c.instant(0), c.uuid(1));
        }).orElse(null);
        return Page.of(files.documents(conversationId, after, page.fetchSize()), page,
                d -> Cursor.of(d.attachedAt(), d.file().id())).map(FileRepository.Document::file);
    }

    private FileRepository.ConversationSeen visible(Caller caller, UUID conversationId) {
        FileRepository.ConversationSeen seen = files.conversation(conversationId, caller.userId())
                .orElseThrow(() -> new NotFoundException("conversation"));
        boolean owner = seen.ownerId().equals(caller.userId());
        boolean member = seen.projectId() != null && (seen.role() != null || caller.admin());
        if (!owner && !member) {
            throw new NotFoundException("conversation");
        }
        return seen;
    }

    private FileRepository.ConversationSeen writable(Caller caller, UUID conversationId) {
        FileRepository.ConversationSeen seen = visible(caller, conversationId);
        boolean owner = seen.ownerId().equals(caller.userId());
        boolean editor = caller.admin() && seen.projectId() != null
                || seen.role() != null && ApiEnum.parse(ProjectRole.class, seen.role()).atLeast(ProjectRole.EDITOR);
        if (!owner && !editor) {
            throw new ForbiddenException("this needs the editor role in the conversation's project");
        }
        return seen;
    }
}
