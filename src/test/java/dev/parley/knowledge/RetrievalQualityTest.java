package dev.parley.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.parley.support.Api;
import dev.parley.support.Api.Response;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnSqlite;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Retrieval quality on a small labelled set: three technical documents
 * ({@code src/test/resources/knowledge/eval}) and questions phrased the way a user would ask,
 * each labelled with a phrase of the passage that answers it. Recall@5 (a relevant passage
 * among the first five) and MRR (mean reciprocal rank of the first relevant passage) are
 * printed for each mode; hybrid must recall at least as well as either mode alone.
 */
@OnSqlite
class RetrievalQualityTest extends ApiTest {

    private static final String[] DOCUMENTS = {"http-caching.md", "postgres-wal.md", "git-internals.md"};

    record Question(String text, String phrase) {
    }

    record Score(double recallAt5, double mrr) {
    }

    @Test
    void hybridRecallsAtLeastAsWellAsEitherModeAlone() throws IOException {
        KnowledgeClient kb = new KnowledgeClient(api);
        Session alice = api.newUser("eval");
        String project = kb.project(alice);
        assertThat(api.put(KnowledgeClient.base(project), alice,
                Api.object("name", "eval", "chunk_size", 120, "chunk_overlap", 20)).status()).isEqualTo(201);
        for (String document : DOCUMENTS) {
            kb.add(alice, project, document, "text/markdown", resource(document).getBytes(StandardCharsets.UTF_8));
        }
        JsonNode settled = kb.settled(alice, project);
        assertThat(settled.get("status").asString()).isEqualTo("ready");

        List<Question> questions = new ArrayList<>();
        for (String line : resource("questions.tsv").split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] parts = line.split("\t");
                questions.add(new Question(parts[0].strip(), parts[1].strip()));
            }
        }
        assertThat(questions).hasSizeGreaterThanOrEqualTo(30);

        Map<String, Score> scores = new LinkedHashMap<>();
        for (String mode : List.of("lexical", "semantic", "hybrid")) {
            int recalled = 0;
            double reciprocal = 0;
            for (Question q : questions) {
                Response search = kb.search(alice, project, "query", q.text(), "mode", mode, "top_k", 10);
                assertThat(search.status()).isEqualTo(200);
                int rank = 0;
                JsonNode results = search.json().get("results");
                for (int i = 0; i < results.size(); i++) {
                    if (normalized(results.get(i).get("text").asString()).contains(normalized(q.phrase()))) {
                        rank = i + 1;
                        break;
                    }
                }
                if (rank >= 1 && rank <= 5) {
                    recalled++;
                }
                if (rank >= 1) {
                    reciprocal += 1.0 / rank;
                }
            }
            scores.put(mode, new Score((double) recalled / questions.size(), reciprocal / questions.size()));
        }
        System.out.printf(Locale.ROOT, "retrieval quality over %d questions, %d chunks (chunk_size 120, overlap 20):%n",
                questions.size(), settled.get("chunks").asLong());
        scores.forEach((mode, s) -> System.out.printf(Locale.ROOT, "  %-8s recall@5 %.3f  MRR@10 %.3f%n", mode,
                s.recallAt5(), s.mrr()));

        Score hybrid = scores.get("hybrid");
        assertThat(hybrid.recallAt5()).isGreaterThanOrEqualTo(scores.get("lexical").recallAt5());
        assertThat(hybrid.recallAt5()).isGreaterThanOrEqualTo(scores.get("semantic").recallAt5());
        assertThat(hybrid.recallAt5()).isGreaterThan(0.6);
    }

    private static String normalized(String text) {
        return text.replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = RetrievalQualityTest.class.getResourceAsStream("/knowledge/eval/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
