package dev.parley.knowledge;

import java.util.UUID;

/** A claimed indexing job: one file of one knowledge base, and how often it was tried. */
record IndexJob(UUID id, UUID knowledgeBaseId, UUID projectId, UUID fileId, int attempts) {
}
