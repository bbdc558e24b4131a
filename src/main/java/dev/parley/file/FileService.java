package dev.parley.file;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

import dev.parley.project.ProjectAccess;
import dev.parley.project.ProjectRole;
import dev.parley.project.ProjectService;
import dev.parley.storage.BlobStore;
import dev.parley.storage.BlobTooLargeException;
import dev.parley.storage.StoredBlob;
import dev.parley.web.ApiException;
import dev.parley.web.Caller;
import dev.parley.web.ConflictException;
import dev.parley.web.Cursor;
import dev.parley.web.ErrorCode;
import dev.parley.web.ForbiddenException;
import dev.parley.web.Ids;
import dev.parley.web.JsonRules;
import dev.parley.web.NotFoundException;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import dev.parley.web.ValidationException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The files module's API: uploads, records, downloads, deletes and who may do each. A project
 * file needs the viewer role to read and the editor role to upload or delete; a library file
 * (no project) belongs to its user alone, though members of a conversation it is attached to
 * may read it.
 */
@Service
public class FileService {

    public static final int MAX_VERSION = 1_000_000;

    private final FileRepository files;
    private final ProjectService projects;
    private final BlobStore blobs;
    private final BlobLocks locks;
    private final TransactionTemplate transaction;
    private final JsonMapper json;
    private final FilesProperties properties;
    private final ApplicationEventPublisher events;

    FileService(FileRepository files, ProjectService projects, BlobStore blobs, BlobLocks locks,
                TransactionTemplate transaction, JsonMapper json, FilesProperties properties,
                ApplicationEventPublisher events) {
        this.events = events;
        this.files = files;
        this.projects = projects;
        this.blobs = blobs;
        this.locks = locks;
        this.transaction = transaction;
        this.json = json;
        this.properties = properties;
    }

    /** The fields of an upload besides its bytes, as the form gave them. */
    record UploadForm(String filename, FilePurpose purpose, Integer version, Integer orderIndex, String metadata,
                      String declaredType) {
    }

