/**
 * Files: uploads to a project (with a purpose and a version) or to a user's own library,
 * their bytes in the content-addressed {@link dev.parley.storage.BlobStore}, downloads with
 * validators and ranges, and documents attached to conversations.
 *
 * <p>Crash safety comes from the order of the steps. An upload streams to a temporary file,
 * which is fsynced and renamed to its SHA-256 address <em>before</em> the transaction that
 * inserts the {@code blobs} row and the file record commits; a crash in between leaves at
 * most bytes without a row, which {@link dev.parley.file.BlobSweeper} removes after a grace
 * period. A delete commits first (record, and the blob row when nothing else references it)
 * and unlinks the bytes after, so a record never points at missing bytes. A striped lock per
 * hash keeps an upload and a delete of the same bytes from interleaving on one instance.
 *
 * <p>An external file (made by an import) is a record of bytes kept elsewhere, its
 * {@code external_location}: Parley serves none of them (409 {@code content_external}) and its
 * row points at the blob of no bytes, an address the API never shows.
 *
 * <p>Media types: the type the client declared is kept when it agrees with the bytes (as
 * judged by Apache Tika's magic-number and file-name detector); when the client declared
 * nothing, something generic ({@code application/octet-stream}) or something the bytes
 * contradict (an "image/png" that is a PDF), the detected type is stored instead.
 */
package dev.parley.file;
