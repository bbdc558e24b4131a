package dev.parley.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.sax.BodyContentHandler;
import org.springframework.stereotype.Component;

/**
 * The text of a file. Plain text, Markdown, CSV, JSON and source code are read as they are
 * (Tika would rewrite them); HTML, PDF, DOCX, ODT and the rest go through Tika's parsers.
 * Extraction is bounded in characters and in time; a file that cannot be read is an
 * {@link ExtractionException} with a reason a person can act on.
 */
@Component
class TextExtractor {

    private static final Set<String> TEXT_TYPES = Set.of("application/json", "application/xml",
            "application/javascript", "application/x-javascript", "application/x-sh", "application/sql",
            "application/x-yaml", "application/yaml", "application/toml", "application/x-httpd-php",
            "application/x-python", "application/typescript", "application/ld+json", "application/x-ndjson");

    /** Made on first use: Tika's parsers load many classes a server that never indexes should not pay for. */
    private volatile AutoDetectParser parser;
    private final KnowledgeProperties properties;
    private final ExecutorService timed = Executors.newVirtualThreadPerTaskExecutor();

    TextExtractor(KnowledgeProperties properties) {
        this.properties = properties;
    }

    static final class ExtractionException extends Exception {
        ExtractionException(String message) {
            super(message);
        }
    }

    /** An opener of the file's bytes: extraction may need them once. */
    interface Source {
        InputStream open() throws IOException;
    }

    String extract(Source source, String mediaType, String filename) throws ExtractionException, IOException {
        String type = mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        if (semicolon >= 0) {
            type = type.substring(0, semicolon).strip();
        }
        if (readAsIs(type)) {
            return plain(source);
        }
        Future<String> parsed = timed.submit(() -> parse(source, filename));
        try {
            return parsed.get(properties.extractionTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            parsed.cancel(true);
            throw new ExtractionException("text extraction took longer than " + properties.extractionTimeout());
        } catch (InterruptedException e) {
            parsed.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ExtractionException extraction) {
                throw extraction;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            // Tika wraps the parser's own complaint (with class names): the innermost one says what is wrong
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String reason = root.getMessage() == null ? "unreadable content" : root.getMessage();
            throw new ExtractionException("the file could not be read as " + (type.isEmpty() ? "a document" : type)
                    + ": " + abbreviate(reason));
        }
    }

    private static boolean readAsIs(String type) {
        return (type.startsWith("text/") && !type.equals("text/html") && !type.equals("text/rtf"))
                || TEXT_TYPES.contains(type) || type.endsWith("+json");
    }

    private String plain(Source source) throws IOException, ExtractionException {
        int max = properties.maxExtractedChars();
        try (InputStream in = source.open()) {
            // a UTF-8 character is at most four bytes: read no more than could fit the limit
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, (long) max * 4 + 4));
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
                text = text.substring(1);
            }
            if (text.length() > max || in.read() >= 0) {
                throw tooLong();
            }
            if (text.indexOf('\0') >= 0) {
                throw new ExtractionException("the file is binary, not text");
            }
            return text;
        }
    }

    private String parse(Source source, String filename) throws Exception {
        BodyContentHandler handler = new BodyContentHandler(properties.maxExtractedChars());
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, filename);
        try (InputStream in = source.open()) {
            parser().parse(in, handler, metadata, new ParseContext());
        } catch (Exception e) {
            if (WriteLimitReachedException.isWriteLimitReached(e)) {
                throw tooLong();
            }
            throw e;
        }
        return handler.toString();
    }

    private AutoDetectParser parser() {
        AutoDetectParser p = parser;
        if (p == null) {
            synchronized (this) {
                p = parser;
                if (p == null) {
                    p = new AutoDetectParser();
                    parser = p;
                }
            }
        }
        return p;
    }

    private ExtractionException tooLong() {
        return new ExtractionException("the file has more than " + properties.maxExtractedChars()
                + " characters of text (parley.knowledge.max-extracted-chars)");
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    @jakarta.annotation.PreDestroy
    void close() {
        timed.shutdownNow();
    }
}
