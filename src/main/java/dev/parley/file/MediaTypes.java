package dev.parley.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

/**
 * The media type stored for an upload. Tika's detector looks at the first bytes (magic
 * numbers) and the file name. The declared type wins when it is specific and the bytes do not
 * contradict it; the detected type is stored when the client declared nothing, something
 * generic, something unparseable, or a type unrelated to what the bytes clearly are.
 */
final class MediaTypes {

    private static final MimeTypes TYPES = MimeTypes.getDefaultMimeTypes();
    private static final MediaTypeRegistry REGISTRY = TYPES.getMediaTypeRegistry();

    private MediaTypes() {
    }

    static String choose(String declared, byte[] head, String filename) {
        MediaType claimed = declared == null ? null : MediaType.parse(declared.trim().toLowerCase(Locale.ROOT));
        if (claimed == null || isGeneric(claimed) || claimed.toString().length() > 255) {
            return detect(head, filename).getBaseType().toString();
        }
        // only the bytes can contradict a declared type; a file name is no evidence against it
        MediaType fromBytes = REGISTRY.normalize(detect(head, null).getBaseType());
        MediaType claimedBase = REGISTRY.normalize(claimed.getBaseType());
        boolean informative = !isGeneric(fromBytes) && !fromBytes.equals(MediaType.TEXT_PLAIN);
        if (informative && !related(claimedBase, fromBytes)) {
            return fromBytes.toString();
        }
        return claimed.getBaseType().toString();
    }

    private static MediaType detect(byte[] head, String filename) {
        Metadata metadata = new Metadata();
        if (filename != null) {
            metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, filename);
        }
        try (TikaInputStream in = TikaInputStream.get(head)) {
            return TYPES.detect(in, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isGeneric(MediaType type) {
        return type.equals(MediaType.OCTET_STREAM) || type.getType().equals("*") || type.getSubtype().equals("*");
    }

    private static boolean related(MediaType a, MediaType b) {
        return a.equals(b) || REGISTRY.isSpecializationOf(a, b) || REGISTRY.isSpecializationOf(b, a);
    }
}
