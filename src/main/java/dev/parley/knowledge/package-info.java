/**
 * The knowledge base: one per project. Files of the project are added to it; a small pool of
 * workers extracts their text (Apache Tika), cuts it into token-sized chunks at paragraph and
 * heading boundaries (JTokkit), embeds the chunks (all-MiniLM-L6-v2 in process, or an
 * OpenAI-compatible {@code /v1/embeddings} endpoint) and indexes them in Lucene (BM25 on the
 * text, HNSW on the vectors) under the data directory. Search is lexical, semantic or hybrid
 * (reciprocal rank fusion of both), filtered by project and optionally by file.
 *
 * <p>The database is the source of truth: chunks are stored there with their text, offsets
 * and embedding, and the index can always be rebuilt from them (the {@code reindex} route,
 * and a reconciliation at start-up that adds what the index lacks and drops what the database
 * no longer has). Indexing work is a durable job table: a job is claimed with a lease, so a
 * job whose worker died (a restart mid-indexing) is claimed again; a file that cannot be read
 * ends as {@code failed} with the reason, never as a silent gap.
 *
 * <p>It plugs into the rest through the seams other modules publish: {@code KnowledgePassages}
 * (context engine), {@code KnowledgeBaseStatus} (conversations) and the {@code FileDeleted}
 * event (files).
 */
package dev.parley.knowledge;
