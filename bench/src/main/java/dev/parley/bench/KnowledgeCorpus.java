package dev.parley.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The knowledge-base search scenario's corpus, and the embedding endpoint Parley indexes it
 * with.
 *
 * <p>Parley's in-process model embeds about 18 chunks/s on a 2-core machine, so a 100,000-chunk
 * corpus would take hours to build. The benchmark measures search, not the model: Parley runs
 * with {@code parley.knowledge.embeddings.provider=openai} pointed at this class's
 * OpenAI-compatible {@code /v1/embeddings} endpoint, which answers with feature-hashed word
 * vectors (384 dimensions, like all-MiniLM-L6-v2) at memory speed. What is measured is Parley's
 * own search path (HTTP, auth, the query's embedding call over loopback, BM25 and HNSW in Lucene,
 * fusion, the database re-check), not the cost of a neural model.
 *
 * <p>The text is made of pseudo-words drawn from a 20,000-word vocabulary with a Zipf
 * distribution, so BM25's posting lists have the skew of real text rather than every document
 * containing every word.
 */
final class KnowledgeCorpus implements AutoCloseable {

    static final String MODEL = "bench-hashing-384";
    static final int DIMENSIONS = 384;
    private static final int VOCABULARY = 20_000;
    private static final int WORDS_PER_FILE = 20_000;
    private static final String[] SYLLABLES = ("ka ro mi tu le sa no vi de pa lo ri na te bu ga fi mo se ta "
            + "zu ne ko li ma du re so pi gu").split(" ");

    private final HttpServer server;
    private final String[] words = new String[VOCABULARY];
    private final double[] cumulative = new double[VOCABULARY];
    private final Api api;
    private String token;
    private String project;
    private int files;

    private KnowledgeCorpus(Api api, HttpServer server) {
        this.api = api;
        this.server = server;
        Random random = new Random(42);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < VOCABULARY; ) {
            StringBuilder w = new StringBuilder();
            int syllables = 2 + random.nextInt(3);
            for (int s = 0; s < syllables; s++) {
                w.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
            if (seen.add(w.toString())) {
                words[i++] = w.toString();
            }
        }
        double sum = 0;
        for (int rank = 0; rank < VOCABULARY; rank++) {
            sum += 1.0 / (rank + 1);
            cumulative[rank] = sum;
        }
    }

    /** Starts the embedding endpoint on {@code port} of the loopback interface. */
    static KnowledgeCorpus start(Api api, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(4));
        KnowledgeCorpus corpus = new KnowledgeCorpus(api, server);
        server.createContext("/v1/embeddings", corpus::answer);
        server.start();
        return corpus;
    }

    /** Feature hashing: each word adds ±1 to one of 384 dimensions; the vector is scaled to unit length. */
    static float[] embed(String text) {
        float[] v = new float[DIMENSIONS];
        for (String word : text.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.isEmpty()) {
                continue;
            }
            int h = word.hashCode() * 0x9E3779B9;
            v[Math.floorMod(h, DIMENSIONS)] += (h >>> 31) == 0 ? 1f : -1f;
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            v[0] = 1f;
            return v;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        return v;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request;
            try (InputStream in = exchange.getRequestBody()) {
                request = Api.JSON.readTree(in);
            }
            ObjectNode response = Api.JSON.createObjectNode();
            response.put("object", "list");
            response.put("model", request.path("model").asString(MODEL));
            ArrayNode data = response.putArray("data");
            int index = 0;
            for (JsonNode input : request.path("input")) {
                ObjectNode item = data.addObject();
                item.put("object", "embedding");
                item.put("index", index++);
                ArrayNode vector = item.putArray("embedding");
                for (float x : embed(input.asString())) {
                    vector.add(x);
                }
            }
            byte[] body = Api.JSON.writeValueAsBytes(response);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private String word() {
        double u = ThreadLocalRandom.current().nextDouble(cumulative[VOCABULARY - 1]);
        int i = java.util.Arrays.binarySearch(cumulative, u);
        return words[i >= 0 ? i : Math.min(VOCABULARY - 1, -i - 1)];
    }

    /** A document of {@link #WORDS_PER_FILE} words in sentences and paragraphs. */
    private String document() {
        StringBuilder s = new StringBuilder(WORDS_PER_FILE * 9);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 1; i <= WORDS_PER_FILE; i++) {
            s.append(word());
            if (random.nextInt(12) == 0) {
                s.append(random.nextInt(8) == 0 ? ".\n\n" : ". ");
            } else {
                s.append(' ');
            }
        }
        return s.toString();
    }

    /** A search query: three to five words, drawn like the text's. */
    String query() {
        int n = 3 + ThreadLocalRandom.current().nextInt(3);
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < n; i++) {
            q.append(i == 0 ? "" : " ").append(word());
        }
        return q.toString();
    }

    String project() {
        return project;
    }

    String token() {
        return token;
    }

    /**
     * Uploads documents into one project's knowledge base until it holds at least
     * {@code chunks} chunks, and waits until every file is indexed. Returns the chunk count.
     */
    long grow(long chunks, int threads) throws Exception {
        if (project == null) {
            String[] user = api.newUser("bench_kb_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36));
            token = user[1];
            project = new Dataset(api).newProject(token, "knowledge");
            api.send("PUT", "/projects/" + project + "/knowledge-base", token,
                    Map.of("name", "bench corpus", "embedding_model", MODEL, "chunk_size", 200, "chunk_overlap", 20), null);
            addFile();
            waitIndexed();
        }
        long have = status().path("chunks").asLong();
        long perFile = Math.max(1, have / Math.max(1, files));
        int more = (int) Math.ceil((double) Math.max(0, chunks - have) / perFile);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> uploads = new ArrayList<>();
            for (int i = 0; i < more; i++) {
                uploads.add(pool.submit(() -> {
                    addFile();
                    return null;
                }));
            }
            for (Future<?> f : uploads) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return waitIndexed();
    }

    private void addFile() {
        String id = api.upload("/projects/" + project + "/files", token, "doc-" + (files + 1) + ".txt",
                document().getBytes(StandardCharsets.UTF_8), "knowledge").get("id").asString();
        api.post("/projects/" + project + "/knowledge-base/files", token, Map.of("file_id", id));
        synchronized (this) {
            files++;
        }
    }

    private JsonNode status() {
        return api.get("/projects/" + project + "/knowledge-base", token);
    }

    private long waitIndexed() throws InterruptedException {
        long lastReport = System.nanoTime();
        while (true) {
            JsonNode s = status();
            long indexed = s.path("files_indexed").asLong();
            long total = s.path("files_total").asLong();
            if (s.path("files_failed").asLong() > 0) {
                throw new IllegalStateException("a corpus file failed to index: " + s);
            }
            if (total > 0 && indexed >= total) {
                return s.path("chunks").asLong();
            }
            if (System.nanoTime() - lastReport > 15_000_000_000L) {
                System.out.printf("  ... %,d of %,d files indexed, %,d chunks%n", indexed, total, s.path("chunks").asLong());
                lastReport = System.nanoTime();
            }
            Thread.sleep(250);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
