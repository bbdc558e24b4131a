package dev.parley.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import dev.parley.support.Api;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnSqlite;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Not part of the default test run (the name matches no Surefire include). Measures, on this
 * machine, indexing throughput (chunks per second from adding files to the knowledge base being
 * ready: extraction, chunking, in-process embedding, database, Lucene) and search latency
 * p50/p95 per mode over HTTP at about 10,000 chunks:
 * {@code ./mvnw verify -Dtest=KnowledgeBench -Dsurefire.failIfNoSpecifiedTests=false -Dbench.chunks=10000}.
 */
@OnSqlite
class KnowledgeBench extends ApiTest {

    @Test
    void indexingThroughputAndSearchLatency() throws IOException {
        int targetChunks = Integer.getInteger("bench.chunks", 10_000);
        int chunkSize = Integer.getInteger("bench.chunk-size", 200);
        KnowledgeClient kb = new KnowledgeClient(api);
        Session alice = api.newUser("bench");
        String project = kb.project(alice);
        api.put(KnowledgeClient.base(project), alice, Api.object("chunk_size", chunkSize, "chunk_overlap", 20));

        // text made of the evaluation documents' sentences in random order: real words, realistic lengths
        List<String> sentences = new ArrayList<>();
        for (String doc : List.of("http-caching.md", "postgres-wal.md", "git-internals.md")) {
            for (String s : resource(doc).split("(?<=[.!?])\\s+")) {
                if (!s.startsWith("#")) {
                    sentences.add(s.strip());
                }
            }
        }
        Random random = new Random(42);
        int files = Math.max(1, targetChunks / 100);
        List<byte[]> bodies = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            StringBuilder text = new StringBuilder();
            // about 100 chunks of chunkSize tokens per file, paragraphs of five sentences
            int tokens = 0;
            while (tokens < 100 * (chunkSize - 20)) {
                for (int i = 0; i < 5; i++) {
                    String s = sentences.get(random.nextInt(sentences.size()));
                    text.append(s).append(' ');
                    tokens += s.length() / 4;
                }
                text.append("\n\n");
            }
            bodies.add(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        long start = System.nanoTime();
        for (int f = 0; f < files; f++) {
            kb.add(alice, project, "bench-" + f + ".txt", "text/plain", bodies.get(f));
        }
        JsonNode settled = kb.settled(alice, project, java.time.Duration.ofHours(2));
        double seconds = (System.nanoTime() - start) / 1e9;
        long chunks = settled.get("chunks").asLong();
        System.out.printf(Locale.ROOT, "BENCH indexing: %d files, %d chunks (chunk_size %d) in %.1f s = %.1f chunks/s%n",
                files, chunks, chunkSize, seconds, chunks / seconds);

        String[] queries = {"how long does a response stay fresh", "torn pages after power failure",
                "detached HEAD", "replication slot fills the disk", "resume an interrupted download",
                "three-way merge base", "checkpoint interval", "content addressed blobs", "ETag validation",
                "point in time recovery"};
        for (String mode : List.of("lexical", "semantic", "hybrid")) {
            for (int i = 0; i < 20; i++) { // warm-up
                kb.search(alice, project, "query", queries[i % queries.length], "mode", mode);
            }
            int n = 200;
            long[] micros = new long[n];
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                var response = kb.search(alice, project, "query", queries[i % queries.length] + " " + i, "mode", mode,
                        "top_k", 8);
                micros[i] = (System.nanoTime() - t) / 1000;
                if (response.status() != 200) {
                    throw new AssertionError(response.toString());
                }
            }
            Arrays.sort(micros);
            System.out.printf(Locale.ROOT, "BENCH search %-8s over %d chunks: p50 %.1f ms, p95 %.1f ms (HTTP, top_k 8)%n",
                    mode, chunks, micros[n / 2] / 1000.0, micros[n * 95 / 100] / 1000.0);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = KnowledgeBench.class.getResourceAsStream("/knowledge/eval/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
