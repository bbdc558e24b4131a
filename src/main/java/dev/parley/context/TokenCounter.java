package dev.parley.context;

import java.util.Locale;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import org.springframework.stereotype.Component;

/**
 * Counts tokens as OpenAI models do, with JTokkit's BPE encodings chosen by model family:
 * <ul>
 *   <li>{@code gpt-4o*}, {@code gpt-4.1*}, {@code gpt-4.5*}, {@code gpt-5*}, {@code o1*},
 *       {@code o3*}, {@code o4*} → {@code o200k_base};</li>
 *   <li>{@code gpt-4*}, {@code gpt-3.5*}, {@code text-embedding-*} → {@code cl100k_base};</li>
 *   <li>anything else, or no model → {@code cl100k_base}, the documented default (other
 *       vendors' tokenizers are close enough to it for budgeting).</li>
 * </ul>
 * A chat message costs its text plus {@value #PER_MESSAGE} tokens of framing (one more when
 * it has a {@code name}), and the reply is primed with {@value #REPLY_PRIMING} tokens, as in
 * OpenAI's published counting recipe. Special-token text in content counts as ordinary text.
 */
@Component
public class TokenCounter {

    public static final int PER_MESSAGE = 3;
    public static final int PER_NAME = 1;
    public static final int REPLY_PRIMING = 3;

    private final EncodingRegistry registry = Encodings.newDefaultEncodingRegistry();

    public Encoding encodingFor(String model) {
        return registry.getEncoding(encodingType(model));
    }

    static EncodingType encodingType(String model) {
        if (model == null) {
            return EncodingType.CL100K_BASE;
        }
        String m = model.toLowerCase(Locale.ROOT).strip();
        int slash = m.lastIndexOf('/');
        if (slash >= 0) {
            m = m.substring(slash + 1);
        }
        if (m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5") || m.startsWith("gpt-5")
                || m.startsWith("chatgpt-4o") || m.matches("o[1-9]([^0-9].*)?")) {
            return EncodingType.O200K_BASE;
        }
        return EncodingType.CL100K_BASE;
    }

    /**
     * The model's context window, when Parley knows it: the default {@code max_tokens} of a
     * context request.
     */
    static Integer contextWindow(String model) {
        if (model == null) {
            return null;
        }
        String m = model.toLowerCase(Locale.ROOT).strip();
        if (m.startsWith("gpt-4.1")) {
            return 1_047_576;
        }
        if (m.startsWith("gpt-5")) {
            return 400_000;
        }
        if (m.startsWith("gpt-4o") || m.startsWith("gpt-4-turbo") || m.startsWith("gpt-4.5") || m.startsWith("chatgpt-4o")) {
            return 128_000;
        }
        if (m.matches("o[1-9]([^0-9].*)?")) {
            return m.startsWith("o1-mini") ? 128_000 : 200_000;
        }
        if (m.startsWith("gpt-4-32k")) {
            return 32_768;
        }
        if (m.startsWith("gpt-4")) {
            return 8_192;
        }
        if (m.startsWith("gpt-3.5")) {
            return 16_385;
        }
        return null;
    }

    public int count(Encoding encoding, String text) {
        return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }
}
