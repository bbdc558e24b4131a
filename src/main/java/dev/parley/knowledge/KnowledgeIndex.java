package dev.parley.knowledge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.parley.config.ParleyProperties;
import jakarta.annotation.PreDestroy;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The Lucene index of every knowledge base's chunks, in {@code <data-dir>/index/knowledge}:
 * the text for BM25 (English analysis) and the embedding for HNSW, per dimension count (a
 * vector field has one). It holds nothing the database lacks: each document is a chunk row,
 * so the whole index can be thrown away and rebuilt. If the folder disappears under a running
 * server, the next write or search opens a fresh, empty index and reports it, and the caller
 * reconciles from the database.
 */
@Component
class KnowledgeIndex {

    private static final Logger log = LoggerFactory.getLogger(KnowledgeIndex.class);
    static final String ID = "id";
    static final String PROJECT = "project";
    static final String BASE = "base";
    static final String FILE = "file";
    static final String TEXT = "text";

    private final Path dir;
    private final Analyzer analyzer = new EnglishAnalyzer();
    private IndexWriter writer;
    private SearcherManager searchers;
    private boolean closed;

    KnowledgeIndex(ParleyProperties properties) {
        this.dir = properties.dataDir().toAbsolutePath().resolve("index").resolve("knowledge");
    }

    /** A ranked hit: the chunk id and the mode's own score. */
    record Hit(UUID chunkId, double score) {
    }

