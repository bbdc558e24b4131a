package dev.parley.knowledge;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.knuddels.jtokkit.api.Encoding;
import dev.parley.context.TokenCounter;
import org.springframework.stereotype.Component;

/**
 * Cuts text into chunks of at most {@code size} tokens (cl100k_base) that share about
 * {@code overlap} tokens with the chunk before. The text is first split into pieces that
 * should not be torn apart — lines within paragraphs, sentences within long lines, words
 * within very long sentences — and pieces are packed greedily. A chunk ends early before a
 * heading or a paragraph once it is well filled, so chunks tend to hold whole sections.
 */
@Component
class Chunker {

    private static final Pattern LINE = Pattern.compile("[^\\n]*(\\n|$)");
    private static final Pattern SENTENCE = Pattern.compile("[^.!?;]*(?:[.!?;]+|$)\\s*");
    private static final Pattern WORD = Pattern.compile("\\S+\\s*|\\s+");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6}\\s|[A-Z0-9][^a-z\\n]{2,80}$)");

    /** The context engine's tokenizer (cl100k_base): one copy of the BPE tables in the heap. */
    private final Encoding encoding;

    Chunker(TokenCounter tokens) {
        this.encoding = tokens.encodingFor(null);
    }

    /** A cut: its text and its character offsets in the whole text. */
    record Piece(int start, int end, int tokens, boolean startsSection) {
    }

    record TextChunk(int ordinal, String text, int startOffset, int endOffset, int tokenCount) {
    }

    List<TextChunk> chunk(String text, int size, int overlap) {
        List<Piece> pieces = pieces(text, size);
        List<TextChunk> chunks = new ArrayList<>();
        int i = 0;
        while (i < pieces.size()) {
            int first = i;
            int tokens = 0;
            int j = i;
            while (j < pieces.size()) {
                Piece p = pieces.get(j);
                if (j > first && tokens + p.tokens() > size) {
                    break;
                }
                // a new section starts a new chunk once this one is more than half full
                if (j > first && p.startsSection() && tokens > size / 2) {
                    break;
                }
                tokens += p.tokens();
                j++;
            }
            int start = pieces.get(first).start();
            int end = pieces.get(j - 1).end();
            String chunkText = text.substring(start, end);
            // trim whitespace off both ends, keeping the offsets true
            int lead = 0;
            while (lead < chunkText.length() && Character.isWhitespace(chunkText.charAt(lead))) {
                lead++;
            }
            int trail = chunkText.length();
            while (trail > lead && Character.isWhitespace(chunkText.charAt(trail - 1))) {
                trail--;
            }
            if (trail > lead) {
                String trimmed = chunkText.substring(lead, trail);
                chunks.add(new TextChunk(chunks.size(), trimmed, start + lead, start + trail,
                        encoding.countTokensOrdinary(trimmed)));
            }
            if (j >= pieces.size()) {
                break;
            }
            // the next chunk starts with the trailing pieces of this one that fit in the overlap
            int next = j;
            int shared = 0;
            while (next - 1 > first && shared + pieces.get(next - 1).tokens() <= overlap) {
                next--;
                shared += pieces.get(next).tokens();
            }
            i = next;
        }
        return chunks;
    }

    /** Lines, then sentences of long lines, then runs of words of long sentences. */
    private List<Piece> pieces(String text, int size) {
        List<Piece> pieces = new ArrayList<>();
        int limit = Math.max(8, size / 2);
        boolean afterBlank = true;
        Matcher line = LINE.matcher(text);
        while (line.find() && line.start() < text.length()) {
            int start = line.start();
            int end = line.end();
            String lineText = text.substring(start, end);
            boolean blank = lineText.isBlank();
            boolean section = afterBlank || HEADING.matcher(lineText.stripTrailing()).find();
            afterBlank = blank;
            if (blank) {
                // blank lines join the piece before them
                if (!pieces.isEmpty()) {
                    Piece last = pieces.removeLast();
                    pieces.add(new Piece(last.start(), end, last.tokens(), last.startsSection()));
                }
                continue;
            }
            int tokens = encoding.countTokensOrdinary(lineText);
            if (tokens <= limit) {
                pieces.add(new Piece(start, end, tokens, section));
                continue;
            }
            Matcher sentence = SENTENCE.matcher(lineText);
            boolean firstOfLine = true;
            while (sentence.find() && sentence.start() < lineText.length()) {
                if (sentence.end() == sentence.start()) {
                    continue;
                }
                String s = lineText.substring(sentence.start(), sentence.end());
                int sTokens = encoding.countTokensOrdinary(s);
                if (sTokens <= limit) {
                    pieces.add(new Piece(start + sentence.start(), start + sentence.end(), sTokens,
                            section && firstOfLine));
                } else {
                    words(s, start + sentence.start(), limit, section && firstOfLine, pieces);
                }
                firstOfLine = false;
            }
        }
        return pieces;
    }

    private void words(String s, int offset, int limit, boolean section, List<Piece> pieces) {
        Matcher word = WORD.matcher(s);
        int runStart = -1;
        int runTokens = 0;
        int runEnd = 0;
        boolean first = section;
        while (word.find()) {
            String w = s.substring(word.start(), word.end());
            int wTokens = encoding.countTokensOrdinary(w);
            if (runStart >= 0 && runTokens + wTokens > limit) {
                pieces.add(new Piece(offset + runStart, offset + runEnd, runTokens, first));
                first = false;
                runStart = -1;
                runTokens = 0;
            }
            if (wTokens > limit) {
                // one "word" longer than a chunk (a base64 blob, a minified line): cut it by characters
                for (int at = word.start(); at < word.end(); ) {
                    int to = Math.min(word.end(), at + limit);
                    pieces.add(new Piece(offset + at, offset + to, encoding.countTokensOrdinary(s.substring(at, to)),
                            first));
                    first = false;
                    at = to;
                }
                continue;
            }
            if (runStart < 0) {
                runStart = word.start();
            }
            runTokens += wTokens;
            runEnd = word.end();
        }
        if (runStart >= 0) {
            pieces.add(new Piece(offset + runStart, offset + runEnd, runTokens, first));
        }
    }
}
