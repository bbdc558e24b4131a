package dev.parley.knowledge;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.parley.config.BackgroundWork;
import dev.parley.file.FileService;
import dev.parley.file.StoredFile;
import dev.parley.knowledge.Chunker.TextChunk;
import dev.parley.knowledge.TextExtractor.ExtractionException;
import dev.parley.web.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Works the job queue with a small pool of threads: claim a job (with a lease), extract,
 * chunk, embed, then store the chunks and mark the file indexed in one transaction, then
 * update the index. A worker that finds no work sleeps until new work is queued or a short
 * poll interval passes (which also picks up jobs whose lease ran out, e.g. those of a server
 * that died). On start it first reconciles the index with the database. On stop no new job is
 * claimed, running ones are interrupted and awaited, so nothing writes after the context
 * closes; an interrupted job is simply claimed again after its lease.
 */
@Component
class Indexer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Indexer.class);
    private static final Duration POLL = Duration.ofSeconds(5);

    private final KnowledgeRepository repository;
    private final KnowledgeIndex index;
    private final FileService files;
    private final TextExtractor extractor;
    private final Chunker chunker;
    private final Embeddings embeddings;
    private final TransactionTemplate transaction;
    private final KnowledgeProperties properties;
    private final boolean autoStartup;
    private final Semaphore wakeUps = new Semaphore(0);
    private final AtomicBoolean running = new AtomicBoolean();
    private ExecutorService pool;

    Indexer(KnowledgeRepository repository, KnowledgeIndex index, FileService files, TextExtractor extractor,
            Chunker chunker, Embeddings embeddings, TransactionTemplate transaction, KnowledgeProperties properties,
            @Value("${" + BackgroundWork.ENABLED + ":true}") boolean autoStartup) {
        this.repository = repository;
        this.index = index;
        this.files = files;
        this.extractor = extractor;
        this.chunker = chunker;
        this.embeddings = embeddings;
        this.transaction = transaction;
        this.properties = properties;
        this.autoStartup = autoStartup;
    }

    /** Not in the import command, whose process must not index beside the server (see {@link BackgroundWork}). */
    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        int workers = Math.max(1, properties.workers());
        pool = Executors.newFixedThreadPool(workers + 1, Thread.ofPlatform().name("knowledge-", 0).daemon().factory());
        pool.submit(() -> {
            try {
                reconcile();
            } catch (Exception e) {
                log.error("knowledge: reconciling the index with the database failed", e);
            }
            // the workers start after the index matches the database
            for (int i = 0; i < workers; i++) {
                pool.submit(this::work);
            }
        });
    }

    @Override
    public void stop() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        wakeUps.release(Integer.MAX_VALUE / 2);
        // no interrupt at first: an interrupted write would break the Lucene writer for good
        pool.shutdown();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("knowledge: indexing workers did not stop within 30 s; interrupting them");
                pool.shutdownNow();
                pool.awaitTermination(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // the extractor stays usable: a stopped lifecycle may start again (Spring's test contexts pause and resume)
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    /** Stops before the web server and the database pool go. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2048;
    }

    /** Rebuilds what the index lacks in the background (after the index folder was lost). */
    void reconcileSoon() {
        if (running.get()) {
            pool.submit(() -> {
                try {
                    reconcile();
                } catch (IOException | RuntimeException e) {
                    log.error("knowledge: reconciling the index with the database failed", e);
                }
            });
        }
    }

    /** New work is queued: a sleeping worker looks at once. */
    void wake() {
        wakeUps.release(Math.max(1, properties.workers()));
    }

    private void work() {
        while (running.get() && !Thread.currentThread().isInterrupted()) {
            try {
                if (!runOne()) {
                    wakeUps.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS);
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                log.error("knowledge: indexing worker error", e);
                try {
                    Thread.sleep(POLL.toMillis());
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** Claims and runs one job; false when there was none. */
    boolean runOne() {
        Optional<IndexJob> claimed = Optional.empty();
        for (int tries = 0; tries < 5 && claimed.isEmpty(); tries++) {
            Instant now = Ids.now();
            Optional<UUID> next = repository.nextJob(now);
            if (next.isEmpty()) {
                return false;
            }
            claimed = transaction.execute(s -> repository.claim(next.get(), now, now.plus(properties.lease())));
        }
        if (claimed.isEmpty()) {
            return false;
        }
        run(claimed.get());
        return true;
    }

    private void run(IndexJob job) {
        Optional<KnowledgeBase> base = repository.find(job.knowledgeBaseId());
        Optional<StoredFile> file = files.find(job.fileId());
        if (base.isEmpty() || file.isEmpty()) {
            // the file or the knowledge base went while the job waited; the cascade removed the rows
            return;
        }
        KnowledgeBase kb = base.get();
        StoredFile f = file.get();
        if (f.external()) {
            // the knowledge base refuses these, but a row may predate that rule: no retry can help
            fail(job, kb, f, "the file's bytes are not in Parley (it is a record of " + f.externalLocation()
                    + "), so it cannot be indexed");
            return;
        }
        transaction.executeWithoutResult(s -> repository.markFile(kb.id(), f.id(), "indexing", null));
        long start = System.nanoTime();
        try {
            String text = extractor.extract(() -> files.openContent(f), f.mediaType(), f.filename());
            List<TextChunk> cut = chunker.chunk(text, kb.chunkSize(), kb.chunkOverlap());
            if (cut.isEmpty()) {
                throw new ExtractionException("no text could be extracted from the file");
            }
            List<float[]> vectors = embeddings.embed(kb.embeddingModel(), cut.stream().map(TextChunk::text).toList());
            if (!running.get()) {
                return;
            }
            List<Chunk> chunks = new ArrayList<>(cut.size());
            for (int i = 0; i < cut.size(); i++) {
                TextChunk c = cut.get(i);
                chunks.add(new Chunk(Ids.newId(), kb.id(), kb.projectId(), f.id(), c.ordinal(), c.text(),
                        c.startOffset(), c.endOffset(), c.tokenCount(), kb.embeddingModel(), vectors.get(i)));
            }
            Instant now = Ids.now();
            Boolean stored = transaction.execute(s -> {
                repository.deleteChunks(kb.id(), f.id());
                if (!repository.markIndexed(kb.id(), f.id(), chunks.size(), now)) {
                    return false;
                }
                repository.insertChunks(chunks, now);
                if (repository.hasPendingJob(kb.id(), f.id())) {
                    // a newer request (a reindex) is queued behind this one: the file is not done
                    repository.markFile(kb.id(), f.id(), "pending", null);
                }
                repository.finishJob(job.id(), "done", null, now);
                repository.deleteFinishedJobs(kb.id(), f.id());
                return true;
            });
            if (Boolean.TRUE.equals(stored)) {
                index.replaceFile(kb.id(), f.id(), chunks);
                log.info("knowledge: indexed {} ({} chunks) in {} ms", f.filename(), chunks.size(),
                        (System.nanoTime() - start) / 1_000_000);
            }
        } catch (ExtractionException e) {
            fail(job, kb, f, e.getMessage());
        } catch (IOException | RuntimeException e) {
            if (!running.get() || Thread.currentThread().isInterrupted()) {
                // shutting down: the lease runs out and the job is claimed again after the restart
                return;
            }
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (job.attempts() >= properties.maxAttempts()) {
                fail(job, kb, f, "gave up after " + job.attempts() + " attempts: " + reason);
            } else {
                Instant now = Ids.now();
                Instant notBefore = now.plusSeconds(5L << Math.min(job.attempts(), 8));
                log.warn("knowledge: indexing {} failed (attempt {}), retrying: {}", f.filename(), job.attempts(),
                        reason);
                transaction.executeWithoutResult(s -> {
                    repository.retryJob(job.id(), reason, now, notBefore);
                    repository.markFile(kb.id(), f.id(), "pending", reason);
                });
            }
        }
    }

    private void fail(IndexJob job, KnowledgeBase kb, StoredFile f, String reason) {
        log.warn("knowledge: indexing {} failed: {}", f.filename(), reason);
        Instant now = Ids.now();
        transaction.executeWithoutResult(s -> {
            repository.deleteChunks(kb.id(), f.id());
            repository.finishJob(job.id(), "failed", reason, now);
            repository.markFile(kb.id(), f.id(), repository.hasPendingJob(kb.id(), f.id()) ? "pending" : "failed",
                    reason);
        });
        try {
            index.deleteFile(f.id());
        } catch (IOException | RuntimeException e) {
            log.warn("knowledge: could not drop {} from the index: {}", f.filename(), e.getMessage());
        }
    }

    /**
     * Makes the index hold exactly the database's chunks: adds what it lacks (from the stored
     * embeddings, no re-embedding) and drops what the database no longer has.
     *
     * @return how many documents were added and removed
     */
    synchronized int[] reconcile() throws IOException {
        long start = System.nanoTime();
        index.ensureOpen();
        Set<UUID> inIndex = index.chunkIds();
        Set<UUID> missing = new HashSet<>();
        Set<UUID> inDatabase = new HashSet<>();
        repository.forEachChunkId(id -> {
            inDatabase.add(id);
            if (!inIndex.contains(id)) {
                missing.add(id);
            }
        });
        inIndex.removeAll(inDatabase);
        List<UUID> missingList = new ArrayList<>(missing);
        int added = 0;
        for (int from = 0; from < missingList.size(); from += 500) {
            List<Chunk> page = new ArrayList<>();
            repository.forEachChunk(missingList.subList(from, Math.min(missingList.size(), from + 500)), page::add);
            index.add(page);
            added += page.size();
        }
        index.deleteChunks(inIndex);
        index.commit();
        if (added > 0 || !inIndex.isEmpty()) {
            log.info("knowledge: reconciled the index with the database: {} chunks added, {} removed in {} ms", added,
                    inIndex.size(), (System.nanoTime() - start) / 1_000_000);
        }
        return new int[] {added, inIndex.size()};
    }
}
