package dev.parley.file;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A file record as stored and as the API shows it. {@code projectId} is null for a file in
 * its user's library.
 *
 * <p>An <em>external</em> file ({@code externalLocation} set, made by an import) is a record
 * of bytes that stay where they were, an {@code s3://} object or a path of the imported app:
 * Parley holds none of them, so its {@code sha256} is null and {@code sizeBytes} is the size
 * the source declared. {@code blob} is where the bytes are in the blob store; the column
 * behind it is not null and references {@code blobs}, so an external file's record points at
 * the blob of no bytes. That address is internal: the API's {@code sha256} is the hash of the
 * file's bytes, which Parley does not have for an external file.
 */
@JsonPropertyOrder({"id", "project_id", "user_id", "filename", "purpose", "media_type", "size_bytes", "sha256",
        "external_location", "version", "order_index", "metadata", "created_at"})
public record StoredFile(UUID id, @Nullable UUID projectId, UUID userId, String filename, FilePurpose purpose,
                         String mediaType, long sizeBytes, @JsonIgnore String blob, int version, int orderIndex,
                         JsonNode metadata, Instant createdAt, @Nullable String externalLocation) {

    /** The SHA-256 of the file's bytes; null for an external file. */
    @JsonProperty("sha256")
    public @Nullable String sha256() {
        return external() ? null : blob;
    }

    /** Whether the bytes are outside Parley ({@link #externalLocation()} says where). */
    @JsonIgnore
    public boolean external() {
        return externalLocation != null;
    }
}
