package dev.parley.knowledge;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param workers            threads working the indexing job queue
 * @param maxAttempts        tries of a job before its file is marked failed (a file that cannot
 *                           be read fails at once; retries are for passing trouble such as an
 *                           embedding endpoint that is down)
 * @param lease              how long a claimed job is its worker's; a job whose lease ran out
 *                           (its worker died) is claimed again
 * @param maxExtractedChars  the most text taken from one file; a longer file fails with the reason
 * @param extractionTimeout  the longest the text extraction of one file may take
 * @param chunkSize          default tokens per chunk of a new knowledge base
 * @param chunkOverlap       default tokens shared by neighbouring chunks
 * @param embeddings         where embeddings come from
 */
@ConfigurationProperties("parley.knowledge")
public record KnowledgeProperties(@DefaultValue("2") int workers,
                                  @DefaultValue("3") int maxAttempts,
                                  @DefaultValue("10m") Duration lease,
                                  @DefaultValue("5000000") int maxExtractedChars,
                                  @DefaultValue("2m") Duration extractionTimeout,
                                  @DefaultValue("400") int chunkSize,
                                  @DefaultValue("50") int chunkOverlap,
                                  @DefaultValue Embeddings embeddings) {

    /**
     * @param provider  {@code local} (all-MiniLM-L6-v2 in process) or {@code openai} (any
     *                  OpenAI-compatible {@code /v1/embeddings} endpoint)
     * @param model     the model a new knowledge base uses; for {@code local} always
     *                  {@code all-minilm-l6-v2}
     * @param baseUrl   the endpoint's base URL, e.g. {@code https://api.openai.com/v1}
     * @param apiKey    sent as a bearer token when set
     * @param batchSize texts per embedding call
     * @param timeout   the longest one embedding call may take
     */
    public record Embeddings(@DefaultValue("local") String provider,
                             @Nullable String model,
                             @Nullable URI baseUrl,
                             @Nullable String apiKey,
                             @DefaultValue("32") int batchSize,
                             @DefaultValue("60s") Duration timeout) {
    }
}
