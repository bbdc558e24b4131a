package dev.parley.imports;

/** Where a long import says how far it is. */
public interface ImportProgress {

    ImportProgress NONE = new ImportProgress() {
    };

    default void phase(String name) {
    }

    /** {@code done} of {@code total} messages written (or skipped) so far. */
    default void rows(long done, long total) {
    }
}
