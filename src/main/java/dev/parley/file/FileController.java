package dev.parley.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.UUID;

import dev.parley.web.Caller;
import dev.parley.web.Page;
import dev.parley.web.PageRequest;
import dev.parley.web.RangeNotSatisfiableException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/v1")
class FileController {

    private final FileService files;

    FileController(FileService files) {
        this.files = files;
    }

    /**
     * The form: {@code file} (the bytes; its part's file name is the record's unless a
     * {@code filename} field overrides it), {@code purpose}, {@code version},
     * {@code order_index}, {@code metadata} (a JSON object as text).
     */
    @PostMapping(path = "/projects/{id}/files", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<StoredFile> uploadToProject(Caller caller, @PathVariable UUID id,
                                               @RequestParam("file") MultipartFile file,
                                               @RequestParam(required = false) FilePurpose purpose,
                                               @RequestParam(required = false) @Min(1) @Max(FileService.MAX_VERSION)
                                               Integer version,
                                               @RequestParam(name = "order_index", required = false) @Min(0)
                                               @Max(1_000_000) Integer orderIndex,
                                               @RequestParam(required = false) String metadata,
                                               @RequestParam(required = false) String filename) {
        return created(files.upload(caller, id, form(file, purpose, version, orderIndex, metadata, filename),
                stream(file)));
    }

    @PostMapping(path = "/files", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<StoredFile> uploadToLibrary(Caller caller, @RequestParam("file") MultipartFile file,
                                               @RequestParam(required = false) FilePurpose purpose,
                                               @RequestParam(required = false) @Min(1) @Max(FileService.MAX_VERSION)
                                               Integer version,
                                               @RequestParam(name = "order_index", required = false) @Min(0)
                                               @Max(1_000_000) Integer orderIndex,
                                               @RequestParam(required = false) String metadata,
                                               @RequestParam(required = false) String filename) {
        return created(files.upload(caller, null, form(file, purpose, version, orderIndex, metadata, filename),
                stream(file)));
    }

    @GetMapping("/files")
    Page<StoredFile> library(Caller caller, PageRequest page) {
        return files.library(caller, page);
    }

    @GetMapping("/projects/{id}/files")
    Page<StoredFile> list(Caller caller, @PathVariable UUID id, @RequestParam(required = false) FilePurpose purpose,
                          @RequestParam(required = false) @Min(1) @Max(FileService.MAX_VERSION) Integer version,
                          PageRequest page) {
        return files.listProject(caller, id, purpose, version, page);
    }

    @GetMapping("/projects/{id}/files/latest")
    StoredFile latest(Caller caller, @PathVariable UUID id, @RequestParam(required = false) FilePurpose purpose) {
        return files.latest(caller, id, purpose);
    }

    @GetMapping("/files/{id}")
    StoredFile get(Caller caller, @PathVariable UUID id) {
        return files.get(caller, id);
    }

    @DeleteMapping("/files/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Caller caller, @PathVariable UUID id) {
        files.delete(caller, id);
    }

    /**
     * The bytes. Spring answers {@code If-None-Match} with 304 from the ETag and {@code Range}
     * with 206 (and the right {@code Content-Length}) for a {@link Resource} body.
     */
    @GetMapping("/files/{id}/content")
    ResponseEntity<Resource> content(Caller caller, @PathVariable UUID id, @RequestHeader HttpHeaders headers) {
        FileService.Download download = files.download(caller, id);
        StoredFile file = download.file();
        String etag = "\"" + file.sha256() + "\"";
        if (rangeApplies(headers, etag)) {
            requireSatisfiable(headers.getFirst(HttpHeaders.RANGE), download.content(), file.sizeBytes());
        }
        return ResponseEntity.ok()
                .eTag(etag)
                .contentType(mediaType(file.mediaType()))
                .header(HttpHeaders.CONTENT_DISPOSITION, Filenames.attachment(file.filename()).toString())
                .header("X-Content-Type-Options", "nosniff")
                .cacheControl(CacheControl.empty().cachePrivate())
                .body(download.content());
    }

    /**
     * Whether the {@code Range} header is looked at: not when {@code If-None-Match} names this
     * content, which Spring answers with 304 first.
     */
    private static boolean rangeApplies(HttpHeaders headers, String etag) {
        String ifNoneMatch = headers.getFirst(HttpHeaders.IF_NONE_MATCH);
        return headers.getFirst(HttpHeaders.RANGE) != null && (ifNoneMatch == null || !ifNoneMatch.contains(etag));
    }

    /**
     * Spring answers a range it cannot serve with 416 but then writes the whole file as its
     * body; the answer is a problem document instead, with {@code Content-Range: bytes *}{@code /size}.
     */
    private static void requireSatisfiable(String range, Resource content, long size) {
        try {
            HttpRange.toResourceRegions(HttpRange.parseRanges(range), content);
        } catch (IllegalArgumentException e) {
            throw new RangeNotSatisfiableException("the range " + abbreviated(range) + " selects nothing of the "
                    + size + " bytes of this file", size);
        }
    }

    private static String abbreviated(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "..." : text;
    }

    private static MediaType mediaType(String stored) {
        try {
            return MediaType.parseMediaType(stored);
        } catch (InvalidMediaTypeException e) {
            return MediaType.APPLICATION_OCTET_STREAM;
        }
    }

    private static FileService.UploadForm form(MultipartFile file, FilePurpose purpose, Integer version,
                                               Integer orderIndex, String metadata, String filename) {
        return new FileService.UploadForm(filename != null ? filename : file.getOriginalFilename(), purpose, version,
                orderIndex, metadata, file.getContentType());
    }

    private static java.io.InputStream stream(MultipartFile file) {
        try {
            return file.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ResponseEntity<StoredFile> created(StoredFile file) {
        return ResponseEntity.created(URI.create("/api/v1/files/" + file.id())).body(file);
    }
}
