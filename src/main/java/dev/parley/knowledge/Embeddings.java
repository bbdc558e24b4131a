package dev.parley.knowledge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.parley.config.ParleyProperties;
import dev.parley.web.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns texts into unit-length vectors with the model a knowledge base names. The local model
 * (all-MiniLM-L6-v2, 384 dimensions, ONNX inside a Maven artifact) is loaded on first use, so
 * an instance that never indexes anything does not pay for it; with the {@code openai}
 * provider every other model name is sent to the configured {@code /v1/embeddings} endpoint.
 */
@Component
class Embeddings {

    static final String LOCAL_MODEL = "all-minilm-l6-v2";
    private static final Logger log = LoggerFactory.getLogger(Embeddings.class);

    private final KnowledgeProperties.Embeddings config;
    private final JsonMapper json;
    private final HttpClient http;
    private volatile AllMiniLmL6V2EmbeddingModel local;

    Embeddings(KnowledgeProperties properties, ParleyProperties parley, JsonMapper json) {
        this.config = properties.embeddings();
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
        nativeLibrariesInto(parley.dataDir().toAbsolutePath().resolve("native"));
    }

    /** The model a new knowledge base uses. */
    String defaultModel() {
        if (remote() && config.model() != null && !config.model().isBlank()) {
            return config.model();
        }
        return LOCAL_MODEL;
    }

    /** Refuses a model name this instance cannot embed with (a 422 on the field). */
    void checkModel(String field, String model) {
        if (LOCAL_MODEL.equals(model)) {
            return;
        }
        if (!remote()) {
            throw new ValidationException(field, "this server embeds with \"" + LOCAL_MODEL
                    + "\" only (set parley.knowledge.embeddings.provider=openai for others)");
        }
    }

    private boolean remote() {
        return "openai".equals(config.provider().toLowerCase(Locale.ROOT)) && config.baseUrl() != null;
    }

    /** Unit-length vectors of the texts, in order, in batches of the configured size. */
    List<float[]> embed(String model, List<String> texts) throws IOException {
        List<float[]> out = new ArrayList<>(texts.size());
        int batch = Math.max(1, config.batchSize());
        for (int from = 0; from < texts.size(); from += batch) {
            List<String> part = texts.subList(from, Math.min(texts.size(), from + batch));
            out.addAll(LOCAL_MODEL.equals(model) ? embedLocally(part) : embedRemotely(model, part));
        }
        return out;
    }

    float[] embed(String model, String text) throws IOException {
        return embed(model, List.of(text)).getFirst();
    }

    private List<float[]> embedLocally(List<String> texts) {
        AllMiniLmL6V2EmbeddingModel model = localModel();
        List<TextSegment> segments = texts.stream().map(t -> TextSegment.from(t.isBlank() ? " " : t)).toList();
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (Embedding e : model.embedAll(segments).content()) {
            vectors.add(normalized(e.vector()));
        }
        return vectors;
    }

    private AllMiniLmL6V2EmbeddingModel localModel() {
        AllMiniLmL6V2EmbeddingModel model = local;
        if (model == null) {
            synchronized (this) {
                model = local;
                if (model == null) {
                    long start = System.nanoTime();
                    // the workers already run in parallel: embed each batch on the calling thread
                    model = new AllMiniLmL6V2EmbeddingModel(Runnable::run);
                    local = model;
                    log.info("knowledge: loaded the {} embedding model in {} ms", LOCAL_MODEL,
                            (System.nanoTime() - start) / 1_000_000);
                }
            }
        }
        return model;
    }

    private List<float[]> embedRemotely(String model, List<String> texts) throws IOException {
        if (!remote()) {
            throw new IOException("the embedding model " + model + " needs parley.knowledge.embeddings.provider=openai"
                    + " and a base-url");
        }
        ObjectNode body = json.createObjectNode();
        body.put("model", model);
        var input = body.putArray("input");
        texts.forEach(input::add);
        String base = config.baseUrl().toString().replaceAll("/+$", "");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/embeddings"))
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (config.apiKey() != null && !config.apiKey().isBlank()) {
            request.header("Authorization", "Bearer " + config.apiKey());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            String text = response.body();
            throw new IOException("the embedding endpoint answered " + response.statusCode() + ": "
                    + (text.length() > 200 ? text.substring(0, 200) : text));
        }
        JsonNode data = json.readTree(response.body()).path("data");
        float[][] vectors = new float[texts.size()][];
        for (JsonNode item : data) {
            int index = item.path("index").asInt(-1);
            JsonNode values = item.path("embedding");
            if (index < 0 || index >= vectors.length || !values.isArray()) {
                throw new IOException("the embedding endpoint answered an unexpected document");
            }
            float[] v = new float[values.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) values.get(i).asDouble();
            }
            vectors[index] = normalized(v);
        }
        for (float[] v : vectors) {
            if (v == null) {
                throw new IOException("the embedding endpoint left out some of the texts");
            }
        }
        return List.of(vectors);
    }

    static float[] normalized(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        if (sum == 0) {
            return v;
        }
        float norm = (float) Math.sqrt(sum);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / norm;
        }
        return out;
    }

    /** ONNX Runtime and DJL's tokenizer unpack native libraries: keep them in the data directory. */
    private static void nativeLibrariesInto(Path dir) {
        try {
            Files.createDirectories(dir);
            setIfAbsent("DJL_CACHE_DIR", dir.resolve("djl").toString());
            setIfAbsent("ENGINE_CACHE_DIR", dir.resolve("djl").toString());
        } catch (IOException | RuntimeException e) {
            log.warn("knowledge: could not prepare {} for native libraries: {}", dir, e.getMessage());
        }
    }

    private static void setIfAbsent(String property, String value) {
        if (value != null && System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
