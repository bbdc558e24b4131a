package dev.parley.imports;

/** Reads one kind of source into the neutral model, recording what is wrong with it on the way. */
public interface SourceReader {

    SourceKind kind();

    /**
     * Everything in the source. Problems that keep a row out (an orphan, a duplicate) are
     * recorded in {@link SourceData#problems} and the row is left out of the result.
     *
     * @throws IllegalArgumentException when the location cannot be read as this kind of source
     */
    SourceData read(String location, ImportOptions options);

    /** The stable identity of the source, so a re-run recognises what it imported before. */
    default String sourceKey(String location) {
        return kind().apiValue() + ":" + location;
    }
}