    /** Opens the index when it is not open or its folder vanished; true when it had to start empty. */
    synchronized boolean ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the knowledge index is closed");
        }
        boolean lost = writer != null && !Files.isDirectory(dir);
        if (writer != null && !lost) {
            return false;
        }
        if (lost) {
            log.warn("knowledge: the index folder {} disappeared; starting an empty index to rebuild", dir);
            closeQuietly();
        }
        try {
            Files.createDirectories(dir);
            boolean existed = DirectoryReader.indexExists(FSDirectory.open(dir));
            IndexWriterConfig config = new IndexWriterConfig(analyzer);
            config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            writer = new IndexWriter(FSDirectory.open(dir), config);
            searchers = new SearcherManager(writer, null);
            return lost || !existed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces the documents of a file with these chunks and makes the change visible and durable. */
    synchronized void replaceFile(UUID knowledgeBaseId, UUID fileId, List<Chunk> chunks) throws IOException {
        ensureOpen();
        BooleanQuery.Builder old = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(BASE, knowledgeBaseId.toString())), Occur.FILTER)
                .add(new TermQuery(new Term(FILE, fileId.toString())), Occur.FILTER);
        writer.deleteDocuments(old.build());
        for (Chunk c : chunks) {
            writer.addDocument(document(c));
        }
        commit();
    }

    synchronized void add(Collection<Chunk> chunks) throws IOException {
        ensureOpen();
        for (Chunk c : chunks) {
            writer.updateDocument(new Term(ID, c.id().toString()), document(c));
        }
    }

    synchronized void deleteFile(UUID fileId) throws IOException {
        ensureOpen();
        writer.deleteDocuments(new Term(FILE, fileId.toString()));
        commit();
    }

    synchronized void deleteBase(UUID knowledgeBaseId) throws IOException {
        ensureOpen();
        writer.deleteDocuments(new Term(BASE, knowledgeBaseId.toString()));
        commit();
    }

    synchronized void deleteChunks(Collection<UUID> chunkIds) throws IOException {
        ensureOpen();
        for (UUID id : chunkIds) {
            writer.deleteDocuments(new Term(ID, id.toString()));
        }
    }

    synchronized void commit() throws IOException {
        writer.commit();
        searchers.maybeRefreshBlocking();
    }

    /** Every chunk id in the index, for reconciliation with the database. */
    Set<UUID> chunkIds() throws IOException {
        ensureOpen();
        SearcherManager manager = manager();
        IndexSearcher searcher = manager.acquire();
        try {
            Set<UUID> ids = new HashSet<>();
            var reader = searcher.getIndexReader();
            for (var leaf : reader.leaves()) {
                StoredFields stored = leaf.reader().storedFields();
                var live = leaf.reader().getLiveDocs();
                for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                    if (live == null || live.get(doc)) {
                        ids.add(UUID.fromString(stored.document(doc, Set.of(ID)).get(ID)));
                    }
                }
            }
            return ids;
        } finally {
            manager.release(searcher);
        }
    }

    /** BM25 over the text of the project's chunks (optionally of some files only). */
    List<Hit> lexical(UUID projectId, Collection<UUID> fileIds, String query, int k) throws IOException {
        BooleanQuery.Builder words = new BooleanQuery.Builder();
        int terms = 0;
        try (TokenStream stream = analyzer.tokenStream(TEXT, query)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            Set<String> seen = new HashSet<>();
            while (stream.incrementToken() && terms < IndexSearcher.getMaxClauseCount() - 10) {
                if (seen.add(term.toString())) {
                    words.add(new TermQuery(new Term(TEXT, term.toString())), Occur.SHOULD);
                    terms++;
                }
            }
            stream.end();
        }
        if (terms == 0) {
            return List.of();
        }
        BooleanQuery.Builder q = filter(projectId, fileIds).add(words.build(), Occur.MUST);
        return run(q.build(), k);
    }

    /** Nearest neighbours of the query vector among the project's chunks (HNSW, filtered while searching). */
    List<Hit> semantic(UUID projectId, Collection<UUID> fileIds, float[] vector, int k) throws IOException {
        Query knn = new KnnFloatVectorQuery(vectorField(vector.length), vector, k, filter(projectId, fileIds).build());
        return run(knn, k);
    }

    private List<Hit> run(Query query, int k) throws IOException {
        ensureOpen();
        SearcherManager manager = manager();
        manager.maybeRefresh();
        IndexSearcher searcher = manager.acquire();
        try {
            TopDocs top = searcher.search(query, k);
            StoredFields stored = searcher.storedFields();
            List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc sd : top.scoreDocs) {
                hits.add(new Hit(UUID.fromString(stored.document(sd.doc, Set.of(ID)).get(ID)), sd.score));
            }
            return hits;
        } finally {
            manager.release(searcher);
        }
    }

    private static BooleanQuery.Builder filter(UUID projectId, Collection<UUID> fileIds) {
        BooleanQuery.Builder b = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(PROJECT, projectId.toString())), Occur.FILTER);
        if (fileIds != null && !fileIds.isEmpty()) {
            b.add(new TermInSetQuery(FILE, fileIds.stream().map(id -> new BytesRef(id.toString())).toList()),
                    Occur.FILTER);
        }
        return b;
    }

    /** Reciprocal rank fusion: each list adds 1/(60 + rank); robust to the two scores' different scales. */
    static List<Hit> fuse(List<Hit> lexical, List<Hit> semantic, int k) {
        Map<UUID, Double> scores = new LinkedHashMap<>();
        for (List<Hit> list : List.of(semantic, lexical)) {
            for (int rank = 0; rank < list.size(); rank++) {
                scores.merge(list.get(rank).chunkId(), 1.0 / (60 + rank + 1), Double::sum);
            }
        }
        return scores.entrySet().stream()
                .sorted(Map.Entry.<UUID, Double>comparingByValue().reversed())
                .limit(k)
                .map(e -> new Hit(e.getKey(), e.getValue()))
                .toList();
    }

    private synchronized SearcherManager manager() {
        return searchers;
    }

    private static String vectorField(int dimensions) {
        return "vector_" + dimensions;
    }

    private static Document document(Chunk c) {
        Document doc = new Document();
        doc.add(new StringField(ID, c.id().toString(), Field.Store.YES));
        doc.add(new StringField(PROJECT, c.projectId().toString(), Field.Store.NO));
        doc.add(new StringField(BASE, c.knowledgeBaseId().toString(), Field.Store.NO));
        doc.add(new StringField(FILE, c.fileId().toString(), Field.Store.NO));
        doc.add(new TextField(TEXT, c.text(), Field.Store.NO));
        doc.add(new KnnFloatVectorField(vectorField(c.embedding().length), c.embedding(),
                VectorSimilarityFunction.DOT_PRODUCT));
        return doc;
    }

    private void closeQuietly() {
        try {
            if (searchers != null) {
                searchers.close();
            }
        } catch (IOException | RuntimeException e) {
            // the folder is gone or the writer broke: nothing worth saving
        }
        try {
            if (writer != null) {
                writer.rollback();
            }
        } catch (IOException | RuntimeException e) {
            // as above
        }
        writer = null;
        searchers = null;
    }

    @PreDestroy
    synchronized void close() {
        closed = true;
        try {
            if (writer != null && Files.isDirectory(dir)) {
                writer.commit();
            }
        } catch (IOException | RuntimeException e) {
            log.warn("knowledge: could not commit the index on shutdown: {}", e.getMessage());
        }
        closeQuietly();
        analyzer.close();
    }
}
