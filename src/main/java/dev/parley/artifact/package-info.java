/**
 * Artifacts: what an assistant generated in a project (code, documents, images, audio,
 * video), optionally linked to the conversation and message that produced it. Content is
 * text, or base64 for the binary kinds, up to 10 MiB, and every content change makes a new
 * version while the old ones are kept ({@code artifact_versions} holds every version, the
 * current one included, so content is stored once). The artifacts list leaves the content
 * out; a single artifact and the versions list carry it.
 */
package dev.parley.artifact;
