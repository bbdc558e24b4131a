package dev.parley.context;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;

class TokenCounterTest {

    @Test
    void modelFamiliesMapToTheirEncodingsAndEverythingElseToTheDefault() {
        assertThat(TokenCounter.encodingType("gpt-4o")).isEqualTo(EncodingType.O200K_BASE);
        assertThat(TokenCounter.encodingType("gpt-4o-mini-2024-07-18")).isEqualTo(EncodingType.O200K_BASE);
        assertThat(TokenCounter.encodingType("gpt-4.1-nano")).isEqualTo(EncodingType.O200K_BASE);
        assertThat(TokenCounter.encodingType("o1")).isEqualTo(EncodingType.O200K_BASE);
        assertThat(TokenCounter.encodingType("o3-mini")).isEqualTo(EncodingType.O200K_BASE);
        assertThat(TokenCounter.encodingType("o4-mini")).isEqualTo(EncodingType.O200K_BASE);
        assertThat(TokenCounter.encodingType("openai/gpt-4o")).isEqualTo(EncodingType.O200K_BASE);
        assertThat(TokenCounter.encodingType("gpt-4")).isEqualTo(EncodingType.CL100K_BASE);
        assertThat(TokenCounter.encodingType("gpt-4-turbo")).isEqualTo(EncodingType.CL100K_BASE);
        assertThat(TokenCounter.encodingType("gpt-3.5-turbo")).isEqualTo(EncodingType.CL100K_BASE);
        assertThat(TokenCounter.encodingType("text-embedding-3-small")).isEqualTo(EncodingType.CL100K_BASE);
        assertThat(TokenCounter.encodingType("claude-3-opus")).isEqualTo(EncodingType.CL100K_BASE);
        assertThat(TokenCounter.encodingType("omni")).isEqualTo(EncodingType.CL100K_BASE);
        assertThat(TokenCounter.encodingType(null)).isEqualTo(EncodingType.CL100K_BASE);
    }

    @Test
    void theTwoEncodingsCountTheSameTextDifferently() {
        TokenCounter counter = new TokenCounter();
        String text = "Parley remembers every conversation: 日本語のテキストも数えます。";
        int o200k = counter.count(counter.encodingFor("gpt-4o"), text);
        int cl100k = counter.count(counter.encodingFor("gpt-4"), text);
        assertThat(o200k).isPositive().isNotEqualTo(cl100k);
        assertThat(counter.count(counter.encodingFor(null), "<|endoftext|>")).isPositive();
    }

    @Test
    void knownModelsHaveTheirContextWindowAndUnknownOnesNone() {
        assertThat(TokenCounter.contextWindow("gpt-4o")).isEqualTo(128_000);
        assertThat(TokenCounter.contextWindow("gpt-4")).isEqualTo(8_192);
        assertThat(TokenCounter.contextWindow("o3")).isEqualTo(200_000);
        assertThat(TokenCounter.contextWindow("my-local-llama")).isNull();
    }
}