    /** Uploads to a project (editors) or, with a null project, to the caller's library. */
    StoredFile upload(Caller caller, UUID projectId, UploadForm form, InputStream content) {
        int version = 1;
        if (projectId != null) {
            ProjectAccess access = projects.require(caller, projectId, ProjectRole.EDITOR);
            if (form.purpose() == null) {
                throw new ValidationException("purpose", "is required");
            }
            version = form.version() != null ? form.version() : projects.get(access).currentVersion();
        } else if (form.version() != null) {
            version = form.version();
        }
        String filename = Filenames.check(form.filename());
        JsonNode metadata = parseMetadata(form.metadata());
        FilePurpose purpose = form.purpose() == null ? FilePurpose.ATTACHMENT : form.purpose();
        int orderIndex = form.orderIndex() == null ? 0 : form.orderIndex();

        StoredBlob blob = write(content);
        try {
            StoredFile file = new StoredFile(Ids.newId(), projectId, caller.userId(), filename, purpose,
                    MediaTypes.choose(form.declaredType(), blob.head(), filename), blob.size(), blob.sha256(),
                    version, orderIndex, metadata, Ids.now(), null);
            ReentrantLock lock = locks.of(blob.sha256());
            lock.lock();
            try {
                blobs.commit(blob);
                try {
                    transaction.executeWithoutResult(status -> {
                        files.upsertBlob(blob.sha256(), blob.size(), file.createdAt());
                        files.insert(file);
                    });
                } catch (RuntimeException e) {
                    // no record was made: drop the bytes now unless another record uses them
                    removeBytesIfUnreferenced(blob.sha256());
                    throw e;
                }
            } finally {
                lock.unlock();
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            blobs.discard(blob);
        }
    }

    private StoredBlob write(InputStream content) {
        try (InputStream in = content) {
            return blobs.put(in, properties.maxSize().toBytes());
        } catch (BlobTooLargeException e) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "the file is larger than " + e.maxBytes() + " bytes, the most this server accepts");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void removeBytesIfUnreferenced(String sha256) {
        try {
            if (!files.blobExists(sha256)) {
                blobs.delete(sha256);
            }
        } catch (IOException | RuntimeException cleanup) {
            // the sweep removes them later
        }
    }

    private JsonNode parseMetadata(String text) {
        if (text == null || text.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JacksonException e) {
            throw new ValidationException("metadata", "must be a JSON object");
        }
        if (node == null || !node.isObject()) {
            throw new ValidationException("metadata", "must be a JSON object");
        }
        JsonRules.requireObject("metadata", node);
        return node;
    }

    /** A file record the caller may read. */
    public StoredFile get(Caller caller, UUID id) {
        StoredFile file = files.find(id).orElseThrow(() -> new NotFoundException("file"));
        if (!canRead(caller, file)) {
            throw new NotFoundException("file");
        }
        return file;
    }

    /**
     * The file and its bytes, for a caller that may read it; a 409 {@code content_external}
     * for an external file, whose bytes Parley does not have.
     */
    Download download(Caller caller, UUID id) {
        StoredFile file = get(caller, id);
        requireContent(file);
        try {
            return new Download(file, blobs.open(file.blob()));
        } catch (IOException e) {
            throw new IllegalStateException("the bytes of file " + id + " are missing from the blob store", e);
        }
    }

    record Download(StoredFile file, Resource content) {
    }

    private static void requireContent(StoredFile file) {
        if (file.external()) {
            throw new ConflictException(ErrorCode.CONTENT_EXTERNAL, "the bytes of this file are not in Parley: "
                    + "it is a record of " + file.externalLocation());
        }
    }

    private boolean canRead(Caller caller, StoredFile file) {
        if (file.projectId() != null) {
            return projects.roleOf(caller, file.projectId()).isPresent();
        }
        return file.userId().equals(caller.userId()) || files.attachedToVisibleConversation(file.id(), caller.userId());
    }

    /**
     * Deletes the record, and the bytes when no other record uses them. The database commits
     * first; the bytes are unlinked after, so no record ever points at missing bytes.
     */
    void delete(Caller caller, UUID id) {
        StoredFile file = get(caller, id);
        if (file.projectId() != null) {
            projects.require(caller, file.projectId(), ProjectRole.EDITOR);
        } else if (!file.userId().equals(caller.userId())) {
            throw new ForbiddenException("only its owner may delete a library file");
        }
        // an external file's record points at the blob of no bytes, which goes like any other
        // blob when the last record that names it does
        ReentrantLock lock = locks.of(file.blob());
        lock.lock();
        try {
            Boolean blobGone = transaction.execute(status ->
                    files.delete(file.id()) && files.deleteBlobIfUnreferenced(file.blob()));
            if (Boolean.TRUE.equals(blobGone)) {
                try {
                    blobs.delete(file.blob());
                } catch (IOException e) {
                    // the record is gone; the sweep removes the orphaned bytes later
                }
            }
        } finally {
            lock.unlock();
        }
        events.publishEvent(new FileDeleted(file.id(), file.projectId()));
    }

    Page<StoredFile> listProject(Caller caller, UUID projectId, FilePurpose purpose, Integer version, PageRequest page) {
        projects.require(caller, projectId, ProjectRole.VIEWER);
        FileRepository.VersionKey after = page.after().map(c -> {
            c.expect(2);
            return new FileRepository.VersionKey((int) c.number(0), c.uuid(1));
        }).orElse(null);
        return Page.of(files.listProject(projectId, purpose, version, after, page.fetchSize()), page,
                f -> Cursor.of(f.version(), f.id()));
    }

    StoredFile latest(Caller caller, UUID projectId, FilePurpose purpose) {
        projects.require(caller, projectId, ProjectRole.VIEWER);
        return files.latest(projectId, purpose).orElseThrow(() -> new NotFoundException("file"));
    }

    Page<StoredFile> library(Caller caller, PageRequest page) {
        UUID after = page.after().map(c -> c.expect(1).uuid(0)).orElse(null);
        return Page.of(files.listLibrary(caller.userId(), after, page.fetchSize()), page, f -> Cursor.of(f.id()));
    }

    /** For other modules that already checked access (the knowledge base's indexer): a record by id. */
    public java.util.Optional<StoredFile> find(UUID id) {
        return files.find(id);
    }

    /**
     * For other modules that already checked access: the bytes of a file, to be closed by the
     * caller. An external file has none here: check {@link StoredFile#external()} first (this
     * answers a 409 {@code content_external} for one).
     */
    public InputStream openContent(StoredFile file) throws IOException {
        requireContent(file);
        return blobs.open(file.blob()).getInputStream();
    }

    /** For other modules: whether a file is part of a project (to link logs to it). */
    public boolean inProject(UUID fileId, UUID projectId) {
        return files.find(fileId).map(f -> projectId.equals(f.projectId())).orElse(false);
    }

    /** The newest file of each purpose in a project, for a caller already allowed to see it. */
    public List<StoredFile> latestPerPurpose(UUID projectId) {
        return files.latestPerPurpose(projectId);
    }
}
